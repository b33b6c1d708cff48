//! The conformance corpus's matching rules, as ../shared/conformance/run.py states
//! them: masks in expected strings (`<uuid:1>`, `111111111111`, wildcards),
//! ISO-8601 date-times in the actual result masked as `"date"`, numbers by value,
//! and JSON causes compared structurally.

use regex::Regex;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

const ISO8601: &str = r"(?:[1-9]\d{3}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)|(?:[1-9]\d(?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[13579][26])00)-02-29)T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-][01]\d:?([0-5]\d)?)";
const TOKEN: &str = r"<[A-Za-z_][A-Za-z0-9_\-.]*(?::\d+)?>";
const DEFAULT_SUBSTRINGS: [&str; 2] = ["snf_role_arn", "sfn_role_arn"];

fn iso8601() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(ISO8601).expect("valid regex"))
}

fn iso8601_prefix() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(&format!("^(?:{ISO8601})")).expect("valid regex"))
}

fn token() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(&format!("^{TOKEN}$")).expect("valid regex"))
}

fn mask_strings(v: &Value) -> Value {
    match v {
        Value::String(s) => Value::String(iso8601().replace_all(s, "date").into_owned()),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| {
                    (
                        iso8601().replace_all(k, "date").into_owned(),
                        mask_strings(x),
                    )
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(mask_strings).collect()),
        other => other.clone(),
    }
}

fn python_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn mask_timestamp_keys(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| {
                    let timestamp_key = k.to_lowercase().contains("timestamp")
                        || k == "creationTime"
                        || k == "ingestionTime";
                    if timestamp_key && !iso8601_prefix().is_match(&python_str(x)) {
                        (k.clone(), Value::String("timestamp".into()))
                    } else {
                        (k.clone(), mask_timestamp_keys(x))
                    }
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(
            a.iter()
                .map(|x| {
                    if x.is_object() {
                        mask_timestamp_keys(x)
                    } else {
                        x.clone()
                    }
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A payload as the snapshot library stored it.
pub fn mask_payload(v: &Value) -> Value {
    let v = if v.is_object() {
        mask_timestamp_keys(v)
    } else {
        v.clone()
    };
    mask_strings(&v)
}

enum Part {
    Literal(String),
    Token(String),
    Digits12,
    Any,
}

/// Matches one case's expectations; tokens bind across the whole case.
pub struct Matcher {
    bindings: HashMap<String, String>,
    key_values: HashSet<(Option<String>, String)>,
    splitter: Regex,
    /// Why the last match failed.
    pub why: String,
}

impl Matcher {
    /// A matcher with the case's `wildcards`.
    pub fn new(wildcards: Option<&Value>) -> Self {
        let mut subs: Vec<String> = DEFAULT_SUBSTRINGS.iter().map(|s| s.to_string()).collect();
        let mut key_values = HashSet::new();
        for w in wildcards.and_then(Value::as_array).into_iter().flatten() {
            if let Some(s) = w.get("substring").and_then(Value::as_str) {
                subs.push(s.to_string());
            } else if let Some(v) = w.get("value").and_then(Value::as_str) {
                key_values.insert((
                    w.get("key").and_then(Value::as_str).map(str::to_string),
                    v.to_string(),
                ));
            }
        }
        subs.sort();
        subs.dedup();
        subs.sort_by_key(|s| std::cmp::Reverse(s.len()));
        let mut alts = vec![TOKEN.to_string(), "111111111111".to_string()];
        alts.extend(subs.iter().map(|s| regex::escape(s)));
        Matcher {
            bindings: HashMap::new(),
            key_values,
            splitter: Regex::new(&format!("({})", alts.join("|"))).expect("valid regex"),
            why: String::new(),
        }
    }

    fn parts(&self, exp: &str) -> Vec<Part> {
        let mut parts = Vec::new();
        let mut last = 0;
        for m in self.splitter.find_iter(exp) {
            parts.push(Part::Literal(exp[last..m.start()].to_string()));
            let text = m.as_str();
            parts.push(if text == "111111111111" {
                Part::Digits12
            } else if token().is_match(text) {
                Part::Token(text.to_string())
            } else {
                Part::Any
            });
            last = m.end();
        }
        parts.push(Part::Literal(exp[last..].to_string()));
        parts
    }

    fn match_str(&mut self, exp: &str, act: &str) -> bool {
        if exp == act {
            return true;
        }
        let parts = self.parts(exp);
        if parts.len() == 1 {
            return false;
        }
        let mut local = HashMap::new();
        if backtrack(&parts, act, &self.bindings, &mut local) {
            self.bindings.extend(local);
            true
        } else {
            false
        }
    }

    /// Matches an expected value against an actual one.
    pub fn matches(&mut self, exp: &Value, act: &Value, key: Option<&str>, path: &str) -> bool {
        if let Value::String(e) = exp {
            if self
                .key_values
                .contains(&(key.map(str::to_string), e.clone()))
                || self.key_values.contains(&(None, e.clone()))
            {
                return true;
            }
            let Value::String(a) = act else {
                self.why = format!("{path}: expected string {e:?}, got {act}");
                return false;
            };
            if !self.match_str(e, a) {
                self.why = format!("{path}: expected {e:?}, got {a:?}");
                return false;
            }
            return true;
        }
        let ok = match (exp, act) {
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Bool(_), _) | (_, Value::Bool(_)) => false,
            (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
            (Value::Object(e), a) => {
                let Value::Object(a) = a else {
                    self.why = format!("{path}: expected object, got {a}");
                    return false;
                };
                let ek: HashSet<&String> = e.keys().collect();
                let ak: HashSet<&String> = a.keys().collect();
                if ek != ak {
                    self.why = format!(
                        "{path}: keys differ (missing {:?}, unexpected {:?})",
                        ek.difference(&ak).collect::<Vec<_>>(),
                        ak.difference(&ek).collect::<Vec<_>>()
                    );
                    return false;
                }
                return e
                    .iter()
                    .all(|(k, v)| self.matches(v, &a[k], Some(k), &format!("{path}.{k}")));
            }
            (Value::Array(e), a) => {
                let Value::Array(a) = a else {
                    self.why = format!("{path}: expected array of {}, got {a}", e.len());
                    return false;
                };
                if a.len() != e.len() {
                    self.why = format!(
                        "{path}: expected array of {}, got {}",
                        e.len(),
                        Value::Array(a.clone())
                    );
                    return false;
                }
                return e
                    .iter()
                    .zip(a)
                    .enumerate()
                    .all(|(i, (x, y))| self.matches(x, y, key, &format!("{path}[{i}]")));
            }
            (Value::Null, Value::Null) => true,
            _ => false,
        };
        if !ok {
            self.why = format!("{path}: expected {exp}, got {act}");
        }
        ok
    }
}

fn backtrack(
    parts: &[Part],
    act: &str,
    bound: &HashMap<String, String>,
    local: &mut HashMap<String, String>,
) -> bool {
    let Some((first, rest)) = parts.split_first() else {
        return act.is_empty();
    };
    match first {
        Part::Literal(lit) => act
            .strip_prefix(lit.as_str())
            .is_some_and(|r| backtrack(rest, r, bound, local)),
        Part::Digits12 => {
            act.len() >= 12
                && act.is_char_boundary(12)
                && act[..12].bytes().all(|b| b.is_ascii_digit())
                && backtrack(rest, &act[12..], bound, local)
        }
        Part::Token(name) if bound.contains_key(name) || local.contains_key(name) => {
            let value = bound
                .get(name)
                .or_else(|| local.get(name))
                .cloned()
                .unwrap_or_default();
            act.strip_prefix(value.as_str())
                .is_some_and(|r| backtrack(rest, r, bound, local))
        }
        Part::Token(_) | Part::Any => {
            for (end, _) in act
                .char_indices()
                .skip(1)
                .chain(std::iter::once((act.len(), ' ')))
            {
                if end == 0 {
                    continue;
                }
                if let Part::Token(name) = first {
                    local.insert(name.clone(), act[..end].to_string());
                }
                if backtrack(rest, &act[end..], bound, local) {
                    return true;
                }
                if let Part::Token(name) = first {
                    local.remove(name);
                }
            }
            false
        }
    }
}

/// Compares a case's expectation with an actual DescribeExecution-like result
/// (`status`, `output` as JSON text, `error`, `cause`). `Err` says why not.
pub fn compare(case: &Value, actual: &Value) -> Result<(), String> {
    let exp = &case["expected"];
    let mut m = Matcher::new(case.get("wildcards"));
    if actual["status"] != exp["status"] {
        return Err(format!(
            "status: expected {}, got {} (error={}, cause={})",
            exp["status"], actual["status"], actual["error"], actual["cause"]
        ));
    }
    if exp["status"] == "SUCCEEDED" {
        let raw = actual["output"].as_str().ok_or("output missing")?;
        let out: Value =
            serde_json::from_str(raw).map_err(|_| format!("output is not JSON: {raw}"))?;
        if !m.matches(&exp["output"], &mask_payload(&out), None, "$output") {
            return Err(format!("output {}", m.why));
        }
        return Ok(());
    }
    for field in ["error", "cause"] {
        let (e, a) = (&exp[field], &actual[field]);
        if e.is_null() {
            if !a.is_null() {
                return Err(format!("{field}: expected none, got {a}"));
            }
            continue;
        }
        let Some(a) = a.as_str() else {
            return Err(format!("{field}: expected {e}, got none"));
        };
        if e.is_object() || e.is_array() {
            let parsed: Value = serde_json::from_str(a)
                .map_err(|_| format!("{field}: expected a JSON document, got {a}"))?;
            if !m.matches(e, &mask_payload(&parsed), None, &format!("${field}")) {
                return Err(format!("{field} {}", m.why));
            }
        } else if !m.matches(
            e,
            &mask_strings(&Value::String(a.to_string())),
            None,
            &format!("${field}"),
        ) {
            return Err(format!("{field} {}", m.why));
        }
    }
    Ok(())
}
