//! Error texts as AWS shows them: jsonata-js's `"{code}: {message}"`.
//!
//! jsonata-core raises the same codes as jsonata-js but words some messages
//! differently; the common ones are rewritten here to jsonata-js 2.0's templates
//! (whose `{{value}}` inserts are JSON-quoted: `The left side of the "+" operator ...`).
//! Messages whose details jsonata-core does not report (which function a signature
//! error is about, for one) keep jsonata-core's wording after the code.

use jsonata_core::parser::{self, ParserError};

/// The leading `X0000` code of a message, if it has one.
pub(crate) fn code_of(message: &str) -> Option<&str> {
    let bytes = message.as_bytes();
    let coded = bytes.len() >= 6
        && bytes[0].is_ascii_uppercase()
        && bytes[1..5].iter().all(u8::is_ascii_digit)
        && bytes[5] == b':';
    coded.then(|| &message[..5])
}

/// An evaluation error message in jsonata-js's words, `"{code}: {message}"`.
pub(crate) fn evaluation(message: &str) -> String {
    let Some(code) = code_of(message) else {
        return message.to_string();
    };
    let rest = message[6..].trim_start();
    let text: String = match code {
        "T1006" => "Attempted to invoke a non-function".into(),
        "T1008" => "Attempted to partially apply a non-function".into(),
        "T2001" | "T2002" => quote_operator(rest),
        "T2003" => "The left side of the range operator (..) must evaluate to an integer".into(),
        "T2004" => "The right side of the range operator (..) must evaluate to an integer".into(),
        "D3001" => "Attempting to invoke string function on Infinity or NaN".into(),
        "D3010" => "Second argument of replace function cannot be an empty string".into(),
        "D3020" => "Third argument of split function must evaluate to a positive number".into(),
        "D3030" => cast_to_number(rest),
        "D3100" => match rest.rsplit_once("got ") {
            Some((_, radix)) => format!(
                "The radix of the formatBase function must be between 2 and 36.  It was given {radix}"
            ),
            None => rest.to_string(),
        },
        "D3138" => match rest.rfind(" (") {
            Some(at) if rest.ends_with("values)") => rest[..at].to_string(),
            _ => rest.to_string(),
        },
        _ => rest.to_string(),
    };
    format!("{code}: {text}")
}

/// `The left side of the + operator ...` with the operator JSON-quoted.
fn quote_operator(rest: &str) -> String {
    let Some((before, after)) = rest.split_once(" the ") else {
        return rest.to_string();
    };
    let Some((op, tail)) = after.split_once(" operator") else {
        return rest.to_string();
    };
    if op.starts_with('"') {
        return rest.to_string();
    }
    format!("{before} the {} operator{tail}", json_quote(op))
}

/// D3030 in jsonata-js's words where jsonata-core names the value.
fn cast_to_number(rest: &str) -> String {
    let value = rest
        .strip_prefix("Cannot convert ")
        .and_then(|r| r.strip_suffix(" to number"));
    match value {
        Some("null") => "Unable to cast value to a number: null".into(),
        Some(quoted) if quoted.len() >= 2 && quoted.starts_with('\'') && quoted.ends_with('\'') => {
            format!(
                "Unable to cast value to a number: {}",
                json_quote(&quoted[1..quoted.len() - 1])
            )
        }
        _ => rest.to_string(),
    }
}

fn json_quote(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}

/// A parse error message in jsonata-js's words, `"{code}: {message}"` where it has a
/// code, with jsonata-core's token names written as the symbols they stand for.
pub(crate) fn syntax(error: &ParserError) -> String {
    let text = match error {
        ParserError::UnclosedComment => return "S0106: Comment has no closing tag".into(),
        other => other.to_string(),
    };
    let text = text
        .strip_prefix("Invalid syntax: ")
        .or_else(|| text.strip_prefix("Invalid number: "))
        .filter(|rest| code_of(rest).is_some())
        .unwrap_or(&text)
        .to_string();
    let Some(code) = code_of(&text) else {
        return text;
    };
    let rest = &text[6..].trim_start();
    let rewritten = match code {
        "S0201" => rest
            .strip_prefix("Syntax error: ")
            .map(|t| format!("Syntax error: {}", token(t))),
        "S0202" => rest
            .strip_prefix("Expected ")
            .and_then(|r| r.split_once(", got "))
            .map(|(want, got)| format!("Expected {}, got {}", token(want), token(got))),
        "S0203" => rest
            .strip_prefix("Expected ")
            .and_then(|r| r.strip_suffix(" before end of expression"))
            .map(|want| format!("Expected {} before end of expression", token(want))),
        "S0204" => rest
            .strip_prefix("Unknown operator: ")
            .map(|t| format!("Unknown operator: {}", token(t))),
        "S0211" => rest
            .strip_prefix("The symbol ")
            .and_then(|r| r.strip_suffix(" cannot be used as a unary operator"))
            .map(|t| format!("The symbol {} cannot be used as a unary operator", token(t))),
        _ => None,
    };
    match rewritten {
        Some(rest) => format!("{code}: {rest}"),
        None => text,
    }
}

/// A jsonata-core token name (`RightParen`, `Identifier("a")`, `Number(2.0)`) as
/// jsonata-js quotes the token (`")"`, `"a"`, `2`).
fn token(name: &str) -> String {
    let symbol = match name {
        "Plus" => "+",
        "Minus" => "-",
        "Star" => "*",
        "StarStar" => "**",
        "Slash" => "/",
        "Percent" => "%",
        "Equal" => "=",
        "NotEqual" => "!=",
        "LessThan" => "<",
        "LessThanOrEqual" => "<=",
        "GreaterThan" => ">",
        "GreaterThanOrEqual" => ">=",
        "And" => "and",
        "Or" => "or",
        "In" => "in",
        "Ampersand" => "&",
        "Dot" => ".",
        "DotDot" => "..",
        "Question" => "?",
        "QuestionQuestion" => "??",
        "QuestionColon" => "?:",
        "Colon" => ":",
        "ColonEqual" => ":=",
        "TildeArrow" => "~>",
        "LeftParen" => "(",
        "RightParen" => ")",
        "LeftBracket" => "[",
        "RightBracket" => "]",
        "LeftBrace" => "{",
        "RightBrace" => "}",
        "Comma" => ",",
        "Semicolon" => ";",
        "Caret" => "^",
        "Pipe" => "|",
        "Hash" => "#",
        "At" => "@",
        "True" => return "true".into(),
        "False" => return "false".into(),
        "Null" => return "null".into(),
        _ => return token_with_payload(name),
    };
    json_quote(symbol)
}

fn token_with_payload(name: &str) -> String {
    let Some((kind, payload)) = name.split_once('(') else {
        return name.to_string();
    };
    let Some(payload) = payload.strip_suffix(')') else {
        return name.to_string();
    };
    match kind {
        "Identifier" | "Variable" | "String" | "Function" => {
            // The payload is a Rust debug string: a JSON string for the common cases.
            match serde_json::from_str::<String>(payload) {
                Ok(text) if kind == "Variable" => json_quote(&format!("${text}")),
                Ok(text) => json_quote(&text),
                Err(_) => name.to_string(),
            }
        }
        "Number" => match payload.parse::<f64>() {
            Ok(n) => super::convert::number(n)
                .map(|n| n.to_string())
                .unwrap_or_else(|_| payload.to_string()),
            Err(_) => name.to_string(),
        },
        _ => name.to_string(),
    }
}

/// True for errors that mean the text ended too early: they are at its end.
fn at_end(error: &ParserError) -> bool {
    match error {
        ParserError::UnexpectedEnd
        | ParserError::UnclosedString
        | ParserError::UnclosedComment
        | ParserError::UnclosedBacktick => true,
        ParserError::UnexpectedToken(token) => token == "Eof",
        ParserError::Expected { found, .. } => found == "Eof",
        _ => false,
    }
}

/// Longest expression whose error position is searched for, in characters; the
/// search parses a prefix at each token boundary.
const MAX_POSITIONED_LENGTH: usize = 1_000;

/// Most characters the search parses in all (the prefixes' lengths summed); past it
/// the error is left unlocated.
const MAX_SEARCHED_CHARS: usize = 100_000;

/// Where in `text` (0-based character offset) the parse error `error` is: the end
/// of the first prefix, cut at a token boundary, that fails the same way (the end of
/// the offending token, as jsonata-js reports positions). Errors about an early end
/// are at the end. `None` for errors that are not about one token (nesting too
/// deep) and for texts too long to search.
pub(crate) fn position(text: &str, error: &ParserError) -> Option<usize> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    if at_end(error) {
        return Some(chars.len());
    }
    let wanted = error.to_string();
    let located = matches!(code_of(syntax(error).as_str()), Some(code) if code.starts_with("S0"));
    if !located || chars.len() > MAX_POSITIONED_LENGTH {
        return None;
    }
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let mut searched = 0;
    for i in 1..chars.len() {
        let (prev, next) = (chars[i - 1].1, chars[i].1);
        if word(prev) && word(next) {
            continue;
        }
        searched += i;
        if searched > MAX_SEARCHED_CHARS {
            return None;
        }
        let prefix = &text[..chars[i].0];
        if let Err(e) = parser::parse(prefix) {
            if e.to_string() == wanted {
                return Some(i);
            }
        }
    }
    Some(chars.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert_eq!(code_of("T1006: x"), Some("T1006"));
        assert_eq!(code_of("Invalid regex"), None);
        assert_eq!(code_of("T10: x"), None);
        assert_eq!(code_of(""), None);
    }

    #[test]
    fn evaluation_messages_in_jsonata_js_words() {
        let cases = [
            ("T1006: Attempted to invoke a non-function: $random", "T1006: Attempted to invoke a non-function"),
            ("T2001: The left side of the - operator must evaluate to a number", "T2001: The left side of the \"-\" operator must evaluate to a number"),
            ("T2002: The right side of the + operator must evaluate to a number", "T2002: The right side of the \"+\" operator must evaluate to a number"),
            ("T2003: Left operand of range operator must be an integer", "T2003: The left side of the range operator (..) must evaluate to an integer"),
            ("T2004: Right operand of range operator must be a number", "T2004: The right side of the range operator (..) must evaluate to an integer"),
            ("D3001: Attempting to invoke string function with non-finite number: inf", "D3001: Attempting to invoke string function on Infinity or NaN"),
            ("D3010: Pattern cannot be empty", "D3010: Second argument of replace function cannot be an empty string"),
            ("D3030: Cannot convert 'x' to number", "D3030: Unable to cast value to a number: \"x\""),
            ("D3030: Cannot convert null to number", "D3030: Unable to cast value to a number: null"),
            ("D3030: Cannot convert array or object to number", "D3030: Cannot convert array or object to number"),
            ("D3100: Radix must be between 2 and 36, got 50", "D3100: The radix of the formatBase function must be between 2 and 36.  It was given 50"),
            ("D3138: The $single() function expected exactly 1 matching result.  Instead it matched more. (2 values)", "D3138: The $single() function expected exactly 1 matching result.  Instead it matched more."),
            ("D3137: boom", "D3137: boom"),
            ("Invalid regex: x", "Invalid regex: x"),
        ];
        for (core, js) in cases {
            assert_eq!(evaluation(core), js, "{core}");
        }
    }

    fn parse_error(text: &str) -> ParserError {
        match parser::parse(text) {
            Err(e) => e,
            Ok(ast) => panic!("{text} parsed: {ast:?}"),
        }
    }

    #[test]
    fn syntax_messages_in_jsonata_js_words() {
        let cases = [
            ("1 +", "S0207: Unexpected end of expression"),
            ("1 2", "S0201: Syntax error: 2"),
            ("a b", "S0201: Syntax error: \"b\""),
            ("[1, 2", "S0203: Expected \"]\" before end of expression"),
            ("{'a' 1}", "S0202: Expected \":\", got 1"),
            (
                "'abc",
                "S0101: String literal must be terminated by a matching quote",
            ),
            ("/* x", "S0106: Comment has no closing tag"),
            ("1e400", "S0102: Number out of range: 1e400"),
        ];
        for (text, message) in cases {
            assert_eq!(syntax(&parse_error(text)), message, "{text}");
        }
    }

    #[test]
    fn tokens() {
        assert_eq!(token("RightParen"), "\")\"");
        assert_eq!(token("Identifier(\"a\")"), "\"a\"");
        assert_eq!(token("Variable(\"v\")"), "\"$v\"");
        assert_eq!(token("Number(2.5)"), "2.5");
        assert_eq!(token("True"), "true");
        assert_eq!(token("Eof"), "Eof");
        assert_eq!(
            token("Regex { pattern: \"a\" }"),
            "Regex { pattern: \"a\" }"
        );
    }

    #[test]
    fn positions_are_at_the_end_of_the_offending_token() {
        let at = |text: &str| position(text, &parse_error(text));
        assert_eq!(at("1 2"), Some(3));
        assert_eq!(at("a or b c"), Some(8));
        assert_eq!(at("$x + 1.5 2.25"), Some(13));
        assert_eq!(at("{'a' 1}"), Some(6));
        assert_eq!(at("(1;"), Some(3));
        assert_eq!(at("'abc"), Some(4));
        assert_eq!(at("é ü"), Some(3));
        let long = format!("{} 1 2", "1 + ".repeat(300));
        assert_eq!(at(&long), None);
        let deep = format!("{}1", "-".repeat(1200));
        assert_eq!(at(&deep), None);
    }
}
