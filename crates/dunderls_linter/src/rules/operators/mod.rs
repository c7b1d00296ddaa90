mod binop_raises_for_foreign_type;
mod binop_returns_none;
mod inplace_returns_none;
mod missing_reflected_op;
mod partial_ordering;
mod raise_notimplemented;
mod reflected_alias_noncommutative;
mod return_notimplementederror;
mod total_ordering_misuse;
mod util;

use crate::rule::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &binop_returns_none::RULE,
    &raise_notimplemented::RULE,
    &return_notimplementederror::RULE,
    &binop_raises_for_foreign_type::RULE,
    &missing_reflected_op::RULE,
    &reflected_alias_noncommutative::RULE,
    &inplace_returns_none::RULE,
    &partial_ordering::RULE,
    &total_ordering_misuse::RULE,
];
