//! `States.UUID()`: a version 4 UUID, drawn from the execution's [`Entropy`] so that
//! an execution replays exactly.

use super::{invalid, Function};
use crate::random::Entropy;
use serde_json::Value;
use std::borrow::Cow;

/// `States.UUID()`.
pub(crate) fn uuid(args: &[Cow<'_, Value>], entropy: &mut dyn Entropy) -> Result<Value, String> {
    if !args.is_empty() {
        return Err(invalid(Function::Uuid));
    }
    Ok(Value::String(v4(entropy)))
}

/// A random (version 4, RFC 4122 variant) UUID in its lowercase text form.
pub(crate) fn v4(entropy: &mut dyn Entropy) -> String {
    crate::random::uuid_v4(entropy)
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
