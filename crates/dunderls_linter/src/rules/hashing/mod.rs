mod eq_without_hash;

use crate::rule::Rule;

pub(crate) static RULES: &[&Rule] = &[&eq_without_hash::RULE];
