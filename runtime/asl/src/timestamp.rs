//! Timestamps as ASL accepts them: RFC 3339 date-times (the "ISO-8601 extended
//! offset date-time" of AWS's messages) with an uppercase `T` between date and time
//! and an uppercase `Z` or a numeric offset. Chrono's RFC 3339 parser also takes a
//! lowercase `t`/`z` or a space, which ASL rejects, hence the extra check.

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};

/// Parses an ASL timestamp; `None` when it is not one.
pub fn parse(text: &str) -> Option<DateTime<FixedOffset>> {
    let bytes = text.as_bytes();
    if bytes.len() < 20 || bytes.get(10) != Some(&b'T') || text.contains('z') {
        return None;
    }
    DateTime::parse_from_rfc3339(text).ok()
}

/// Formats a UTC instant the way AWS writes timestamps in the context object
/// (`2024-01-01T12:00:00.123Z`, millisecond precision).
pub fn format_millis(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_rfc3339_with_uppercase_t_and_z_or_offset() {
        assert!(parse("2016-03-14T01:59:00Z").is_some());
        assert!(parse("2016-03-14T01:59:00.123Z").is_some());
        assert!(parse("2016-03-14T01:59:00+02:00").is_some());
        assert_eq!(
            parse("2016-03-14T03:59:00+02:00"),
            parse("2016-03-14T01:59:00Z")
                .map(|t| t.with_timezone(&FixedOffset::east_opt(7200).unwrap()))
        );
    }

    #[test]
    fn rejects_what_aws_rejects() {
        for bad in [
            "2016-03-14 01:59:00Z",
            "2016-03-14t01:59:00Z",
            "2016-03-14T01:59:00z",
            "2016-03-14T01:59:00",
            "05-12-2016T21:29:29Z",
            "2016-12-05T25:29:29Z",
            "2016-13-05T21:29:29Z",
            "",
            "garbage",
        ] {
            assert!(parse(bad).is_none(), "{bad}");
        }
    }
}
