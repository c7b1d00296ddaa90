mod abc_abstract_missing;
mod iter_returns_non_iterator;
mod legacy_iteration_never_stops;
mod len_truthiness_as_none_check;
mod missing_on_non_dict;
mod next_never_stops;
mod partial_container_protocol;
mod stopiteration_in_generator;
pub(crate) mod util;

use crate::rule::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &partial_container_protocol::RULE,
    &abc_abstract_missing::RULE,
    &iter_returns_non_iterator::RULE,
    &next_never_stops::RULE,
    &legacy_iteration_never_stops::RULE,
    &stopiteration_in_generator::RULE,
    &missing_on_non_dict::RULE,
    &len_truthiness_as_none_check::RULE,
];
