//! The Amazon States Language: everything about a definition that needs no IO.
//!
//! # Layout
//! - [`validate`]: static checks of a raw definition, all diagnostics at once, each
//!   located by a JSON pointer (what ValidateStateMachineDefinition reports).
//! - [`model`]: the typed, compiled definition the engine runs (states, Retry/Catch,
//!   Choice rules, payload templates), built from a validated definition.
//! - [`jsonpath`]: ASL's JSONPath (Jayway semantics), reference paths, assignment.
//! - [`intrinsics`]: the `States.*` intrinsic functions.
//! - [`jsonata`]: JSONata `{% %}` expressions and templates as AWS evaluates them.
//! - [`payload`]: payload templates (`Parameters`, `ResultSelector`, `ItemSelector`
//!   with `.$` keys) and input/output processing in AWS's order.
//! - [`choice`]: Choice rules and their comparison operators.
//! - [`timestamp`]: ISO-8601 parsing as AWS accepts it.
//! - [`errors`]: the predefined `States.*` error names and error matching.
//! - [`random`]: randomness as an input (seeded, serializable).
//! - [`size`]: the serialized size of a value without serializing it (the 256 KiB limit).

pub mod choice;
pub mod errors;
pub mod intrinsics;
pub mod jsonata;
pub mod jsonpath;
pub mod model;
pub mod payload;
pub mod random;
pub mod size;
pub mod timestamp;
pub mod validate;
