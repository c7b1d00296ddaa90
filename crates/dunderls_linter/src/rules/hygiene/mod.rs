mod dunder_on_instance;
mod invalid_special_return;
mod misspelled_dunder;
mod new_without_return;
mod special_method_signature;
mod unnecessary_dunder_call;
mod util;

use crate::rule::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &misspelled_dunder::RULE,
    &special_method_signature::RULE,
    &invalid_special_return::RULE,
    &dunder_on_instance::RULE,
    &unnecessary_dunder_call::RULE,
    &new_without_return::RULE,
];
