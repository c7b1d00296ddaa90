mod array_missing_copy_param;
mod array_priority_without_reflected;
mod array_ufunc_returns_none;
mod numeric_without_array_ufunc;
mod util;

use crate::rule::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &numeric_without_array_ufunc::RULE,
    &array_ufunc_returns_none::RULE,
    &array_missing_copy_param::RULE,
    &array_priority_without_reflected::RULE,
];
