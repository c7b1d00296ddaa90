mod repr_self_recursion;
mod repr_side_effects;
mod unbounded_repr;
pub(crate) mod util;

use crate::rule::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &unbounded_repr::RULE,
    &repr_self_recursion::RULE,
    &repr_side_effects::RULE,
];
