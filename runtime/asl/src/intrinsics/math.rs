//! `States.MathRandom`, `States.MathAdd`.
//!
//! Both work on Java `int`s (-2147483648 to 2147483647).
//! - `MathAdd` rounds non-integers with Java's `Math.round` (halves up: `-0.5` is 0,
//!   `2.5` is 3, as recorded on AWS) and fails when an operand or the sum leaves the
//!   `int` range.
//! - `MathRandom` truncates its bounds (AWS rejects `(1.4, 1.6)` as the empty range
//!   `[1, 1)` and draws 1 from `(1.6, 5.4)`), draws from `[start, end)`, and with a
//!   seed is `java.util.Random(seed).nextInt(end - start) + start`, which is what AWS
//!   returns (seed 42 over `[-5, 5)` gives -5). Without a seed it draws from the
//!   execution's [`Entropy`], so an execution replays exactly.

use super::{exactly, invalid, Function, Num};
use crate::random::Entropy;
use serde_json::Value;
use std::borrow::Cow;

fn int_range(value: i64) -> Option<i32> {
    i32::try_from(value).ok()
}

/// `States.MathAdd(a, b)`.
pub(crate) fn add(args: &[Cow<'_, Value>]) -> Result<Value, String> {
    let f = Function::MathAdd;
    let [a, b] = exactly(f, args)?;
    let operand = |v: &Value| Num::of(v).and_then(|n| int_range(n.round()));
    let (Some(a), Some(b)) = (operand(a), operand(b)) else {
        return Err(invalid(f));
    };
    a.checked_add(b).map(Value::from).ok_or_else(|| invalid(f))
}

/// `States.MathRandom(start, end[, seed])`.
pub(crate) fn random(args: &[Cow<'_, Value>], entropy: &mut dyn Entropy) -> Result<Value, String> {
    let f = Function::MathRandom;
    let (bounds, seed) = match args {
        [start, end] => ([start.as_ref(), end.as_ref()], None),
        [start, end, seed] => ([start.as_ref(), end.as_ref()], Some(seed.as_ref())),
        _ => return Err(invalid(f)),
    };
    let bound = |v: &Value| Num::of(v).and_then(|n| int_range(n.truncate()));
    let (Some(start), Some(end)) = (bound(bounds[0]), bound(bounds[1])) else {
        return Err(invalid(f));
    };
    // Java computes `end - start` as an int: a span past i32::MAX fails (`bound must
    // be positive`), as does an empty one.
    let span = i32::try_from(i64::from(end) - i64::from(start)).map_err(|_| invalid(f))?;
    if span <= 0 {
        return Err(invalid(f));
    }
    let offset = match seed {
        Some(seed) => {
            let seed = Num::of(seed).ok_or_else(|| invalid(f))?.truncate();
            JavaRandom::new(seed).next_int(span)
        }
        None => {
            let span = u64::from(span.unsigned_abs());
            // span < 2^31, so the modulo bias is below 2^-32.
            i32::try_from(entropy.next_u64() % span).map_err(|_| invalid(f))?
        }
    };
    Ok(Value::from(i64::from(start) + i64::from(offset)))
}

/// `java.util.Random`: a 48-bit linear congruential generator.
pub(crate) struct JavaRandom {
    seed: u64,
}

impl JavaRandom {
    const MULTIPLIER: u64 = 0x5_DEEC_E66D;
    const MASK: u64 = (1 << 48) - 1;

    /// `new Random(seed)`.
    pub(crate) fn new(seed: i64) -> Self {
        JavaRandom {
            seed: (seed as u64 ^ Self::MULTIPLIER) & Self::MASK,
        }
    }

    fn next(&mut self, bits: u32) -> i32 {
        self.seed = self.seed.wrapping_mul(Self::MULTIPLIER).wrapping_add(0xB) & Self::MASK;
        // The top `bits` of the 48-bit state, as Java's (int) cast reads them.
        (self.seed >> (48 - bits)) as u32 as i32
    }

    /// `nextInt(bound)` for `bound > 0`.
    pub(crate) fn next_int(&mut self, bound: i32) -> i32 {
        let mut r = self.next(31);
        let m = bound.wrapping_sub(1);
        if bound & m == 0 {
            return ((i64::from(bound) * i64::from(r)) >> 31) as i32;
        }
        let mut u = r;
        // Java retries while `u - r + m` overflows; each try fails with probability
        // below 1/2, so the cap is never reached in practice.
        for _ in 0..1024 {
            r = u % bound;
            if u.wrapping_sub(r).wrapping_add(m) >= 0 {
                break;
            }
            u = self.next(31);
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::SplitMix64;
    use serde_json::json;

    fn add_of(a: Value, b: Value) -> Result<Value, String> {
        add(&[Cow::Owned(a), Cow::Owned(b)])
    }

    fn random_of(args: &[Value]) -> Result<Value, String> {
        let args: Vec<Cow<'_, Value>> = args.iter().map(Cow::Borrowed).collect();
        random(&args, &mut SplitMix64::new(7))
    }

    #[test]
    fn java_random_matches_the_jdk() {
        // Values printed by a JDK: new Random(s).nextInt(b).
        assert_eq!(JavaRandom::new(42).next_int(10), 0);
        assert_eq!(JavaRandom::new(3).next_int(999), 239);
        assert_eq!(JavaRandom::new(-10).next_int(9), 0);
        assert_eq!(JavaRandom::new(1 << 40).next_int(1 << 20), 164_363);
        assert_eq!(JavaRandom::new(42).next(32), -1_170_105_035);
    }

    #[test]
    fn add_rounds_like_java() {
        let cases = [
            (json!(111), json!(-1), 110),
            (json!(1.49), json!(1.5), 3),
            (json!(1.5), json!(1.51), 4),
            (json!(-1.49), json!(-1.5), -2),
            (json!(-1.5), json!(-1.51), -3),
            (json!(1.49), json!(-1.49), 0),
            (json!(0.5), json!(0), 1),
            (json!(2.5), json!(0), 3),
            (json!(-0.5), json!(0.5), 1),
            (json!(-0.5), json!(0), 0),
            (json!(-2.5), json!(0), -2),
            (json!(0.1), json!(0.2), 0),
            (json!(2147483647), json!(0), 2147483647),
            (json!(-2147483647), json!(-1), -2147483648),
        ];
        for (a, b, sum) in cases {
            assert_eq!(add_of(a.clone(), b.clone()), Ok(json!(sum)), "{a} + {b}");
        }
        let invalid = Err("Invalid arguments in States.MathAdd".to_string());
        for (a, b) in [
            (json!(2147483647), json!(1)),
            (json!(-2147483648), json!(-1)),
            (json!(3000000000_i64), json!(1)),
            (json!(-3000000000_i64), json!(1)),
            (json!("1"), json!(1)),
            (json!(null), json!(1)),
            (json!(true), json!(1)),
            (json!(1), json!([1])),
        ] {
            assert_eq!(add_of(a, b), invalid);
        }
        assert_eq!(add(&[Cow::Owned(json!(1))]), invalid);
    }

    #[test]
    fn random_bounds_and_seeds() {
        assert_eq!(random_of(&[json!(-5), json!(5), json!(42)]), Ok(json!(-5)));
        assert_eq!(random_of(&[json!(0), json!(999), json!(3)]), Ok(json!(239)));
        assert_eq!(
            random_of(&[json!(1), json!(100), json!(42)]),
            random_of(&[json!(1), json!(100), json!(42)])
        );
        assert_eq!(
            random_of(&[json!(1), json!(10), json!(2.6)]),
            random_of(&[json!(1), json!(10), json!(2)])
        );
        for _ in 0..100 {
            let mut e = SplitMix64::new(1);
            for _ in 0..50 {
                let v = random(&[Cow::Owned(json!(1.6)), Cow::Owned(json!(5.4))], &mut e);
                let v = v.ok().and_then(|v| v.as_i64()).unwrap_or(-1);
                assert!((1..5).contains(&v), "{v}");
            }
        }
        let v = random_of(&[json!(2147483640), json!(2147483647), json!(1)]);
        assert!(v
            .ok()
            .and_then(|v| v.as_i64())
            .is_some_and(|v| (2147483640..2147483647).contains(&v)));
        let invalid = Err("Invalid arguments in States.MathRandom".to_string());
        for args in [
            vec![json!(1), json!(1)],
            vec![json!(10), json!(5)],
            vec![json!(1.4), json!(1.6)],
            vec![json!(1.49), json!(1.49)],
            vec![json!("a"), json!(10)],
            vec![json!(1), json!("b")],
            vec![json!(1), json!(10), json!("seed")],
            vec![json!(1), json!(10), json!(null)],
            vec![json!(null), json!(10)],
            vec![json!(-2147483648), json!(2147483647)],
            vec![json!(1)],
            vec![json!(1), json!(10), json!(5), json!(99)],
        ] {
            assert_eq!(random_of(&args), invalid, "{args:?}");
        }
    }
}
