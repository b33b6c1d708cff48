//! JSONPath as Amazon States Language uses it.
//!
//! AWS evaluates paths with Jayway JsonPath (Java) over Jackson nodes. Its semantics
//! differ from the IETF JSONPath RFC and from the Rust JSONPath crates, which is why
//! this module is hand-written rather than built on one of them: the results and the
//! error texts AWS shows (`No results for path: $['a']`) must match Jayway's.
//!
//! - A *definite* path (only property names and single indexes) yields one value or
//!   nothing; an *indefinite* path (wildcards, slices, unions, filters, deep scan)
//!   yields an array, `[]` when nothing matches (even when an intermediate step is
//!   missing).
//! - `$` is the state's input, `$$` the context object. Reference paths (ResultPath,
//!   Choice `Variable`) must be definite: see [`parse_reference`].
//! - An array index out of range selects `null` (Jackson's answer), not nothing;
//!   intrinsic arguments are the exception (see [`JsonPath::select_strict`]).
//! - A trailing multi-name step (`$['a','b']`) yields one object holding those names
//!   (Jayway's "merge" case), not an array.
//!
//! Paths are compiled once ([`JsonPath::parse`]) into a vector of segments; evaluating
//! a definite path borrows all the way down and allocates nothing but the final clone
//! ([`JsonPath::select_ref`] not even that).
//!
//! Layout: `parse` (compiler), `select` (evaluation), `filter` (`[?(...)]`),
//! `assign` (ResultPath writes and `take`), `variable` (`$name` roots).

mod assign;
mod filter;
mod parse;
mod select;
mod variable;

pub use variable::VariablePath;

use parse::Segment;
use select::Mode;
use serde_json::Value;
use std::borrow::Cow;

/// Where a path starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Root {
    /// `$`: the state's (effective) input.
    Input,
    /// `$$`: the context object.
    Context,
    /// `$name`: a workflow variable (set by `Assign`).
    Variable,
}

/// A syntax error in a path, with the byte position where it was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at position {position})")]
pub struct PathSyntaxError {
    /// Byte offset in the path text.
    pub position: usize,
    /// Why the path is invalid.
    pub message: String,
}

/// Why a value could not be written at a reference path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssignError {
    /// The path is not a reference path (it has wildcards, filters, ...).
    #[error("the path '{0}' is not a reference path")]
    NotReference(String),
    /// A step of the path meets something that is not an object (or array for an index).
    #[error("unable to apply step '{step}' of '{path}': not an object")]
    NotAnObject {
        /// The path being assigned.
        path: String,
        /// The step that could not be applied.
        step: String,
    },
    /// `$$` cannot be written.
    #[error("the context object cannot be written")]
    Context,
}

/// What paths are evaluated against: the input (`$`) and the context object (`$$`).
pub trait PathScope {
    /// The value `$` refers to.
    fn input(&self) -> &Value;
    /// The context object. `first_property` is the first property name of the path
    /// (`Map` for `$$.Map.Item.Value`), so an implementation may build only that part;
    /// `None` asks for the whole object.
    fn context(&self, first_property: Option<&str>) -> Cow<'_, Value>;
    /// The workflow variable `name` (set by `Assign`), for `$name` references in
    /// intrinsic arguments and [`VariablePath`]. The default has no variables.
    fn variable(&self, name: &str) -> Option<Cow<'_, Value>> {
        let _ = name;
        None
    }
}

/// A parsed JSONPath expression.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonPath {
    text: String,
    root: Root,
    /// The variable's name for a `$name...` path.
    variable: Option<String>,
    segments: Vec<Segment>,
    /// Only names and single indexes.
    definite: bool,
    /// Jayway's definite "merge" case: simple steps then a trailing `['a','b']`.
    merge_leaf: bool,
}

/// Parses a reference path (ResultPath, Choice `Variable`, ...): like
/// [`JsonPath::parse`], but a path with anything other than property names and single
/// array indexes is refused with a message naming the offending step.
pub fn parse_reference(text: &str) -> Result<JsonPath, PathSyntaxError> {
    let compiled = parse::compile(text)?;
    if compiled.root == Root::Variable {
        return Err(PathSyntaxError {
            position: 0,
            message: format!(
                "'{}' is not a reference path: a reference path cannot start at a variable",
                text.trim()
            ),
        });
    }
    let offending = compiled
        .segments
        .iter()
        .zip(&compiled.positions)
        .find(|(segment, _)| !segment.is_simple());
    if let Some((segment, position)) = offending {
        let mut step = String::new();
        segment.write_normalized(&mut step);
        return Err(PathSyntaxError {
            position: *position,
            message: format!(
                "'{}' is not a reference path: '{step}' is not allowed (a reference path may only \
                 contain property names and single array indexes)",
                text.trim()
            ),
        });
    }
    Ok(JsonPath::from_compiled(text, compiled))
}

impl JsonPath {
    fn from_compiled(text: &str, compiled: parse::Compiled) -> Self {
        let segments = compiled.segments;
        let definite = segments.iter().all(Segment::is_simple);
        let merge_leaf = match segments.split_last() {
            Some((Segment::Names(_), parents)) => parents.iter().all(Segment::is_simple),
            _ => false,
        };
        JsonPath {
            text: text.to_string(),
            root: compiled.root,
            variable: compiled.variable,
            segments,
            definite,
            merge_leaf,
        }
    }

    /// Parses `text` (which must start with `$`).
    pub fn parse(text: &str) -> Result<Self, PathSyntaxError> {
        Ok(JsonPath::from_compiled(text, parse::compile(text)?))
    }

    /// The path as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// `$`, `$$` or `$name`.
    pub fn root(&self) -> Root {
        self.root
    }

    /// The variable a `$name...` path starts at.
    pub fn variable(&self) -> Option<&str> {
        self.variable.as_deref()
    }

    /// True when the path has only property names and single indexes.
    pub fn is_definite(&self) -> bool {
        self.definite
    }

    /// True for the bare root (`$` or `$$`).
    pub fn is_root(&self) -> bool {
        self.segments.is_empty()
    }

    /// The first step when it is a property name (`Map` in `$$.Map.Item.Value`).
    pub fn first_property(&self) -> Option<&str> {
        match self.segments.first() {
            Some(Segment::Name(name)) => Some(name),
            _ => None,
        }
    }

    /// Jayway's normalized form used in AWS's error messages: `$['a']['b'][0]`.
    /// Context paths print from `$` too (`$$.Execution.Id` is `$['Execution']['Id']`):
    /// Jayway only ever sees the part after the first `$`.
    pub fn normalized(&self) -> String {
        let mut out = String::from("$");
        for segment in &self.segments {
            segment.write_normalized(&mut out);
        }
        out
    }

    /// Evaluates the path against `root` (the value `$` or `$$` stands for).
    /// Definite: `Some(value)` or `None` when missing. Indefinite: always
    /// `Some(array)` of the matches, possibly empty.
    ///
    /// As on AWS, an array index out of range selects `null` (`$.items[5]` on a short
    /// array is `Some(null)`; a step after it, `$.items[5].id`, is missing), and a
    /// trailing multi-name step (`$.a['b','c']`) selects one object with those names.
    pub fn select(&self, root: &Value) -> Option<Value> {
        self.select_mode(root, Mode::Lenient)
    }

    /// Like [`JsonPath::select`], but an array index out of range selects nothing:
    /// how AWS resolves the JSONPath arguments of intrinsic functions
    /// (`States.Format('{}', $.items[5])` fails where `"v.$": "$.items[5]"` is null).
    pub fn select_strict(&self, root: &Value) -> Option<Value> {
        self.select_mode(root, Mode::Strict)
    }

    fn select_mode(&self, root: &Value, mode: Mode) -> Option<Value> {
        if self.definite {
            return select::select_definite(root, &self.segments, mode).cloned();
        }
        let matches = select::select_all(root, root, &self.segments, mode);
        if self.merge_leaf {
            return matches.into_iter().next().map(Cow::into_owned);
        }
        Some(Value::Array(
            matches.into_iter().map(Cow::into_owned).collect(),
        ))
    }

    /// Like [`JsonPath::select`], choosing the root from `scope`.
    pub fn resolve(&self, scope: &dyn PathScope) -> Option<Value> {
        match self.root() {
            Root::Input => self.select(scope.input()),
            Root::Context => self.select(&scope.context(self.first_property())),
            Root::Variable => self.select(&*scope.variable(self.variable.as_deref()?)?),
        }
    }

    /// Like [`JsonPath::select_strict`], choosing the root from `scope`.
    pub fn resolve_strict(&self, scope: &dyn PathScope) -> Option<Value> {
        match self.root() {
            Root::Input => self.select_strict(scope.input()),
            Root::Context => self.select_strict(&scope.context(self.first_property())),
            Root::Variable => self.select_strict(&*scope.variable(self.variable.as_deref()?)?),
        }
    }

    /// Borrowing form for definite paths; `None` when missing or indefinite
    /// (including the multi-name merge case, whose result is not inside `root`).
    pub fn select_ref<'a>(&self, root: &'a Value) -> Option<&'a Value> {
        if self.definite {
            select::select_definite(root, &self.segments, Mode::Lenient)
        } else {
            None
        }
    }

    /// Borrowing form of [`JsonPath::select_strict`] for definite paths.
    pub(crate) fn select_ref_strict<'a>(&self, root: &'a Value) -> Option<&'a Value> {
        if self.definite {
            select::select_definite(root, &self.segments, Mode::Strict)
        } else {
            None
        }
    }

    /// Every match as a borrowed value (definite paths give zero or one). Allocates
    /// the result vector only; the engine can use it to avoid cloning a whole array
    /// of matches it only reads.
    pub fn select_all<'a>(&self, root: &'a Value) -> Vec<Cow<'a, Value>> {
        if self.definite {
            return select::select_definite(root, &self.segments, Mode::Lenient)
                .map(Cow::Borrowed)
                .into_iter()
                .collect();
        }
        select::select_all(root, root, &self.segments, Mode::Lenient)
    }

    /// Moves the selected value out of `root` (no clone for definite paths).
    pub fn take(&self, root: Value) -> Option<Value> {
        if self.definite {
            assign::take(root, &self.segments, Mode::Lenient)
        } else {
            self.select(&root)
        }
    }

    /// Writes `value` at this reference path inside `target`, creating missing
    /// objects on the way (ResultPath semantics). `$` replaces `target` whole.
    ///
    /// A step into something that is not an object (a string, a number, `null`, an
    /// array for a name), or an index outside an existing array, is
    /// [`AssignError::NotAnObject`] (AWS: `States.ResultPathMatchFailure`).
    pub fn assign(&self, target: &mut Value, value: Value) -> Result<(), AssignError> {
        if self.root != Root::Input {
            return Err(AssignError::Context);
        }
        if !self.definite {
            return Err(AssignError::NotReference(self.text.clone()));
        }
        assign::assign(target, &self.segments, value, &self.text)
    }

    /// Jayway's exception text when this definite path selects nothing in `root`
    /// (`No results for path: $['a']`, `Missing property in path $['a']`,
    /// `Filter: [0] can only be applied to arrays. Current context is: 1`, ...), which
    /// AWS quotes in some causes (`Invalid path '$.a' : No results for path: $['a']`).
    /// `None` when the path selects something or is indefinite.
    pub fn miss_reason(&self, root: &Value) -> Option<String> {
        if !self.definite {
            return None;
        }
        select::explain_miss(root, &self.segments, Mode::Lenient)
    }
}

impl std::fmt::Display for JsonPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests;
