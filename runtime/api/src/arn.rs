//! Step Functions ARNs: building them for one server's region and account
//! ([`Arns`]), and parsing the ones clients send ([`StateMachineArn`],
//! [`ExecutionArn`], [`ActivityArn`], [`TaggableArn`]).
//!
//! The formats (partition [`PARTITION`]):
//!
//! ```text
//! arn:aws:states:<region>:<account>:stateMachine:<name>[:<version or alias>]
//! arn:aws:states:<region>:<account>:execution:<state machine>:<name>
//! arn:aws:states:<region>:<account>:express:<state machine>:<name>:<id>
//! arn:aws:states:<region>:<account>:activity:<name>
//! ```
//!
//! Names follow [`crate::check_name`]'s rules; the account is 12 digits.

use crate::error::{excerpt, ApiError, ErrorCode};
use crate::name::check_name;
use serde::{Serialize, Serializer};
use std::fmt;
use std::ops::Range;

/// The partition of every ARN Stepwise builds.
pub const PARTITION: &str = "aws";
/// The region of a server that is not told otherwise.
pub const DEFAULT_REGION: &str = "us-east-1";
/// The account of a server that is not told otherwise.
pub const DEFAULT_ACCOUNT: &str = "123456789012";

/// A malformed ARN, or one naming the wrong kind of resource; converts to an
/// `InvalidArn` [`ApiError`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Invalid Arn: '{reason}: {detail}'")]
pub struct ArnError {
    reason: &'static str,
    detail: String,
}

impl ArnError {
    fn new(reason: &'static str, detail: &str) -> Self {
        ArnError {
            reason,
            detail: excerpt(detail).into_owned(),
        }
    }
}

impl From<ArnError> for ApiError {
    fn from(err: ArnError) -> Self {
        ApiError::new(ErrorCode::InvalidArn, err.to_string())
    }
}

/// Builds the ARNs of one server: partition [`PARTITION`], its region and account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arns {
    /// `arn:aws:states:<region>:<account>:`
    prefix: String,
    region: Range<usize>,
    account: Range<usize>,
}

impl Default for Arns {
    /// [`DEFAULT_REGION`] and [`DEFAULT_ACCOUNT`].
    fn default() -> Self {
        Arns::build(DEFAULT_REGION, DEFAULT_ACCOUNT)
    }
}

impl Arns {
    /// ARNs in this region (lower-case letters, digits and `-`) and account
    /// (12 digits).
    pub fn new(region: &str, account: &str) -> Result<Self, ArnError> {
        check_region(region)?;
        check_account(account)?;
        Ok(Arns::build(region, account))
    }

    fn build(region: &str, account: &str) -> Self {
        let prefix = format!("arn:{PARTITION}:states:{region}:{account}:");
        let region_start = "arn:".len() + PARTITION.len() + ":states:".len();
        let account_start = region_start + region.len() + 1;
        Arns {
            region: region_start..region_start + region.len(),
            account: account_start..account_start + account.len(),
            prefix,
        }
    }

    /// The region.
    pub fn region(&self) -> &str {
        &self.prefix[self.region.clone()]
    }

    /// The account.
    pub fn account(&self) -> &str {
        &self.prefix[self.account.clone()]
    }

    /// Whether `arn` is in this server's partition, region and account.
    pub fn owns(&self, arn: &StatesArn) -> bool {
        arn.partition() == PARTITION
            && arn.region() == self.region()
            && arn.account() == self.account()
    }

    fn join(&self, parts: &[&str]) -> String {
        let len = self.prefix.len() + parts.iter().map(|p| p.len() + 1).sum::<usize>();
        let mut arn = String::with_capacity(len);
        arn.push_str(&self.prefix);
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                arn.push(':');
            }
            arn.push_str(part);
        }
        arn
    }

    /// `...:stateMachine:<name>`
    pub fn state_machine(&self, name: &str) -> String {
        self.join(&["stateMachine", name])
    }

    /// `...:execution:<state machine>:<name>` (a Standard execution).
    pub fn execution(&self, state_machine: &str, name: &str) -> String {
        self.join(&["execution", state_machine, name])
    }

    /// `...:express:<state machine>:<name>:<id>` (an Express execution).
    pub fn express_execution(&self, state_machine: &str, name: &str, id: &str) -> String {
        self.join(&["express", state_machine, name, id])
    }

    /// `...:activity:<name>`
    pub fn activity(&self, name: &str) -> String {
        self.join(&["activity", name])
    }
}

fn check_region(region: &str) -> Result<(), ArnError> {
    let ok = !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    ok.then_some(())
        .ok_or_else(|| ArnError::new("Region not valid", region))
}

fn check_account(account: &str) -> Result<(), ArnError> {
    let ok = account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit());
    ok.then_some(())
        .ok_or_else(|| ArnError::new("Account ID not valid (12 digits)", account))
}

/// Checks the general ARN syntax `arn:<partition>:<service>:<region>:<account>:<resource>`
/// (region and account may be empty, as in IAM role ARNs); used for role and
/// log group ARNs, which Stepwise records but does not use.
pub fn check_arn(text: &str) -> Result<(), ArnError> {
    let mut parts = text.splitn(6, ':');
    if parts.next() != Some("arn") {
        return Err(ArnError::new("Invalid ARN prefix", text));
    }
    let parts: Vec<&str> = parts.collect();
    match parts.as_slice() {
        [partition, service, _, _, resource]
            if !partition.is_empty() && !service.is_empty() && !resource.is_empty() =>
        {
            Ok(())
        }
        _ => Err(ArnError::new("Malformed ARN", text)),
    }
}

/// The kinds of Step Functions resources an ARN can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResourceKind {
    /// `stateMachine:<name>[:<qualifier>]`
    StateMachine,
    /// `execution:<state machine>:<name>`
    Execution,
    /// `express:<state machine>:<name>:<id>`
    ExpressExecution,
    /// `activity:<name>`
    Activity,
}

impl ResourceKind {
    /// The resource type as written in the ARN.
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceKind::StateMachine => "stateMachine",
            ResourceKind::Execution => "execution",
            ResourceKind::ExpressExecution => "express",
            ResourceKind::Activity => "activity",
        }
    }

    fn from_type(resource_type: &str) -> Option<Self> {
        [
            ResourceKind::StateMachine,
            ResourceKind::Execution,
            ResourceKind::ExpressExecution,
            ResourceKind::Activity,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == resource_type)
    }

    /// How many `:`-separated names follow the type: (at least, at most).
    fn segments(self) -> (usize, usize) {
        match self {
            ResourceKind::StateMachine => (1, 2),
            ResourceKind::Execution => (2, 2),
            ResourceKind::ExpressExecution => (3, 3),
            ResourceKind::Activity => (1, 1),
        }
    }
}

/// A parsed Step Functions ARN of any kind; the typed ARNs deref to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StatesArn {
    text: String,
    kind: ResourceKind,
    partition: Range<usize>,
    region: Range<usize>,
    account: Range<usize>,
    /// The names after the resource type; only the first `count` are set.
    segments: [Range<usize>; 3],
    count: usize,
}

impl StatesArn {
    /// Parses `text` as an ARN of one of the `allowed` kinds.
    fn parse(text: String, allowed: &[ResourceKind]) -> Result<Self, ArnError> {
        let mut spans = [0..0, 0..0, 0..0, 0..0, 0..0, 0..0, 0..0, 0..0, 0..0];
        let mut count = 0;
        let mut start = 0;
        for (i, part) in text.split(':').enumerate() {
            if i >= spans.len() {
                return Err(ArnError::new("Resource name not valid", &text));
            }
            spans[i] = start..start + part.len();
            start += part.len() + 1;
            count = i + 1;
        }
        let part = |i: usize| &text[spans[i].clone()];
        if count < 6 || part(0) != "arn" {
            return Err(ArnError::new("Invalid ARN prefix", &text));
        }
        let partition = part(1);
        if partition.is_empty()
            || !partition
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'-')
        {
            return Err(ArnError::new("Partition not valid", partition));
        }
        if part(2) != "states" {
            return Err(ArnError::new("Service not valid in this context", part(2)));
        }
        check_region(part(3))?;
        check_account(part(4))?;
        let kind = ResourceKind::from_type(part(5))
            .filter(|kind| allowed.contains(kind))
            .ok_or_else(|| ArnError::new("Resource type not valid in this context", part(5)))?;
        let names = count - 6;
        let (min, max) = kind.segments();
        let resource = &text[spans[5].start..];
        if names < min || names > max {
            return Err(ArnError::new("Resource name not valid", resource));
        }
        if let Some(bad) = (6..count).find(|&i| check_name(part(i)).is_err()) {
            return Err(ArnError::new("Resource name not valid", part(bad)));
        }
        let [_, p, _, r, a, _, s0, s1, s2] = spans;
        Ok(StatesArn {
            kind,
            partition: p,
            region: r,
            account: a,
            segments: [s0, s1, s2],
            count: names,
            text,
        })
    }

    /// The ARN as text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// What it names.
    pub fn kind(&self) -> ResourceKind {
        self.kind
    }

    /// The partition (`aws`, `aws-cn`, ...).
    pub fn partition(&self) -> &str {
        &self.text[self.partition.clone()]
    }

    /// The region.
    pub fn region(&self) -> &str {
        &self.text[self.region.clone()]
    }

    /// The account.
    pub fn account(&self) -> &str {
        &self.text[self.account.clone()]
    }

    /// The `i`-th name after the resource type, if there is one.
    fn segment(&self, i: usize) -> Option<&str> {
        (i < self.count).then(|| &self.text[self.segments[i].clone()])
    }

    /// The first name after the resource type (always present).
    fn first(&self) -> &str {
        &self.text[self.segments[0].clone()]
    }
}

impl fmt::Display for StatesArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

macro_rules! typed_arn {
    ($(#[$doc:meta])* $name:ident, [$($kind:ident),+]) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(StatesArn);

        impl TryFrom<String> for $name {
            type Error = ArnError;
            fn try_from(text: String) -> Result<Self, ArnError> {
                StatesArn::parse(text, &[$(ResourceKind::$kind),+]).map($name)
            }
        }

        impl std::str::FromStr for $name {
            type Err = ArnError;
            fn from_str(text: &str) -> Result<Self, ArnError> {
                Self::try_from(text.to_owned())
            }
        }

        impl std::ops::Deref for $name {
            type Target = StatesArn;
            fn deref(&self) -> &StatesArn {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0.text)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0.text)
            }
        }
    };
}

typed_arn!(
    /// A state machine's ARN, possibly qualified by a version or alias.
    StateMachineArn,
    [StateMachine]
);
typed_arn!(
    /// An execution's ARN: Standard (`execution`) or Express (`express`).
    ExecutionArn,
    [Execution, ExpressExecution]
);
typed_arn!(
    /// An activity's ARN.
    ActivityArn,
    [Activity]
);
typed_arn!(
    /// The ARN of a resource that can carry tags: a state machine or an activity.
    TaggableArn,
    [StateMachine, Activity]
);

impl StateMachineArn {
    /// The state machine's name.
    pub fn name(&self) -> &str {
        self.0.first()
    }

    /// The version number or alias name after the name, if any.
    pub fn qualifier(&self) -> Option<&str> {
        self.0.segment(1)
    }
}

impl ExecutionArn {
    /// The state machine's name.
    pub fn state_machine_name(&self) -> &str {
        self.0.first()
    }

    /// The execution's name.
    pub fn name(&self) -> &str {
        self.0.segment(1).unwrap_or_default()
    }

    /// The id of an Express execution (`None` for a Standard one).
    pub fn express_id(&self) -> Option<&str> {
        self.0.segment(2)
    }
}

impl ActivityArn {
    /// The activity's name.
    pub fn name(&self) -> &str {
        self.0.first()
    }
}

impl TaggableArn {
    /// The state machine's or activity's name.
    pub fn name(&self) -> &str {
        self.0.first()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SM: &str = "arn:aws:states:us-east-1:123456789012:stateMachine:orders";

    #[test]
    fn builds_arns() {
        let arns = Arns::new("eu-west-1", "000000000000").unwrap();
        assert_eq!(arns.region(), "eu-west-1");
        assert_eq!(arns.account(), "000000000000");
        assert_eq!(
            arns.state_machine("m"),
            "arn:aws:states:eu-west-1:000000000000:stateMachine:m"
        );
        assert_eq!(
            arns.execution("m", "e"),
            "arn:aws:states:eu-west-1:000000000000:execution:m:e"
        );
        assert_eq!(
            arns.express_execution("m", "e", "id-1"),
            "arn:aws:states:eu-west-1:000000000000:express:m:e:id-1"
        );
        assert_eq!(
            arns.activity("a"),
            "arn:aws:states:eu-west-1:000000000000:activity:a"
        );
        let default = Arns::default();
        assert_eq!(default.state_machine("orders"), SM);
    }

    #[test]
    fn rejects_bad_configuration() {
        assert!(Arns::new("", "123456789012").is_err());
        assert!(Arns::new("US-EAST-1", "123456789012").is_err());
        assert!(Arns::new("us-east-1", "1234").is_err());
        assert!(Arns::new("us-east-1", "12345678901a").is_err());
    }

    #[test]
    fn built_arns_parse_back() {
        let arns = Arns::default();
        let sm: StateMachineArn = arns.state_machine("orders").parse().unwrap();
        assert_eq!(sm.name(), "orders");
        assert_eq!(sm.qualifier(), None);
        assert!(arns.owns(&sm));
        let exec: ExecutionArn = arns.execution("orders", "run-1").parse().unwrap();
        assert_eq!(
            (exec.state_machine_name(), exec.name(), exec.express_id()),
            ("orders", "run-1", None)
        );
        assert_eq!(exec.kind(), ResourceKind::Execution);
        let express: ExecutionArn = arns
            .express_execution("orders", "run-1", "abc")
            .parse()
            .unwrap();
        assert_eq!(express.express_id(), Some("abc"));
        assert_eq!(express.kind(), ResourceKind::ExpressExecution);
        let activity: ActivityArn = arns.activity("work").parse().unwrap();
        assert_eq!(activity.name(), "work");
        let taggable: TaggableArn = arns.activity("work").parse().unwrap();
        assert_eq!(
            (taggable.kind(), taggable.name()),
            (ResourceKind::Activity, "work")
        );
    }

    #[test]
    fn parses_qualifiers_and_other_places() {
        let sm: StateMachineArn = format!("{SM}:7").parse().unwrap();
        assert_eq!((sm.name(), sm.qualifier()), ("orders", Some("7")));
        let other: StateMachineArn = "arn:aws-cn:states:cn-north-1:999999999999:stateMachine:x"
            .parse()
            .unwrap();
        assert_eq!(other.partition(), "aws-cn");
        assert_eq!(other.region(), "cn-north-1");
        assert_eq!(other.account(), "999999999999");
        assert!(!Arns::default().owns(&other));
        assert_eq!(other.to_string(), other.as_str());
    }

    fn message<T: std::str::FromStr<Err = ArnError>>(text: &str) -> String {
        match text.parse::<T>() {
            Ok(_) => panic!("{text} parsed"),
            Err(err) => err.to_string(),
        }
    }

    #[test]
    fn rejects_bad_arns_with_the_reason() {
        assert_eq!(
            message::<StateMachineArn>("not-an-arn"),
            "Invalid Arn: 'Invalid ARN prefix: not-an-arn'"
        );
        assert_eq!(
            message::<StateMachineArn>("arn:aws:lambda:us-east-1:123456789012:function:f"),
            "Invalid Arn: 'Service not valid in this context: lambda'"
        );
        assert_eq!(
            message::<StateMachineArn>(
                "arn:aws:states:us-east-1:123456789012:execution:orders:run"
            ),
            "Invalid Arn: 'Resource type not valid in this context: execution'"
        );
        assert_eq!(
            message::<ExecutionArn>(SM),
            "Invalid Arn: 'Resource type not valid in this context: stateMachine'"
        );
        assert_eq!(
            message::<StateMachineArn>("arn:aws:states:us-east-1:12345:stateMachine:x"),
            "Invalid Arn: 'Account ID not valid (12 digits): 12345'"
        );
        assert_eq!(
            message::<StateMachineArn>("arn:aws:states::123456789012:stateMachine:x"),
            "Invalid Arn: 'Region not valid: '"
        );
        assert_eq!(
            message::<StateMachineArn>(&format!("{SM}:1:2")),
            "Invalid Arn: 'Resource name not valid: stateMachine:orders:1:2'"
        );
        assert_eq!(
            message::<ExecutionArn>("arn:aws:states:us-east-1:123456789012:execution:orders"),
            "Invalid Arn: 'Resource name not valid: execution:orders'"
        );
        assert_eq!(
            message::<ActivityArn>("arn:aws:states:us-east-1:123456789012:activity:a b"),
            "Invalid Arn: 'Resource name not valid: a b'"
        );
        assert_eq!(
            message::<ActivityArn>("arn:aws:states:us-east-1:123456789012:activity:"),
            "Invalid Arn: 'Resource name not valid: '"
        );
        assert!(message::<StateMachineArn>(&format!("{SM}:{}", ":".repeat(100))).contains("..."));
        assert_eq!(
            message::<TaggableArn>("arn:aws:states:us-east-1:123456789012:execution:orders:run"),
            "Invalid Arn: 'Resource type not valid in this context: execution'"
        );
        let err: ApiError = "x".parse::<ActivityArn>().unwrap_err().into();
        assert_eq!(err.code, ErrorCode::InvalidArn);
    }

    #[test]
    fn general_arn_syntax() {
        assert!(check_arn("arn:aws:iam::123456789012:role/x").is_ok());
        assert!(check_arn("arn:aws:logs:us-east-1:1:log-group:g:*").is_ok());
        assert!(check_arn("role").is_err());
        assert!(check_arn("arn:aws:iam::123456789012").is_err());
        assert!(check_arn("arn::iam::1:role/x").is_err());
        assert!(check_arn("arn:aws:iam::1:").is_err());
    }
}

#[cfg(test)]
mod never_panic {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn arbitrary_text(text in "(arn|ar|)(:[a-zé0-9 -]{0,6}|:){0,10}|.{0,40}") {
            let _ = text.parse::<StateMachineArn>();
            let _ = text.parse::<ExecutionArn>();
            let _ = text.parse::<ActivityArn>();
            let _ = text.parse::<TaggableArn>();
            let _ = check_arn(&text);
        }
    }
}
