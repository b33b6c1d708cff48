//! The path compiler: text to a `Vec<Segment>`, parsed once per definition.
//!
//! The grammar follows Jayway's `PathCompiler` (what AWS runs), including its
//! lexical rules: a dot-notation name runs until `.`, `[` or the end and may hold any
//! other character (`-`, `:`, unicode, ...) except a blank, for which Jayway demands
//! bracket notation; quoted names take Java-style `\` escapes; leading and trailing
//! blanks of the whole path are ignored. Jayway's path functions (`.length()`) and
//! regular-expression filters (`=~`) are refused rather than half-supported.

use super::filter::{self, Filter};
use super::{PathSyntaxError, Root};

/// How deeply filters and parenthesised filter expressions may nest.
pub(crate) const MAX_NESTING: usize = 32;

/// One step of a compiled path.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Segment {
    /// `.name` or `['name']`.
    Name(String),
    /// `[3]`, `[-1]`.
    Index(i64),
    /// `['a','b']`: two names or more.
    Names(Vec<String>),
    /// `[0,2]`: two indexes or more.
    Indexes(Vec<i64>),
    /// `[1:3]`, `[:2]`, `[-2:]` (Jayway has no step).
    Slice(Option<i64>, Option<i64>),
    /// `.*` or `[*]`.
    Wildcard,
    /// `..`: the next segment applies to every node below (and including) the current one.
    DeepScan,
    /// `[?(...)]`.
    Filter(Box<Filter>),
}

impl Segment {
    /// A name or a single index: the only steps of a reference (definite) path.
    pub(crate) fn is_simple(&self) -> bool {
        matches!(self, Segment::Name(_) | Segment::Index(_))
    }

    /// Appends Jayway's normalized fragment for this segment (`['a']`, `[0]`, `[*]`, `..`, `[?]`).
    pub(crate) fn write_normalized(&self, out: &mut String) {
        use std::fmt::Write;
        match self {
            Segment::Name(name) => {
                let _ = write!(out, "['{name}']");
            }
            Segment::Index(index) => {
                let _ = write!(out, "[{index}]");
            }
            Segment::Names(names) => {
                out.push('[');
                for (i, name) in names.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    let _ = write!(out, "'{name}'");
                }
                out.push(']');
            }
            Segment::Indexes(indexes) => {
                out.push('[');
                for (i, index) in indexes.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    let _ = write!(out, "{index}");
                }
                out.push(']');
            }
            Segment::Slice(start, end) => {
                out.push('[');
                if let Some(start) = start {
                    let _ = write!(out, "{start}");
                }
                out.push(':');
                if let Some(end) = end {
                    let _ = write!(out, "{end}");
                }
                out.push(']');
            }
            Segment::Wildcard => out.push_str("[*]"),
            Segment::DeepScan => out.push_str(".."),
            Segment::Filter(_) => out.push_str("[?]"),
        }
    }
}

/// The result of compiling a whole path.
pub(crate) struct Compiled {
    pub(crate) root: Root,
    /// The variable's name when `root` is [`Root::Variable`].
    pub(crate) variable: Option<String>,
    pub(crate) segments: Vec<Segment>,
    /// Byte offset (in the original text) where each segment starts.
    pub(crate) positions: Vec<usize>,
}

/// A character cursor over the path text. `pos` always sits on a char boundary.
pub(crate) struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(text: &'a str, pos: usize) -> Self {
        Cursor { text, pos }
    }

    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    pub(crate) fn rest(&self) -> &'a str {
        self.text.get(self.pos..).unwrap_or("")
    }

    pub(crate) fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    pub(crate) fn peek_second(&self) -> Option<char> {
        self.rest().chars().nth(1)
    }

    pub(crate) fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    pub(crate) fn eat(&mut self, expected: char) -> bool {
        if self.peek() == Some(expected) {
            self.pos += expected.len_utf8();
            true
        } else {
            false
        }
    }

    pub(crate) fn eat_str(&mut self, expected: &str) -> bool {
        if self.rest().starts_with(expected) {
            self.pos += expected.len();
            true
        } else {
            false
        }
    }

    pub(crate) fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    pub(crate) fn at_end(&self) -> bool {
        self.pos >= self.text.len()
    }

    /// The text between `start` and the current position.
    pub(crate) fn since(&self, start: usize) -> &'a str {
        self.text.get(start..self.pos).unwrap_or("")
    }

    pub(crate) fn error(&self, message: impl Into<String>) -> PathSyntaxError {
        PathSyntaxError {
            position: self.pos,
            message: message.into(),
        }
    }

    pub(crate) fn error_at(&self, position: usize, message: impl Into<String>) -> PathSyntaxError {
        PathSyntaxError {
            position,
            message: message.into(),
        }
    }

    pub(crate) fn expect(&mut self, expected: char) -> Result<(), PathSyntaxError> {
        if self.eat(expected) {
            Ok(())
        } else {
            Err(match self.peek() {
                Some(found) => self.error(format!("expected '{expected}' but found '{found}'")),
                None => self.error(format!("expected '{expected}' but the path ended")),
            })
        }
    }
}

/// Where a run of segments is being parsed: a whole path, or a path operand inside a
/// filter (which ends at the first character that cannot continue it).
#[derive(Clone, Copy)]
pub(crate) enum Context {
    TopLevel,
    Filter { depth: usize },
}

impl Context {
    fn depth(self) -> usize {
        match self {
            Context::TopLevel => 0,
            Context::Filter { depth } => depth,
        }
    }
}

/// Compiles a whole path: `$...` or `$$...`.
pub(crate) fn compile(text: &str) -> Result<Compiled, PathSyntaxError> {
    let mut cur = Cursor::new(text, 0);
    cur.skip_ws();
    let mut variable = None;
    let root = if cur.eat_str("$$") {
        Root::Context
    } else if cur.eat('$') {
        // `$name...`: a path rooted at a workflow variable (Assign-era ASL).
        let start = cur.pos();
        if cur.peek().is_some_and(|c| c.is_alphabetic() || c == '_') {
            while cur.peek().is_some_and(|c| c.is_alphanumeric() || c == '_') {
                cur.bump();
            }
            variable = text.get(start..cur.pos()).map(str::to_string);
            Root::Variable
        } else {
            Root::Input
        }
    } else {
        return Err(cur.error("a path must start with '$'"));
    };
    let trimmed_end = text.trim_end().len();
    let body = Cursor::new(text.get(..trimmed_end).unwrap_or(text), cur.pos());
    let mut cur = body;
    if let Some(c) = cur.peek() {
        if c != '.' && c != '[' {
            return Err(cur.error(format!(
                "illegal character '{c}' after '$': expected '.' or '['"
            )));
        }
    }
    let (segments, positions) = parse_segments(&mut cur, Context::TopLevel)?;
    if !cur.at_end() {
        return Err(cur.error("unexpected text after the path"));
    }
    Ok(Compiled {
        root,
        variable,
        segments,
        positions,
    })
}

/// Parses segments until the text (or, inside a filter, the path operand) ends.
pub(crate) fn parse_segments(
    cur: &mut Cursor<'_>,
    ctx: Context,
) -> Result<(Vec<Segment>, Vec<usize>), PathSyntaxError> {
    let mut segments = Vec::new();
    let mut positions = Vec::new();
    loop {
        let start = cur.pos();
        match cur.peek() {
            None => break,
            Some('.') => {
                cur.bump();
                if cur.eat('.') {
                    if cur.at_end() || ends_operand(cur.peek(), ctx) {
                        return Err(cur.error("a path must not end with '..'"));
                    }
                    if cur.peek() == Some('.') {
                        return Err(cur.error("'...' is not valid in a path"));
                    }
                    segments.push(Segment::DeepScan);
                    positions.push(start);
                    let target_start = cur.pos();
                    let target = parse_after_dot(cur, ctx)?;
                    segments.push(target);
                    positions.push(target_start);
                } else {
                    if cur.at_end() || ends_operand(cur.peek(), ctx) {
                        return Err(cur.error("a path must not end with '.'"));
                    }
                    let segment = parse_after_dot(cur, ctx)?;
                    segments.push(segment);
                    positions.push(start);
                }
            }
            Some('[') => {
                cur.bump();
                let segment = parse_bracket(cur, ctx)?;
                segments.push(segment);
                positions.push(start);
            }
            Some(c) => match ctx {
                Context::Filter { .. } => break,
                Context::TopLevel => {
                    return Err(
                        cur.error(format!("unexpected character '{c}': expected '.' or '['"))
                    )
                }
            },
        }
    }
    Ok((segments, positions))
}

/// True when `c` ends a path operand inside a filter.
fn ends_operand(c: Option<char>, ctx: Context) -> bool {
    match ctx {
        Context::TopLevel => false,
        Context::Filter { .. } => match c {
            None => true,
            Some(c) => c.is_whitespace() || "()=!<>&|,]".contains(c),
        },
    }
}

/// After a `.` (or `..`): a name, `*`, or a bracket.
fn parse_after_dot(cur: &mut Cursor<'_>, ctx: Context) -> Result<Segment, PathSyntaxError> {
    match cur.peek() {
        Some('*') => {
            cur.bump();
            Ok(Segment::Wildcard)
        }
        Some('[') => {
            cur.bump();
            parse_bracket(cur, ctx)
        }
        _ => parse_dot_name(cur, ctx).map(Segment::Name),
    }
}

/// A dot-notation property name (Jayway: anything up to `.`, `[`, `(` or the end).
fn parse_dot_name(cur: &mut Cursor<'_>, ctx: Context) -> Result<String, PathSyntaxError> {
    let start = cur.pos();
    while let Some(c) = cur.peek() {
        match c {
            '.' | '[' => break,
            '(' => {
                if matches!(ctx, Context::Filter { .. }) {
                    break;
                }
                return Err(cur.error(
                    "path functions such as length() are not supported in Amazon States Language paths",
                ));
            }
            c if ends_operand(Some(c), ctx) => break,
            ' ' => {
                return Err(cur.error(
                    "use bracket notation ['my prop'] if a property name contains blank characters",
                ))
            }
            _ => {
                cur.bump();
            }
        }
    }
    let name = cur.since(start);
    if name.is_empty() {
        return Err(cur.error("expected a property name"));
    }
    Ok(name.to_string())
}

/// The inside of `[...]`, the `[` already consumed.
fn parse_bracket(cur: &mut Cursor<'_>, ctx: Context) -> Result<Segment, PathSyntaxError> {
    cur.skip_ws();
    match cur.peek() {
        Some('*') => {
            cur.bump();
            cur.skip_ws();
            cur.expect(']')?;
            Ok(Segment::Wildcard)
        }
        Some('?') => {
            cur.bump();
            cur.skip_ws();
            cur.expect('(')?;
            let depth = ctx.depth() + 1;
            if depth > MAX_NESTING {
                return Err(cur.error("the path nests filters too deeply"));
            }
            let filter = filter::parse_filter(cur, depth)?;
            cur.skip_ws();
            cur.expect(')')?;
            cur.skip_ws();
            cur.expect(']')?;
            Ok(Segment::Filter(Box::new(filter)))
        }
        Some('\'') | Some('"') => {
            let mut names = Vec::new();
            loop {
                names.push(parse_quoted(cur)?);
                cur.skip_ws();
                if cur.eat(',') {
                    cur.skip_ws();
                    continue;
                }
                cur.expect(']')?;
                break;
            }
            if names.len() == 1 {
                Ok(Segment::Name(names.pop().unwrap_or_default()))
            } else {
                Ok(Segment::Names(names))
            }
        }
        Some(c) if c == '-' || c == ':' || c.is_ascii_digit() => parse_array_selector(cur),
        Some(c) => Err(cur.error(format!(
            "unexpected character '{c}' after '[': expected a quoted name, an index, a slice, '*' or '?('"
        ))),
        None => Err(cur.error("the path ended inside '['")),
    }
}

/// `[3]`, `[-1]`, `[0,2]`, `[1:3]`, `[:2]`, `[-2:]`.
fn parse_array_selector(cur: &mut Cursor<'_>) -> Result<Segment, PathSyntaxError> {
    let start = cur.pos();
    while let Some(c) = cur.peek() {
        if c == ']' {
            break;
        }
        if !(c.is_ascii_digit() || c == '-' || c == ',' || c == ':' || c.is_whitespace()) {
            return Err(cur.error(format!("unexpected character '{c}' in an array index")));
        }
        cur.bump();
    }
    let content = cur.since(start);
    cur.expect(']')?;
    let parse_int = |text: &str| -> Result<i64, PathSyntaxError> {
        let text = text.trim();
        text.parse::<i64>()
            .map_err(|_| cur.error_at(start, format!("'{text}' is not a valid array index")))
    };
    if content.contains(':') {
        let mut parts = content.split(':');
        let from = parts.next().unwrap_or("").trim();
        let to = parts.next().unwrap_or("").trim();
        if parts.next().is_some() {
            return Err(cur.error_at(
                start,
                "array slices take at most a start and an end ([start:end])",
            ));
        }
        let from = if from.is_empty() {
            None
        } else {
            Some(parse_int(from)?)
        };
        let to = if to.is_empty() {
            None
        } else {
            Some(parse_int(to)?)
        };
        Ok(Segment::Slice(from, to))
    } else if content.contains(',') {
        let indexes = content
            .split(',')
            .map(parse_int)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Segment::Indexes(indexes))
    } else {
        Ok(Segment::Index(parse_int(content)?))
    }
}

/// A `'...'` or `"..."` literal with Java-style escapes; the cursor is on the quote.
pub(crate) fn parse_quoted(cur: &mut Cursor<'_>) -> Result<String, PathSyntaxError> {
    let start = cur.pos();
    let quote = match cur.bump() {
        Some(q @ ('\'' | '"')) => q,
        _ => return Err(cur.error_at(start, "expected a quoted string")),
    };
    let mut out = String::new();
    loop {
        match cur.bump() {
            None => return Err(cur.error_at(start, "unterminated quoted string")),
            Some(c) if c == quote => return Ok(out),
            Some('\\') => match cur.bump() {
                None => return Err(cur.error_at(start, "unterminated quoted string")),
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('b') => out.push('\u{8}'),
                Some('f') => out.push('\u{c}'),
                Some('u') => {
                    let hex_start = cur.pos();
                    for _ in 0..4 {
                        if !cur.peek().is_some_and(|c| c.is_ascii_hexdigit()) {
                            return Err(cur.error("expected four hexadecimal digits after \\u"));
                        }
                        cur.bump();
                    }
                    let code = u32::from_str_radix(cur.since(hex_start), 16)
                        .map_err(|_| cur.error("invalid \\u escape"))?;
                    out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                }
                Some(other) => out.push(other),
            },
            Some(c) => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(text: &str) -> Vec<Segment> {
        compile(text)
            .map(|c| c.segments)
            .unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn dot_and_bracket_names() {
        assert_eq!(segs("$"), vec![]);
        assert_eq!(
            segs("$.a.b"),
            vec![Segment::Name("a".into()), Segment::Name("b".into())]
        );
        assert_eq!(
            segs("$['a'][\"b\"]"),
            vec![Segment::Name("a".into()), Segment::Name("b".into())]
        );
        assert_eq!(segs("$.['a']"), vec![Segment::Name("a".into())]);
        assert_eq!(
            segs("$.a-b.ünï.c:d"),
            vec![
                Segment::Name("a-b".into()),
                Segment::Name("ünï".into()),
                Segment::Name("c:d".into())
            ]
        );
        assert_eq!(segs("$['my prop']"), vec![Segment::Name("my prop".into())]);
        assert_eq!(segs("$['it\\'s']"), vec![Segment::Name("it's".into())]);
        assert_eq!(segs("$['\\u0041']"), vec![Segment::Name("A".into())]);
        assert_eq!(segs("$['']"), vec![Segment::Name(String::new())]);
        assert_eq!(
            segs("$['a', 'b']"),
            vec![Segment::Names(vec!["a".into(), "b".into()])]
        );
        assert_eq!(segs("  $.a  "), vec![Segment::Name("a".into())]);
        // Jayway reads a dot-notation name up to '.', '[' or the end.
        assert_eq!(segs("$.a]"), vec![Segment::Name("a]".into())]);
    }

    #[test]
    fn indexes_slices_wildcards_scans_filters() {
        assert_eq!(segs("$[0]"), vec![Segment::Index(0)]);
        assert_eq!(segs("$[ -1 ]"), vec![Segment::Index(-1)]);
        assert_eq!(segs("$[0,2]"), vec![Segment::Indexes(vec![0, 2])]);
        assert_eq!(segs("$[1:3]"), vec![Segment::Slice(Some(1), Some(3))]);
        assert_eq!(segs("$[:2]"), vec![Segment::Slice(None, Some(2))]);
        assert_eq!(segs("$[-2:]"), vec![Segment::Slice(Some(-2), None)]);
        assert_eq!(segs("$.*"), vec![Segment::Wildcard]);
        assert_eq!(segs("$[*]"), vec![Segment::Wildcard]);
        assert_eq!(
            segs("$..a"),
            vec![Segment::DeepScan, Segment::Name("a".into())]
        );
        assert_eq!(segs("$..*"), vec![Segment::DeepScan, Segment::Wildcard]);
        assert_eq!(segs("$..[0]"), vec![Segment::DeepScan, Segment::Index(0)]);
        assert!(matches!(
            segs("$.a[?(@.price < 10)]").as_slice(),
            [Segment::Name(_), Segment::Filter(_)]
        ));
    }

    #[test]
    fn context_root() {
        let c = compile("$$.Execution.Id").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.root, Root::Context);
        assert_eq!(c.segments.len(), 2);
        assert_eq!(compile("$$").map(|c| c.root), Ok(Root::Context));
    }

    #[test]
    fn variable_root() {
        let c = compile("$order.items[0]").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.root, Root::Variable);
        assert_eq!(c.variable.as_deref(), Some("order"));
        assert_eq!(c.segments.len(), 2);
        let bare = compile("$x_1").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (bare.root, bare.variable.as_deref(), bare.segments.len()),
            (Root::Variable, Some("x_1"), 0)
        );
    }

    #[test]
    fn syntax_errors_name_the_problem_and_position() {
        let cases = [
            ("", 0, "must start with '$'"),
            ("a.b", 0, "must start with '$'"),
            ("$-a", 1, "illegal character '-'"),
            ("$.", 2, "must not end with '.'"),
            ("$..", 3, "must not end with '..'"),
            ("$...a", 3, "'...'"),
            ("$.a b", 3, "bracket notation"),
            ("$[", 2, "ended inside '['"),
            ("$['a'", 5, "expected ']'"),
            ("$['a", 2, "unterminated"),
            ("$[x]", 2, "unexpected character 'x'"),
            ("$[1:2:3]", 2, "at most a start and an end"),
            ("$[99999999999999999999]", 2, "not a valid array index"),
            ("$.a.length()", 10, "path functions"),
            ("$[?(@.a =~ /x/)]", 8, "regular expressions"),
        ];
        for (text, position, needle) in cases {
            match compile(text) {
                Ok(_) => panic!("{text} should not parse"),
                Err(e) => {
                    assert!(e.message.contains(needle), "{text}: {e}");
                    assert_eq!(e.position, position, "{text}: {e}");
                }
            }
        }
    }

    #[test]
    fn normalized_fragments() {
        let mut out = String::from("$");
        for s in segs("$.a[0]['b','c'][1,2][1:][:3][*]..d[?(@.x)]") {
            s.write_normalized(&mut out);
        }
        assert_eq!(out, "$['a'][0]['b','c'][1,2][1:][:3][*]..['d'][?]");
    }
}
