//! The functions AWS Step Functions adds to JSONata, and the built-ins Stepwise
//! replaces.
//!
//! Added by AWS: `$partition(array, size)`, `$range(start, end, step)`,
//! `$hash(value, algorithm)`, `$random([seed])`, `$uuid()`, `$parse(jsonString)`.
//! Replaced: `$eval` (not allowed: it fails with a clear error), `$shuffle` (draws from
//! the execution's entropy so that it replays), and `$now` / `$millis` when the
//! environment supplies the time.
//!
//! As in jsonata-js, an undefined argument where a value is expected gives an
//! undefined result, and an argument of the wrong type fails with `T0410`.

use super::convert::to_jvalue;
use super::limits::Limits;
use crate::random::{Entropy, SplitMix64};
use jsonata_core::ast::AstNode;
use jsonata_core::evaluator::{Context, Evaluator, EvaluatorError};
use jsonata_core::value::JValue;
use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384, Sha512};
use std::cell::RefCell;
use std::fmt::Write;
use std::rc::Rc;
use std::sync::OnceLock;

/// What the replacement functions of one evaluation share.
pub(crate) struct Host {
    /// Randomness for `$random()`, `$uuid()` and `$shuffle`, seeded from the
    /// environment's entropy.
    pub rng: RefCell<SplitMix64>,
    /// The time `$now()` and `$millis()` report, when the environment supplies it.
    pub now_millis: Option<i64>,
    /// The evaluation's limits.
    pub limits: Limits,
}

type HostResult = Result<JValue, EvaluatorError>;

/// Registers the host function `name` (one of `analysis::HOST_FUNCTIONS`).
pub(crate) fn register(
    ev: &mut Evaluator,
    name: &str,
    host: &Rc<Host>,
) -> Result<(), EvaluatorError> {
    let host = Rc::clone(host);
    match name {
        "partition" => ev.register_fn(name, move |args: &[JValue]| partition(args, &host.limits)),
        "range" => ev.register_fn(name, move |args: &[JValue]| range(args, &host.limits)),
        "hash" => ev.register_fn(name, hash),
        "uuid" => ev.register_fn(name, move |args: &[JValue]| uuid(args, &host)),
        "parse" => ev.register_fn(name, parse),
        "random" => ev.register_fn_override(name, move |args: &[JValue]| random(args, &host)),
        "eval" => ev.register_fn_override(name, eval),
        "shuffle" => ev.register_fn_override(name, move |args: &[JValue]| shuffle(args, &host)),
        "now" => match host.now_millis {
            Some(millis) => ev.register_fn_override(name, move |args: &[JValue]| now(args, millis)),
            None => Ok(()),
        },
        "millis" => match host.now_millis {
            Some(millis) => ev.register_fn_override(name, move |args: &[JValue]| {
                at_most(args, 0, "millis")?;
                Ok(JValue::Number(millis as f64))
            }),
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

/// `T0410` as jsonata-js words it (the function name JSON-quoted).
fn signature_error(index: usize, function: &str) -> EvaluatorError {
    EvaluatorError::TypeError(format!(
        "T0410: Argument {index} of function \"{function}\" does not match function signature"
    ))
}

fn at_most(args: &[JValue], count: usize, function: &str) -> Result<(), EvaluatorError> {
    if args.len() > count {
        return Err(signature_error(count + 1, function));
    }
    Ok(())
}

fn arg(args: &[JValue], index: usize) -> &JValue {
    const UNDEFINED: JValue = JValue::Undefined;
    args.get(index).unwrap_or(&UNDEFINED)
}

/// A number argument: `Ok(None)` when undefined.
fn number_arg(
    args: &[JValue],
    index: usize,
    function: &str,
) -> Result<Option<f64>, EvaluatorError> {
    match arg(args, index) {
        JValue::Undefined => Ok(None),
        JValue::Number(n) => Ok(Some(*n)),
        _ => Err(signature_error(index + 1, function)),
    }
}

/// A string argument: `Ok(None)` when undefined.
fn string_arg<'a>(
    args: &'a [JValue],
    index: usize,
    function: &str,
) -> Result<Option<&'a str>, EvaluatorError> {
    match arg(args, index) {
        JValue::Undefined => Ok(None),
        JValue::String(s) => Ok(Some(s)),
        _ => Err(signature_error(index + 1, function)),
    }
}

fn sequence_too_long(limits: &Limits) -> EvaluatorError {
    EvaluatorError::EvaluationError(format!(
        "D2015: The maximum sequence length of {} was exceeded.",
        limits.max_sequence_length
    ))
}

/// `$partition(array, size)`: the array cut into arrays of `size` items (the last one
/// shorter when the items run out). A single value counts as an array of one.
pub(crate) fn partition(args: &[JValue], limits: &Limits) -> HostResult {
    const NAME: &str = "partition";
    at_most(args, 2, NAME)?;
    let items: Vec<JValue> = match arg(args, 0) {
        JValue::Undefined => return Ok(JValue::Undefined),
        JValue::Array(items) => items.iter().cloned().collect(),
        JValue::Lambda(_) | JValue::Builtin { .. } | JValue::Regex { .. } => {
            return Err(signature_error(1, NAME))
        }
        single => vec![single.clone()],
    };
    let Some(size) = number_arg(args, 1, NAME)? else {
        return Ok(JValue::Undefined);
    };
    if !(size >= 1.0 && size.fract() == 0.0) {
        return Err(EvaluatorError::EvaluationError(format!(
            "The size argument of function $partition must be a positive integer, got {}",
            jsonata_number(size)
        )));
    }
    if items.len() > limits.max_sequence_length {
        return Err(sequence_too_long(limits));
    }
    // size >= 1 and integral; a size beyond the item count is one chunk.
    let size = if size >= items.len() as f64 {
        items.len().max(1)
    } else {
        size as usize
    };
    let chunks = items
        .chunks(size)
        .map(|chunk| JValue::array(chunk.to_vec()))
        .collect();
    Ok(JValue::array(chunks))
}

/// `$range(start, end, step)`: `start`, `start + step`, ... up to and including `end`,
/// as a sequence (one number is that number, none is undefined).
pub(crate) fn range(args: &[JValue], limits: &Limits) -> HostResult {
    const NAME: &str = "range";
    at_most(args, 3, NAME)?;
    let start = number_arg(args, 0, NAME)?;
    let end = number_arg(args, 1, NAME)?;
    let step = number_arg(args, 2, NAME)?;
    let (Some(start), Some(end), Some(step)) = (start, end, step) else {
        return Ok(JValue::Undefined);
    };
    if step == 0.0 || !step.is_finite() || !start.is_finite() || !end.is_finite() {
        return Err(EvaluatorError::EvaluationError(format!(
            "The step argument of function $range must be a non-zero number, got {}",
            jsonata_number(step)
        )));
    }
    let steps = ((end - start) / step).floor();
    if steps < 0.0 {
        return Ok(JValue::Undefined);
    }
    if steps >= limits.max_sequence_length as f64 {
        return Err(sequence_too_long(limits));
    }
    let count = steps as usize + 1;
    let values = (0..count)
        .map(|i| JValue::Number(start + i as f64 * step))
        .collect();
    Ok(JValue::sequence(values))
}

/// `$hash(value, algorithm)`: the lowercase hex digest of the string's UTF-8 bytes;
/// the algorithm is one of MD5, SHA-1, SHA-256, SHA-384, SHA-512.
pub(crate) fn hash(args: &[JValue]) -> HostResult {
    const NAME: &str = "hash";
    at_most(args, 2, NAME)?;
    let value = string_arg(args, 0, NAME)?;
    let algorithm = string_arg(args, 1, NAME)?;
    let (Some(value), Some(algorithm)) = (value, algorithm) else {
        return Ok(JValue::Undefined);
    };
    let bytes = value.as_bytes();
    let hex = match algorithm {
        "MD5" => hex_digest::<Md5>(bytes),
        "SHA-1" => hex_digest::<Sha1>(bytes),
        "SHA-256" => hex_digest::<Sha256>(bytes),
        "SHA-384" => hex_digest::<Sha384>(bytes),
        "SHA-512" => hex_digest::<Sha512>(bytes),
        other => {
            return Err(EvaluatorError::EvaluationError(format!(
                "The algorithm argument of function $hash must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512, got {}",
                serde_json::Value::String(other.to_string())
            )))
        }
    };
    Ok(JValue::string(hex))
}

fn hex_digest<D: Digest>(data: &[u8]) -> String {
    let mut hex = String::with_capacity(2 * <D as Digest>::output_size());
    for byte in D::digest(data) {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// `$random()`: a number in [0, 1) from the execution's entropy. `$random(seed)`: a
/// number in [0, 1) determined by the seed, `java.util.Random(seed).nextDouble()`.
pub(crate) fn random(args: &[JValue], host: &Host) -> HostResult {
    const NAME: &str = "random";
    at_most(args, 1, NAME)?;
    let value = match number_arg(args, 0, NAME)? {
        Some(seed) if !seed.is_finite() => return Err(signature_error(1, NAME)),
        // `as` saturates: the seed is the number truncated to a Java long.
        Some(seed) => JavaRandom::new(seed as i64).next_double(),
        None => host.rng.borrow_mut().next_f64(),
    };
    Ok(JValue::Number(value))
}

/// `java.util.Random`: a 48-bit linear congruential generator.
struct JavaRandom {
    seed: u64,
}

impl JavaRandom {
    const MULTIPLIER: u64 = 0x5_DEEC_E66D;
    const MASK: u64 = (1 << 48) - 1;

    fn new(seed: i64) -> Self {
        JavaRandom {
            seed: (seed as u64 ^ Self::MULTIPLIER) & Self::MASK,
        }
    }

    fn next(&mut self, bits: u32) -> u64 {
        self.seed = self.seed.wrapping_mul(Self::MULTIPLIER).wrapping_add(0xB) & Self::MASK;
        self.seed >> (48 - bits)
    }

    fn next_double(&mut self) -> f64 {
        let high = self.next(26);
        let low = self.next(27);
        ((high << 27) + low) as f64 / (1u64 << 53) as f64
    }
}

/// `$uuid()`: a random version 4 UUID from the execution's entropy.
pub(crate) fn uuid(args: &[JValue], host: &Host) -> HostResult {
    at_most(args, 0, "uuid")?;
    let mut rng = host.rng.borrow_mut();
    Ok(JValue::string(crate::random::uuid_v4(&mut *rng)))
}

/// `$parse(jsonString)`: the value a JSON text stands for.
pub(crate) fn parse(args: &[JValue]) -> HostResult {
    const NAME: &str = "parse";
    at_most(args, 1, NAME)?;
    let Some(text) = string_arg(args, 0, NAME)? else {
        return Ok(JValue::Undefined);
    };
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(value) => Ok(to_jvalue(&value)),
        Err(e) => Err(EvaluatorError::EvaluationError(format!(
            "The argument of function $parse is not valid JSON: {e}"
        ))),
    }
}

/// `$eval`: not allowed in Step Functions.
pub(crate) fn eval(_args: &[JValue]) -> HostResult {
    Err(EvaluatorError::EvaluationError(
        "The function $eval is not supported; use $parse to read a JSON string".to_string(),
    ))
}

/// `$shuffle(array)`: the items in a random order (Fisher-Yates over the execution's
/// entropy). A single value counts as an array of one.
pub(crate) fn shuffle(args: &[JValue], host: &Host) -> HostResult {
    at_most(args, 1, "shuffle")?;
    let mut items: Vec<JValue> = match arg(args, 0) {
        JValue::Undefined => return Ok(JValue::Undefined),
        JValue::Array(items) => items.iter().cloned().collect(),
        single => vec![single.clone()],
    };
    let mut rng = host.rng.borrow_mut();
    for i in (1..items.len()).rev() {
        // i < 2^64, so the modulo bias is negligible for any real array.
        let j = (rng.next_u64() % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
    Ok(JValue::array(items))
}

/// `$now([picture [, timezone]])` at the environment's time: `$fromMillis` of it.
pub(crate) fn now(args: &[JValue], millis: i64) -> HostResult {
    at_most(args, 2, "now")?;
    static FROM_MILLIS: OnceLock<Option<AstNode>> = OnceLock::new();
    let ast = FROM_MILLIS
        .get_or_init(|| jsonata_core::parser::parse("$fromMillis($m, $p, $t)").ok())
        .as_ref()
        .ok_or_else(|| EvaluatorError::EvaluationError("$now is unavailable".to_string()))?;
    let mut context = Context::new();
    context.bind("m".to_string(), JValue::Number(millis as f64));
    context.bind("p".to_string(), arg(args, 0).clone());
    context.bind("t".to_string(), arg(args, 1).clone());
    Evaluator::with_context(context).evaluate(ast, &JValue::Undefined)
}

/// A number as JSONata prints it in a message (integral values without `.0`).
fn jsonata_number(n: f64) -> String {
    match super::convert::number(n) {
        Ok(n) => n.to_string(),
        Err(_) => "null".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn host() -> Host {
        Host {
            rng: RefCell::new(SplitMix64::new(7)),
            now_millis: Some(1_700_000_000_123),
            limits: Limits::default(),
        }
    }

    fn jv(value: Value) -> JValue {
        to_jvalue(&value)
    }

    fn json_of(value: HostResult) -> Value {
        let value = value.expect("succeeds");
        super::super::convert::from_jvalue(&value.unwrap_sequence(), 100)
            .expect("JSON")
            .unwrap_or(json!("<undefined>"))
    }

    fn message(result: HostResult) -> String {
        match result {
            Err(e) => e.message().to_string(),
            Ok(v) => panic!("succeeded: {v:?}"),
        }
    }

    #[test]
    fn partition_cuts_into_chunks() {
        let limits = Limits::default();
        let p = |a: Value, n: Value| json_of(partition(&[jv(a), jv(n)], &limits));
        assert_eq!(p(json!([0]), json!(1)), json!([[0]]));
        assert_eq!(p(json!([0]), json!(5)), json!([[0]]));
        assert_eq!(p(json!([0, 1, 2]), json!(2)), json!([[0, 1], [2]]));
        assert_eq!(p(json!([0, 1, 2, 3]), json!(4)), json!([[0, 1, 2, 3]]));
        assert_eq!(
            p(json!([1, 2, 3, 4, 5, 6, 7, 8, 9]), json!(3)),
            json!([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
        );
        assert_eq!(p(json!([]), json!(3)), json!([]));
        assert_eq!(p(json!("a"), json!(3)), json!([["a"]]));
        assert_eq!(
            json_of(partition(&[JValue::Undefined, jv(json!(2))], &limits)),
            json!("<undefined>")
        );
        assert_eq!(
            message(partition(&[jv(json!([1])), jv(json!(0))], &limits)),
            "The size argument of function $partition must be a positive integer, got 0"
        );
        assert_eq!(
            message(partition(&[jv(json!([1])), jv(json!(1.5))], &limits)),
            "The size argument of function $partition must be a positive integer, got 1.5"
        );
        assert_eq!(
            message(partition(&[jv(json!([1])), jv(json!("2"))], &limits)),
            "T0410: Argument 2 of function \"partition\" does not match function signature"
        );
        assert_eq!(
            message(partition(
                &[jv(json!([1])), jv(json!(1)), jv(json!(1))],
                &limits
            )),
            "T0410: Argument 3 of function \"partition\" does not match function signature"
        );
        let tiny = Limits {
            max_sequence_length: 2,
            ..Limits::default()
        };
        assert_eq!(
            message(partition(&[jv(json!([1, 2, 3])), jv(json!(1))], &tiny)),
            "D2015: The maximum sequence length of 2 was exceeded."
        );
    }

    #[test]
    fn range_counts_inclusively_as_a_sequence() {
        let limits = Limits::default();
        let r = |a: f64, b: f64, s: f64| {
            json_of(range(
                &[JValue::Number(a), JValue::Number(b), JValue::Number(s)],
                &limits,
            ))
        };
        assert_eq!(r(0.0, 9.0, 3.0), json!([0, 3, 6, 9]));
        assert_eq!(r(0.0, 10.0, 3.0), json!([0, 3, 6, 9]));
        assert_eq!(r(1.0, 9.0, 9.0), json!(1));
        assert_eq!(r(1.0, 9.0, 2.0), json!([1, 3, 5, 7, 9]));
        assert_eq!(r(0.0, 10.0, 2.0), json!([0, 2, 4, 6, 8, 10]));
        assert_eq!(r(10.0, 0.0, -5.0), json!([10, 5, 0]));
        assert_eq!(r(0.0, 1.0, 0.5), json!([0, 0.5, 1]));
        assert_eq!(r(5.0, 0.0, 1.0), json!("<undefined>"));
        assert_eq!(
            message(range(
                &[jv(json!("0")), jv(json!(4)), jv(json!(1))],
                &limits
            )),
            "T0410: Argument 1 of function \"range\" does not match function signature"
        );
        assert_eq!(
            message(range(
                &[jv(json!(0)), jv(json!(4)), jv(json!(1)), jv(json!(2))],
                &limits
            )),
            "T0410: Argument 4 of function \"range\" does not match function signature"
        );
        assert_eq!(
            message(range(&[jv(json!(0)), jv(json!(4)), jv(json!(0))], &limits)),
            "The step argument of function $range must be a non-zero number, got 0"
        );
        assert_eq!(
            message(range(
                &[jv(json!(0)), jv(json!(1e9)), jv(json!(1))],
                &limits
            )),
            format!(
                "D2015: The maximum sequence length of {} was exceeded.",
                limits.max_sequence_length
            )
        );
        assert_eq!(
            json_of(range(
                &[jv(json!(0)), JValue::Undefined, jv(json!(1))],
                &limits
            )),
            json!("<undefined>")
        );
    }

    #[test]
    fn hash_digests() {
        let h = |alg: &str| json_of(hash(&[jv(json!("input data")), jv(json!(alg))]));
        assert_eq!(h("MD5"), json!("812f45842bc6d66ee14572ce20db8e86"));
        assert_eq!(
            h("SHA-1"),
            json!("aaff4a450a104cd177d28d18d74485e8cae074b7")
        );
        assert_eq!(
            h("SHA-256"),
            json!("b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3")
        );
        assert_eq!(h("SHA-384").as_str().map(str::len), Some(96));
        assert_eq!(h("SHA-512").as_str().map(str::len), Some(128));
        assert_eq!(
            json_of(hash(&[jv(json!("")), jv(json!("SHA-256"))])),
            json!("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        );
        assert_eq!(
            message(hash(&[jv(json!("a")), jv(json!("SHA-3"))])),
            "The algorithm argument of function $hash must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512, got \"SHA-3\""
        );
        assert_eq!(
            message(hash(&[jv(json!(1)), jv(json!("MD5"))])),
            "T0410: Argument 1 of function \"hash\" does not match function signature"
        );
        assert_eq!(
            json_of(hash(&[JValue::Undefined, jv(json!("MD5"))])),
            json!("<undefined>")
        );
    }

    #[test]
    fn random_is_seeded_by_java_random_or_drawn_from_entropy() {
        let host = host();
        // java.util.Random(42).nextDouble() and Random(0).nextDouble().
        assert_eq!(
            json_of(random(&[jv(json!(42))], &host)),
            json!(0.7275636800328681)
        );
        assert_eq!(
            json_of(random(&[jv(json!(0))], &host)),
            json!(0.730967787376657)
        );
        assert_eq!(
            json_of(random(&[jv(json!(42.9))], &host)),
            json!(0.7275636800328681)
        );
        let a = json_of(random(&[], &host));
        let b = json_of(random(&[], &host));
        assert_ne!(a, b);
        assert!(a.as_f64().is_some_and(|f| (0.0..1.0).contains(&f)));
        let replay = super::tests::host();
        assert_eq!(json_of(random(&[], &replay)), a);
        assert_eq!(
            message(random(&[jv(json!("x"))], &host)),
            "T0410: Argument 1 of function \"random\" does not match function signature"
        );
        assert_eq!(
            message(random(&[jv(json!(1)), jv(json!(2))], &host)),
            "T0410: Argument 2 of function \"random\" does not match function signature"
        );
    }

    #[test]
    fn uuid_is_v4_and_replays() {
        let a = json_of(uuid(&[], &host()));
        let text = a.as_str().unwrap_or_default().to_string();
        assert_eq!(text.len(), 36);
        assert_eq!(&text[14..15], "4");
        assert!(matches!(&text[19..20], "8" | "9" | "a" | "b"));
        assert_eq!(json_of(uuid(&[], &host())), a);
        assert_eq!(
            message(uuid(&[jv(json!(1))], &host())),
            "T0410: Argument 1 of function \"uuid\" does not match function signature"
        );
    }

    #[test]
    fn parse_reads_json() {
        let p = |text: &str| json_of(parse(&[jv(json!(text))]));
        assert_eq!(p("1"), json!(1));
        assert_eq!(p("1.1"), json!(1.1));
        assert_eq!(p("true"), json!(true));
        assert_eq!(p("\"HelloWorld\""), json!("HelloWorld"));
        assert_eq!(
            p("{\"Arg1\": 1, \"Arg2\": []}"),
            json!({"Arg1": 1, "Arg2": []})
        );
        assert_eq!(p("null"), json!(null));
        assert_eq!(
            message(parse(&[jv(json!("{'a': 1}"))])),
            "The argument of function $parse is not valid JSON: key must be a string at line 1 column 2"
        );
        assert_eq!(
            message(parse(&[jv(json!(1))])),
            "T0410: Argument 1 of function \"parse\" does not match function signature"
        );
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse(&[jv(json!(deep))]).is_err());
    }

    #[test]
    fn eval_is_refused() {
        assert_eq!(
            message(eval(&[jv(json!("1 + 1"))])),
            "The function $eval is not supported; use $parse to read a JSON string"
        );
    }

    #[test]
    fn shuffle_permutes_and_replays() {
        let items = jv(json!([1, 2, 3, 4, 5, 6, 7, 8]));
        let a = json_of(shuffle(std::slice::from_ref(&items), &host()));
        assert_eq!(json_of(shuffle(std::slice::from_ref(&items), &host())), a);
        let mut sorted: Vec<i64> = a
            .as_array()
            .map(|v| v.iter().filter_map(Value::as_i64).collect())
            .unwrap_or_default();
        sorted.sort_unstable();
        assert_eq!(sorted, [1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(json_of(shuffle(&[jv(json!(5))], &host())), json!([5]));
        assert_eq!(json_of(shuffle(&[], &host())), json!("<undefined>"));
    }

    #[test]
    fn now_formats_the_given_time() {
        let millis = 1_700_000_000_123;
        assert_eq!(json_of(now(&[], millis)), json!("2023-11-14T22:13:20.123Z"));
        assert_eq!(
            json_of(now(&[jv(json!("[Y0001]-[M01]"))], millis)),
            json!("2023-11")
        );
        assert!(now(&[jv(json!(1)), jv(json!(2)), jv(json!(3))], millis).is_err());
    }
}
