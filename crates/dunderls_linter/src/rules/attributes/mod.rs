//! DUN1xx: attribute access, descriptors and slots (scenario: a lazy-loading
//! ORM built on `__getattr__`).

mod assign_non_slot;
mod cached_property_needs_dict;
mod descriptor_class_access;
mod descriptor_state_on_descriptor;
mod dict_access_with_slots;
mod getattr_missing_attributeerror;
mod getattr_recursion_risk;
mod getattr_uncached_lookup;
mod getattribute_override;
mod getattribute_recursion;
mod ineffective_slots;
mod method_cache_leak;
mod property_error_masked_by_getattr;
mod setattr_recursion;
mod slots_class_var_conflict;
mod slots_without_weakref;
mod util;

use crate::rule::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &getattr_uncached_lookup::RULE,
    &getattr_missing_attributeerror::RULE,
    &getattr_recursion_risk::RULE,
    &getattribute_recursion::RULE,
    &setattr_recursion::RULE,
    &getattribute_override::RULE,
    &method_cache_leak::RULE,
    &cached_property_needs_dict::RULE,
    &dict_access_with_slots::RULE,
    &slots_class_var_conflict::RULE,
    &assign_non_slot::RULE,
    &descriptor_state_on_descriptor::RULE,
    &descriptor_class_access::RULE,
    &property_error_masked_by_getattr::RULE,
    &slots_without_weakref::RULE,
    &ineffective_slots::RULE,
];
