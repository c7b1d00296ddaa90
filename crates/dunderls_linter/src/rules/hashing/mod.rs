mod dataclass_hash_mutable;
mod eq_false_for_foreign;
mod eq_narrow_annotation;
mod eq_raises;
mod eq_without_hash;
mod hash_eq_inconsistent;
mod hash_over_mutable_state;
mod ne_from_dunder_eq;
mod process_unstable_hash;
mod util;

use crate::rule::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &eq_without_hash::RULE,
    &hash_over_mutable_state::RULE,
    &hash_eq_inconsistent::RULE,
    &process_unstable_hash::RULE,
    &dataclass_hash_mutable::RULE,
    &eq_narrow_annotation::RULE,
    &eq_false_for_foreign::RULE,
    &eq_raises::RULE,
    &ne_from_dunder_eq::RULE,
];
