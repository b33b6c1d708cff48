//! AWS's naming rules for state machines, executions, activities (and Stepwise's
//! modules): 1 to 80 characters, none of them whitespace, a bracket
//! (`< > { } [ ]`), a wildcard (`? *`), one of `" # % \ ^ | ~ ` $ & , ; : /` or a
//! control character (U+0000 to U+001F, U+007F to U+009F).

use crate::error::{excerpt, ApiError, ErrorCode};
use std::fmt;

/// The longest name, in characters.
pub const MAX_NAME_CHARS: usize = 80;

/// Why a name breaks the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameProblem {
    /// The name is empty.
    Empty,
    /// The name is longer than [`MAX_NAME_CHARS`] characters.
    TooLong,
    /// The name contains this forbidden character.
    Forbidden(char),
}

impl fmt::Display for NameProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameProblem::Empty => f.write_str("a name must not be empty"),
            NameProblem::TooLong => {
                write!(f, "a name must be at most {MAX_NAME_CHARS} characters")
            }
            NameProblem::Forbidden(c) if c.is_whitespace() => {
                write!(f, "a name must not contain whitespace ({:?})", c)
            }
            NameProblem::Forbidden(c) if c.is_control() => {
                write!(f, "a name must not contain control characters ({:?})", c)
            }
            NameProblem::Forbidden(c) => write!(f, "a name must not contain '{c}'"),
        }
    }
}

/// Whether `c` may not appear in a name.
fn forbidden(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '<' | '>'
                | '{'
                | '}'
                | '['
                | ']'
                | '?'
                | '*'
                | '"'
                | '#'
                | '%'
                | '\\'
                | '^'
                | '|'
                | '~'
                | '`'
                | '$'
                | '&'
                | ','
                | ';'
                | ':'
                | '/'
        )
}

/// Checks a name against AWS's rules.
pub fn check_name(name: &str) -> Result<(), NameProblem> {
    if name.is_empty() {
        return Err(NameProblem::Empty);
    }
    if let Some(c) = name.chars().find(|&c| forbidden(c)) {
        return Err(NameProblem::Forbidden(c));
    }
    if name.len() > MAX_NAME_CHARS && name.chars().count() > MAX_NAME_CHARS {
        return Err(NameProblem::TooLong);
    }
    Ok(())
}

/// [`check_name`] as an `InvalidName` error that quotes the name.
pub fn validate_name(name: &str) -> Result<(), ApiError> {
    check_name(name).map_err(|problem| {
        ApiError::new(
            ErrorCode::InvalidName,
            format!("Invalid Name: '{}' ({problem})", excerpt(name)),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_names() {
        for name in [
            "a",
            "my-machine_1",
            "Zürich.Ö",
            "x".repeat(80).as_str(),
            "ü".repeat(80).as_str(),
        ] {
            assert_eq!(check_name(name), Ok(()), "{name}");
        }
    }

    #[test]
    fn bad_names() {
        assert_eq!(check_name(""), Err(NameProblem::Empty));
        assert_eq!(check_name(&"x".repeat(81)), Err(NameProblem::TooLong));
        assert_eq!(check_name(&"ü".repeat(81)), Err(NameProblem::TooLong));
        for c in "<>{}[]?*\"#%\\^|~`$&,;:/ \t\n\u{0}\u{1f}\u{7f}\u{85}\u{9f}\u{a0}".chars() {
            let name = format!("a{c}b");
            assert_eq!(
                check_name(&name),
                Err(NameProblem::Forbidden(c)),
                "{name:?}"
            );
        }
    }

    #[test]
    fn invalid_name_error_quotes_the_name() {
        let err = validate_name("my machine").unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidName);
        assert_eq!(
            err.message,
            "Invalid Name: 'my machine' (a name must not contain whitespace (' '))"
        );
        assert!(validate_name("a/b").unwrap_err().message.contains("'/'"));
    }
}
