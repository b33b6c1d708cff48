//! The intrinsic functions (`States.Format(...)` and the 17 others).
//!
//! ASL's intrinsic syntax is its own small language (single-quoted strings where only
//! `\'`, `\{`, `\}` and `\\` are escapes, JSONPath and `$variable` arguments, nested
//! calls), so it is parsed here rather than by a general expression crate, and the
//! functions are hand-written because their rules are AWS's (a Java service), not
//! those of any library: numbers are truncated or rounded the way Java does it,
//! `States.Format` prints objects as Java maps (`{a=1, b=[]}`), seeded
//! `States.MathRandom` is `java.util.Random`, `States.Base64Decode` is lenient like
//! Apache commons-codec, `States.StringSplit` is a `StringTokenizer`.
//!
//! A call is parsed once ([`Intrinsic::parse`]: paths compiled, the `States.Format`
//! template of a literal pre-split) and evaluated many times ([`Intrinsic::eval`]).
//! The parser accepts every call AWS accepts in a definition; what AWS only rejects
//! when the state runs (a wrong number of arguments, a malformed Format template) is
//! a run-time [`IntrinsicError`], as on AWS.
//!
//! Run-time failures are `States.Runtime` with AWS's cause, minus the
//! `An error occurred while executing the state '...' (entered at the event id #n). `
//! prefix the engine adds:
//! `The function 'States.Format('{}', $.nope)' had the following error: The JsonPath
//! argument for the field '$.nope' could not be found in the input '{"other":1}'`, or
//! `... had the following error: Invalid arguments in States.MathAdd`.
//!
//! Layout: `parse` (the call syntax), `format` (States.Format and Java's printing of
//! values), one file per family: `array`, `json`, `encoding`, `hash`, `math`,
//! `string`, `uuid`.

mod array;
mod encoding;
mod format;
mod hash;
mod json;
mod math;
mod parse;
mod string;
mod uuid;

use crate::jsonpath::{PathScope, Root};
use crate::random::Entropy;
use parse::{Arg, Call};
use serde_json::Value;
use std::borrow::Cow;

/// A syntax error in an intrinsic call, with the byte position where it was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at position {position})")]
pub struct IntrinsicSyntaxError {
    /// Byte offset in the text.
    pub position: usize,
    /// Why the call is invalid.
    pub message: String,
}

/// A run-time failure of an intrinsic: the ASL error name and AWS's cause text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error}: {cause}")]
pub struct IntrinsicError {
    /// `States.IntrinsicFailure` or `States.Runtime`.
    pub error: String,
    /// AWS's cause text.
    pub cause: String,
}

/// The error name of every run-time intrinsic failure on AWS.
pub const RUNTIME_ERROR: &str = "States.Runtime";

/// How deeply calls may nest inside one another (AWS documents 10; this is only the
/// parser's safety bound, see [`Intrinsic::nesting_depth`]).
pub const MAX_NESTING: usize = 64;

/// The 18 intrinsic functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Function {
    /// `States.Format(template, values...)`.
    Format,
    /// `States.StringToJson(string)`.
    StringToJson,
    /// `States.JsonToString(value)`.
    JsonToString,
    /// `States.Array(values...)`.
    Array,
    /// `States.ArrayPartition(array, chunkSize)`.
    ArrayPartition,
    /// `States.ArrayContains(array, value)`.
    ArrayContains,
    /// `States.ArrayRange(start, end, step)`.
    ArrayRange,
    /// `States.ArrayGetItem(array, index)`.
    ArrayGetItem,
    /// `States.ArrayLength(array)`.
    ArrayLength,
    /// `States.ArrayUnique(array)`.
    ArrayUnique,
    /// `States.Base64Encode(string)`.
    Base64Encode,
    /// `States.Base64Decode(string)`.
    Base64Decode,
    /// `States.Hash(data, algorithm)`.
    Hash,
    /// `States.JsonMerge(object, object, deep)`.
    JsonMerge,
    /// `States.MathRandom(start, end[, seed])`.
    MathRandom,
    /// `States.MathAdd(a, b)`.
    MathAdd,
    /// `States.StringSplit(string, delimiters)`.
    StringSplit,
    /// `States.UUID()`.
    Uuid,
}

impl Function {
    /// Every function, in the order of the AWS documentation.
    pub const ALL: [Function; 18] = [
        Function::Array,
        Function::ArrayPartition,
        Function::ArrayContains,
        Function::ArrayRange,
        Function::ArrayGetItem,
        Function::ArrayLength,
        Function::ArrayUnique,
        Function::Base64Encode,
        Function::Base64Decode,
        Function::Hash,
        Function::JsonMerge,
        Function::StringToJson,
        Function::JsonToString,
        Function::MathRandom,
        Function::MathAdd,
        Function::StringSplit,
        Function::Uuid,
        Function::Format,
    ];

    /// The full name, `States.Format`.
    pub fn name(self) -> &'static str {
        match self {
            Function::Format => "States.Format",
            Function::StringToJson => "States.StringToJson",
            Function::JsonToString => "States.JsonToString",
            Function::Array => "States.Array",
            Function::ArrayPartition => "States.ArrayPartition",
            Function::ArrayContains => "States.ArrayContains",
            Function::ArrayRange => "States.ArrayRange",
            Function::ArrayGetItem => "States.ArrayGetItem",
            Function::ArrayLength => "States.ArrayLength",
            Function::ArrayUnique => "States.ArrayUnique",
            Function::Base64Encode => "States.Base64Encode",
            Function::Base64Decode => "States.Base64Decode",
            Function::Hash => "States.Hash",
            Function::JsonMerge => "States.JsonMerge",
            Function::MathRandom => "States.MathRandom",
            Function::MathAdd => "States.MathAdd",
            Function::StringSplit => "States.StringSplit",
            Function::Uuid => "States.UUID",
        }
    }

    /// The function called `name` (`States.Format`), if any.
    pub fn from_name(name: &str) -> Option<Function> {
        Function::ALL.into_iter().find(|f| f.name() == name)
    }

    /// How many arguments the function takes: `(min, max)`, `max` `None` when unbounded.
    pub fn arity(self) -> (usize, Option<usize>) {
        match self {
            Function::Format => (1, None),
            Function::Array => (0, None),
            Function::Uuid => (0, Some(0)),
            Function::StringToJson
            | Function::JsonToString
            | Function::ArrayLength
            | Function::ArrayUnique
            | Function::Base64Encode
            | Function::Base64Decode => (1, Some(1)),
            Function::ArrayPartition
            | Function::ArrayContains
            | Function::ArrayGetItem
            | Function::Hash
            | Function::MathAdd
            | Function::StringSplit => (2, Some(2)),
            Function::ArrayRange | Function::JsonMerge => (3, Some(3)),
            Function::MathRandom => (2, Some(3)),
        }
    }
}

/// A parsed intrinsic function call.
#[derive(Debug, Clone, PartialEq)]
pub struct Intrinsic {
    text: String,
    call: Call,
}

impl Intrinsic {
    /// True when `text` is meant as an intrinsic call (starts with `States.`).
    pub fn looks_like(text: &str) -> bool {
        text.trim_start().starts_with("States.")
    }

    /// Parses one call, e.g. `States.Format('{} {}', $.a, States.UUID())`.
    pub fn parse(text: &str) -> Result<Self, IntrinsicSyntaxError> {
        Ok(Intrinsic {
            text: text.to_string(),
            call: parse::parse(text)?,
        })
    }

    /// The call as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The outermost function (`States.Format` in `States.Format('{}', States.UUID())`).
    pub fn function(&self) -> Function {
        self.call.function
    }

    /// How many calls are nested at the deepest point (1 for `States.UUID()`).
    pub fn nesting_depth(&self) -> usize {
        self.call.depth()
    }

    /// Every function called, the outermost first.
    pub fn functions(&self) -> Vec<Function> {
        let mut out = Vec::new();
        self.call.collect_functions(&mut out);
        out
    }

    /// Evaluates the call; paths are resolved in `scope`, randomness (UUID,
    /// MathRandom) comes from `entropy`.
    pub fn eval(
        &self,
        scope: &dyn PathScope,
        entropy: &mut dyn Entropy,
    ) -> Result<Value, IntrinsicError> {
        eval_call(&self.call, scope, entropy).map_err(|detail| IntrinsicError {
            error: RUNTIME_ERROR.to_string(),
            cause: format!(
                "The function '{}' had the following error: {detail}",
                self.text
            ),
        })
    }
}

/// `Invalid arguments in States.X`: AWS's text for arguments of the wrong number,
/// type or range.
pub(crate) fn invalid(function: Function) -> String {
    format!("Invalid arguments in {}", function.name())
}

/// The arguments when there are exactly `N` of them.
pub(crate) fn exactly<'b, const N: usize>(
    function: Function,
    args: &'b [Cow<'_, Value>],
) -> Result<[&'b Value; N], String> {
    if args.len() != N {
        return Err(invalid(function));
    }
    let mut out = [&Value::Null; N];
    for (slot, arg) in out.iter_mut().zip(args) {
        *slot = arg.as_ref();
    }
    Ok(out)
}

/// A JSON number as Java sees it: integral (`Long`) or not (`Double`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Num {
    Int(i64),
    Float(f64),
}

impl Num {
    /// The number in `value`, if it is one.
    pub(crate) fn of(value: &Value) -> Option<Num> {
        let n = value.as_number()?;
        Some(match n.as_i64() {
            Some(i) => Num::Int(i),
            None => Num::Float(n.as_f64()?),
        })
    }

    /// Java's `intValue()`/`longValue()` of a `Double`: towards zero, saturating.
    pub(crate) fn truncate(self) -> i64 {
        match self {
            Num::Int(i) => i,
            // `as` saturates (and maps NaN to 0), like Java's narrowing of a double.
            Num::Float(f) => f.trunc() as i64,
        }
    }

    /// Java's `Math.round`: the nearest integer, halves up (`-0.5` to 0, `2.5` to 3).
    pub(crate) fn round(self) -> i64 {
        match self {
            Num::Int(i) => i,
            Num::Float(f) => {
                let floor = f.floor();
                // `f - floor` is exact in binary floating point.
                let rounded = if f - floor >= 0.5 { floor + 1.0 } else { floor };
                rounded as i64
            }
        }
    }
}

/// Resolves one argument: literals borrow, paths borrow from the input when they can.
fn eval_arg<'a>(
    arg: &'a Arg,
    scope: &'a dyn PathScope,
    entropy: &mut dyn Entropy,
) -> Result<Cow<'a, Value>, String> {
    match arg {
        Arg::Literal(value) => Ok(Cow::Borrowed(value)),
        Arg::Call(call) => eval_call(call, scope, entropy).map(Cow::Owned),
        Arg::Path(path) => {
            let found = match path.root() {
                Root::Input => match path.select_ref_strict(scope.input()) {
                    Some(value) => Some(Cow::Borrowed(value)),
                    None if path.is_definite() => None,
                    None => path.select_strict(scope.input()).map(Cow::Owned),
                },
                Root::Context => match scope.context(path.first_property()) {
                    Cow::Borrowed(context) => match path.select_ref_strict(context) {
                        Some(value) => Some(Cow::Borrowed(value)),
                        None if path.is_definite() => None,
                        None => path.select_strict(context).map(Cow::Owned),
                    },
                    Cow::Owned(context) => path.select_strict(&context).map(Cow::Owned),
                },
                Root::Variable => path.resolve_strict(scope).map(Cow::Owned),
            };
            found.ok_or_else(|| {
                // AWS names a `$$` argument as the path inside the context object
                // (`$$.Execution.Foo` is reported as `$.Execution.Foo`), and always
                // shows the state input.
                let shown = match path.root() {
                    Root::Input | Root::Variable => path.as_str().trim(),
                    Root::Context => path.as_str().trim().get(1..).unwrap_or(""),
                };
                not_found(shown, scope)
            })
        }
        Arg::Variable(variable) => variable
            .resolve_strict(scope)
            .map(Cow::Owned)
            .ok_or_else(|| not_found(variable.as_str().trim(), scope)),
    }
}

fn not_found(path: &str, scope: &dyn PathScope) -> String {
    format!(
        "The JsonPath argument for the field '{path}' could not be found in the input '{}'",
        scope.input()
    )
}

fn eval_call(
    call: &Call,
    scope: &dyn PathScope,
    entropy: &mut dyn Entropy,
) -> Result<Value, String> {
    let mut args = Vec::with_capacity(call.args.len());
    for arg in &call.args {
        args.push(eval_arg(arg, scope, entropy)?);
    }
    let f = call.function;
    match f {
        Function::Format => format::format(call.template.as_ref(), &args),
        Function::StringToJson => json::string_to_json(&args),
        Function::JsonToString => json::json_to_string(&args),
        Function::JsonMerge => json::json_merge(&args),
        Function::Array => Ok(Value::Array(
            args.into_iter().map(Cow::into_owned).collect(),
        )),
        Function::ArrayPartition => array::partition(&args),
        Function::ArrayContains => array::contains(&args),
        Function::ArrayRange => array::range(&args),
        Function::ArrayGetItem => array::get_item(&args),
        Function::ArrayLength => array::length(&args),
        Function::ArrayUnique => array::unique(&args),
        Function::Base64Encode => encoding::encode(&args),
        Function::Base64Decode => encoding::decode(&args),
        Function::Hash => hash::hash(&args),
        Function::MathRandom => math::random(&args, entropy),
        Function::MathAdd => math::add(&args),
        Function::StringSplit => string::split(&args),
        Function::Uuid => uuid::uuid(&args, entropy),
    }
}

#[cfg(test)]
mod tests;
