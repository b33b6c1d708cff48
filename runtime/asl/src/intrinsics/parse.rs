//! The intrinsic call syntax.
//!
//! ```text
//! call     := 'States.' Name ws* '(' ws* [ arg ( ws* ',' ws* arg )* ] ws* ')'
//! arg      := string | number | 'true' | 'false' | 'null' | path | call
//! string   := "'" ( char | '\' ( "'" | '{' | '}' | '\' ) )* "'"
//! number   := JSON number (-12, 1.5, 2e3)
//! path     := '$' ... up to the ',' or ')' that ends the argument (brackets, quotes
//!             and filter parentheses inside a path do not end it): `$`, `$.a[0]`,
//!             `$$.Execution.Id`, or a variable, `$name.a`
//! ```
//!
//! AWS accepts only four escapes in string literals (`\'`, `\{`, `\}`, `\\`): a
//! definition holding `'a\nb'` (backslash, n) is refused, while a real newline
//! character inside the quotes is kept as is. Argument counts are not checked here:
//! AWS accepts `States.Hash('x')` in a definition and fails when the state runs.

use super::format::{self, Template};
use super::{Function, IntrinsicSyntaxError, MAX_NESTING};
use crate::jsonpath::{JsonPath, VariablePath};
use serde_json::{Number, Value};

/// One compiled call.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Call {
    pub(crate) function: Function,
    pub(crate) args: Vec<Arg>,
    /// `States.Format` with a string literal template: the template, pre-split (or
    /// why it is malformed, reported when the call runs, as AWS does).
    pub(crate) template: Option<Result<Template, String>>,
}

impl Call {
    pub(crate) fn depth(&self) -> usize {
        1 + self
            .args
            .iter()
            .map(|a| match a {
                Arg::Call(c) => c.depth(),
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    }

    pub(crate) fn collect_functions(&self, out: &mut Vec<Function>) {
        out.push(self.function);
        for arg in &self.args {
            if let Arg::Call(call) = arg {
                call.collect_functions(out);
            }
        }
    }
}

/// One argument.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Arg {
    /// A string, number, boolean or null literal.
    Literal(Value),
    /// `$...` or `$$...`.
    Path(JsonPath),
    /// `$name...`.
    Variable(VariablePath),
    /// A nested call.
    Call(Box<Call>),
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

/// Parses a whole call; only blanks may surround it.
pub(crate) fn parse(text: &str) -> Result<Call, IntrinsicSyntaxError> {
    let mut p = Parser { text, pos: 0 };
    p.skip_ws();
    let call = p.call(1)?;
    p.skip_ws();
    if p.pos < text.len() {
        return Err(p.error("unexpected text after the intrinsic function call"));
    }
    Ok(call)
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        self.text.get(self.pos..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    fn error(&self, message: impl Into<String>) -> IntrinsicSyntaxError {
        self.error_at(self.pos, message)
    }

    fn error_at(&self, position: usize, message: impl Into<String>) -> IntrinsicSyntaxError {
        IntrinsicSyntaxError {
            position,
            message: message.into(),
        }
    }

    fn call(&mut self, depth: usize) -> Result<Call, IntrinsicSyntaxError> {
        let start = self.pos;
        if depth > MAX_NESTING {
            return Err(self.error(format!(
                "intrinsic functions are nested more than {MAX_NESTING} levels deep"
            )));
        }
        if !self.rest().starts_with("States.") {
            return Err(self.error("expected an intrinsic function call (States.<Name>(...))"));
        }
        self.pos += "States.".len();
        while self.peek().is_some_and(|c| c.is_ascii_alphanumeric()) {
            self.bump();
        }
        let name = self.text.get(start..self.pos).unwrap_or("");
        let function = Function::from_name(name).ok_or_else(|| {
            self.error_at(start, format!("'{name}' is not an intrinsic function"))
        })?;
        self.skip_ws();
        if !self.eat('(') {
            return Err(self.error(format!("expected '(' after {name}")));
        }
        let mut args = Vec::new();
        let mut template = None;
        self.skip_ws();
        if !self.eat(')') {
            loop {
                self.skip_ws();
                let arg = self.arg(depth, function, args.len(), &mut template)?;
                args.push(arg);
                self.skip_ws();
                if self.eat(',') {
                    continue;
                }
                if self.eat(')') {
                    break;
                }
                return Err(match self.peek() {
                    Some(c) => self.error(format!(
                        "expected ',' or ')' in the arguments of {name}, found '{c}'"
                    )),
                    None => self.error(format!("the arguments of {name} are not closed with ')'")),
                });
            }
        }
        Ok(Call {
            function,
            args,
            template,
        })
    }

    fn arg(
        &mut self,
        depth: usize,
        function: Function,
        index: usize,
        template: &mut Option<Result<Template, String>>,
    ) -> Result<Arg, IntrinsicSyntaxError> {
        match self.peek() {
            Some('\'') => {
                let (value, raw) = self.string()?;
                if function == Function::Format && index == 0 {
                    *template = Some(format::compile_template(raw));
                }
                Ok(Arg::Literal(Value::String(value)))
            }
            Some('$') => self.path(),
            Some(c) if c == '-' || c.is_ascii_digit() => self.number(),
            Some('S') if self.rest().starts_with("States.") => {
                Ok(Arg::Call(Box::new(self.call(depth + 1)?)))
            }
            Some(')' | ',') | None => Err(self.error("expected an argument")),
            Some(_) => {
                for (word, value) in [
                    ("true", Value::Bool(true)),
                    ("false", Value::Bool(false)),
                    ("null", Value::Null),
                ] {
                    if let Some(after) = self.rest().strip_prefix(word) {
                        if !after.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
                            self.pos += word.len();
                            return Ok(Arg::Literal(value));
                        }
                    }
                }
                Err(self.error(
                    "expected an argument: a 'string', a number, true, false, null, a path or an intrinsic function",
                ))
            }
        }
    }

    /// A single-quoted string: its value, and its text between the quotes as written.
    fn string(&mut self) -> Result<(String, &'a str), IntrinsicSyntaxError> {
        let start = self.pos;
        self.bump();
        let inner_start = self.pos;
        let mut value = String::new();
        loop {
            match self.bump() {
                None => return Err(self.error_at(start, "unterminated string literal")),
                Some('\'') => {
                    let raw = self.text.get(inner_start..self.pos - 1).unwrap_or("");
                    return Ok((value, raw));
                }
                Some('\\') => match self.bump() {
                    Some(c @ ('\'' | '{' | '}' | '\\')) => value.push(c),
                    Some(c) => {
                        return Err(self.error_at(
                            self.pos - c.len_utf8() - 1,
                            format!(
                                "invalid escape sequence '\\{c}' in a string literal: only \\', \\{{, \\}} and \\\\ are escapes"
                            ),
                        ))
                    }
                    None => return Err(self.error_at(start, "unterminated string literal")),
                },
                Some(c) => value.push(c),
            }
        }
    }

    /// A JSON number.
    fn number(&mut self) -> Result<Arg, IntrinsicSyntaxError> {
        let start = self.pos;
        self.eat('-');
        let digits = |p: &mut Parser<'_>| {
            let from = p.pos;
            while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                p.bump();
            }
            p.pos > from
        };
        let int_start = self.pos;
        if !digits(self) {
            return Err(self.error("expected digits in a number"));
        }
        if self
            .text
            .get(int_start..self.pos)
            .is_some_and(|d| d.len() > 1 && d.starts_with('0'))
        {
            return Err(self.error_at(int_start, "a number must not start with 0"));
        }
        let mut integral = true;
        if self.eat('.') {
            integral = false;
            if !digits(self) {
                return Err(self.error("expected digits after the decimal point"));
            }
        }
        if self.peek().is_some_and(|c| c == 'e' || c == 'E') {
            integral = false;
            self.bump();
            if !self.eat('+') {
                self.eat('-');
            }
            if !digits(self) {
                return Err(self.error("expected digits in the exponent"));
            }
        }
        let text = self.text.get(start..self.pos).unwrap_or("");
        if integral {
            if let Ok(i) = text.parse::<i64>() {
                return Ok(Arg::Literal(Value::from(i)));
            }
        }
        text.parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(|n| Arg::Literal(Value::Number(n)))
            .ok_or_else(|| self.error_at(start, format!("the number {text} is out of range")))
    }

    /// A path argument: `$`, `$.a`, `$$.b`, `$name.c`, up to the `,` or `)` that ends it.
    fn path(&mut self) -> Result<Arg, IntrinsicSyntaxError> {
        let start = self.pos;
        let mut brackets = 0usize;
        let mut parens = 0usize;
        let mut quote: Option<char> = None;
        while let Some(c) = self.peek() {
            if let Some(q) = quote {
                self.bump();
                if c == '\\' {
                    self.bump();
                } else if c == q {
                    quote = None;
                }
                continue;
            }
            match c {
                '\'' | '"' if brackets > 0 => quote = Some(c),
                '[' => brackets += 1,
                ']' => brackets = brackets.saturating_sub(1),
                '(' if brackets > 0 => parens += 1,
                ')' if parens > 0 => parens -= 1,
                ',' | ')' if brackets == 0 => break,
                _ => {}
            }
            self.bump();
        }
        let text = self.text.get(start..self.pos).unwrap_or("").trim_end();
        if VariablePath::looks_like(text) {
            VariablePath::parse(text).map(Arg::Variable).map_err(|e| {
                self.error_at(
                    start + e.position,
                    format!("invalid variable reference '{text}': {}", e.message),
                )
            })
        } else {
            JsonPath::parse(text).map(Arg::Path).map_err(|e| {
                self.error_at(
                    start + e.position,
                    format!("invalid JSONPath '{text}': {}", e.message),
                )
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(text: &str) -> Call {
        parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn err(text: &str) -> IntrinsicSyntaxError {
        match parse(text) {
            Ok(c) => panic!("{text} parsed as {c:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn literals() {
        let c = call("States.Array('a', 'it\\'s', '\\{\\}\\\\', -12, 1.5, 2e3, true, false, null)");
        assert_eq!(c.function, Function::Array);
        assert_eq!(
            c.args,
            vec![
                Arg::Literal(Value::from("a")),
                Arg::Literal(Value::from("it's")),
                Arg::Literal(Value::from("{}\\")),
                Arg::Literal(Value::from(-12)),
                Arg::Literal(Value::from(1.5)),
                Arg::Literal(Value::from(2000.0)),
                Arg::Literal(Value::Bool(true)),
                Arg::Literal(Value::Bool(false)),
                Arg::Literal(Value::Null),
            ]
        );
        assert_eq!(call("States.Array()").args, vec![]);
        assert_eq!(call("  States.UUID ( )  ").function, Function::Uuid);
        // A real newline inside the quotes is kept (the AWS corpus splits on one).
        assert_eq!(
            call("States.StringSplit('Hello\nWorld', '\n')").args,
            vec![
                Arg::Literal(Value::from("Hello\nWorld")),
                Arg::Literal(Value::from("\n"))
            ]
        );
        assert_eq!(
            call("States.Array(9223372036854775808)").args,
            vec![Arg::Literal(Value::from(9.223372036854776e18))]
        );
    }

    #[test]
    fn paths_variables_and_nesting() {
        let c = call("States.Format('{} {}', $.a['x,y'][?(@.b == ')')], $$.Execution.Id)");
        assert!(matches!(&c.args[1], Arg::Path(p) if p.as_str() == "$.a['x,y'][?(@.b == ')')]"));
        assert!(matches!(&c.args[2], Arg::Path(p) if p.as_str() == "$$.Execution.Id"));
        let c = call("States.Array( $ , $varname.a[0] ,$.b )");
        assert!(matches!(&c.args[0], Arg::Path(p) if p.as_str() == "$"));
        assert!(matches!(&c.args[1], Arg::Variable(v) if v.name() == "varname"));
        let c = call("States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))");
        assert_eq!(c.depth(), 4);
        let mut fs = Vec::new();
        c.collect_functions(&mut fs);
        assert_eq!(fs.len(), 5);
    }

    #[test]
    fn format_templates_are_precompiled() {
        let c = call("States.Format('a {} \\{b\\}', $.x)");
        assert_eq!(c.template.as_ref().map(Result::is_ok), Some(true));
        let c = call("States.Format('a {', $.x)");
        assert_eq!(c.template.as_ref().map(Result::is_err), Some(true));
        let c = call("States.Format($.t, $.x)");
        assert_eq!(c.template, None);
        let c = call("States.Array('{')");
        assert_eq!(c.template, None);
    }

    #[test]
    fn syntax_errors() {
        let cases = [
            ("", 0, "expected an intrinsic function call"),
            (
                "States.Nope()",
                0,
                "'States.Nope' is not an intrinsic function",
            ),
            (
                "States.format('x')",
                0,
                "'States.format' is not an intrinsic function",
            ),
            ("States.Array", 12, "expected '('"),
            ("States.Array(", 13, "expected an argument"),
            ("States.Array(1,)", 15, "expected an argument"),
            ("States.Array(1 2)", 15, "expected ',' or ')'"),
            ("States.Array(1", 14, "not closed"),
            ("States.Array('a)", 13, "unterminated string"),
            ("States.Array('a\\nb')", 15, "invalid escape sequence '\\n'"),
            ("States.Array(1.)", 15, "digits after the decimal point"),
            ("States.Array(.5)", 13, "expected an argument"),
            ("States.Array(01)", 13, "must not start with 0"),
            ("States.Array(1e309)", 13, "out of range"),
            ("States.Array(tru)", 13, "expected an argument"),
            ("States.Array([1,2])", 13, "expected an argument"),
            ("States.Array($.a b)", 16, "invalid JSONPath '$.a b'"),
            ("States.Array($a.)", 16, "invalid variable reference"),
            ("States.Array(1) x", 16, "unexpected text"),
            ("States.Array(1))", 15, "unexpected text"),
            ("$.a", 0, "expected an intrinsic function call"),
        ];
        for (text, position, needle) in cases {
            let e = err(text);
            assert!(e.message.contains(needle), "{text}: {e}");
            assert_eq!(e.position, position, "{text}: {e}");
        }
    }

    #[test]
    fn nesting_is_capped() {
        let deep = format!(
            "{}1{}",
            "States.Array(".repeat(MAX_NESTING + 1),
            ")".repeat(MAX_NESTING + 1)
        );
        assert!(err(&deep).message.contains("nested more than"));
        let ok = format!(
            "{}1{}",
            "States.Array(".repeat(MAX_NESTING),
            ")".repeat(MAX_NESTING)
        );
        assert_eq!(call(&ok).depth(), MAX_NESTING);
    }
}
