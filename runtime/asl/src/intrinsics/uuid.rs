//! `States.UUID()`: a version 4 UUID, drawn from the execution's [`Entropy`] so that
//! an execution replays exactly.

use super::{invalid, Function};
use crate::random::Entropy;
use serde_json::Value;
use std::borrow::Cow;
use std::fmt::Write;

/// `States.UUID()`.
pub(crate) fn uuid(args: &[Cow<'_, Value>], entropy: &mut dyn Entropy) -> Result<Value, String> {
    if !args.is_empty() {
        return Err(invalid(Function::Uuid));
    }
    Ok(Value::String(v4(entropy)))
}

/// A random (version 4, RFC 4122 variant) UUID in its lowercase text form.
pub(crate) fn v4(entropy: &mut dyn Entropy) -> String {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&entropy.next_u64().to_be_bytes());
    bytes[8..].copy_from_slice(&entropy.next_u64().to_be_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut text = String::with_capacity(36);
    for (i, byte) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            text.push('-');
        }
        let _ = write!(text, "{byte:02x}");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::SplitMix64;

    #[test]
    fn version_4_format_and_replay() {
        let mut a = SplitMix64::new(9);
        let mut b = SplitMix64::new(9);
        for _ in 0..100 {
            let id = v4(&mut a);
            assert_eq!(id, v4(&mut b));
            assert_eq!(id.len(), 36);
            let groups: Vec<&str> = id.split('-').collect();
            assert_eq!(
                groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
                vec![8, 4, 4, 4, 12]
            );
            assert!(groups[2].starts_with('4'));
            assert!(groups[3].starts_with(['8', '9', 'a', 'b']));
            assert!(id
                .chars()
                .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        }
        assert_ne!(v4(&mut SplitMix64::new(1)), v4(&mut SplitMix64::new(2)));
    }

    #[test]
    fn takes_no_arguments() {
        let arg = [Cow::Owned(Value::Null)];
        assert_eq!(
            uuid(&arg, &mut SplitMix64::new(1)),
            Err("Invalid arguments in States.UUID".to_string())
        );
        assert!(uuid(&[], &mut SplitMix64::new(1)).is_ok_and(|v| v.is_string()));
    }
}
