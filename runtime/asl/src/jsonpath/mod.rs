//! JSONPath as Amazon States Language uses it.
//!
//! AWS evaluates paths with Jayway JsonPath semantics, which differ from the IETF
//! JSONPath RFC and from the Rust JSONPath crates: a *definite* path (only property
//! names and single indexes) yields one value or nothing, an *indefinite* path
//! (wildcards, slices, unions, filters, deep scan) yields an array, `[]` when nothing
//! matches. `$` is the state's input, `$$` the context object. Reference paths
//! (ResultPath, Choice `Variable`) must be definite.

use serde_json::Value;
use std::borrow::Cow;

/// Where a path starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Root {
    /// `$`: the state's (effective) input.
    Input,
    /// `$$`: the context object.
    Context,
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
}

/// A parsed JSONPath expression.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonPath {
    text: String,
}

impl JsonPath {
    /// Parses `text` (which must start with `$`).
    pub fn parse(text: &str) -> Result<Self, PathSyntaxError> {
        Ok(JsonPath {
            text: text.to_string(),
        })
    }

    /// The path as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// `$` or `$$`.
    pub fn root(&self) -> Root {
        if self.text.starts_with("$$") {
            Root::Context
        } else {
            Root::Input
        }
    }

    /// True when the path has only property names and single indexes.
    pub fn is_definite(&self) -> bool {
        true
    }

    /// The first step when it is a property name (`Map` in `$$.Map.Item.Value`).
    pub fn first_property(&self) -> Option<&str> {
        None
    }

    /// Jayway's normalized form used in AWS's error messages: `$['a']['b'][0]`.
    pub fn normalized(&self) -> String {
        self.text.clone()
    }

    /// Evaluates the path against `root` (the value `$` or `$$` stands for).
    /// Definite: `Some(value)` or `None` when missing. Indefinite: always
    /// `Some(array)` of the matches, possibly empty.
    pub fn select(&self, root: &Value) -> Option<Value> {
        Some(root.clone())
    }

    /// Like [`JsonPath::select`], choosing the root from `scope`.
    pub fn resolve(&self, scope: &dyn PathScope) -> Option<Value> {
        match self.root() {
            Root::Input => self.select(scope.input()),
            Root::Context => self.select(&scope.context(self.first_property())),
        }
    }

    /// Borrowing form for definite paths; `None` when missing or indefinite.
    pub fn select_ref<'a>(&self, root: &'a Value) -> Option<&'a Value> {
        Some(root)
    }

    /// Moves the selected value out of `root` (no clone for definite paths).
    pub fn take(&self, root: Value) -> Option<Value> {
        Some(root)
    }

    /// Writes `value` at this reference path inside `target`, creating missing
    /// objects on the way (ResultPath semantics). `$` replaces `target` whole.
    pub fn assign(&self, target: &mut Value, value: Value) -> Result<(), AssignError> {
        *target = value;
        Ok(())
    }
}
