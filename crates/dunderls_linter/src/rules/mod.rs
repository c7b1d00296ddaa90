//! The rules, one file each, grouped as in the catalog.

pub(crate) mod prelude;

mod attributes;
mod class_creation;
mod containers;
mod context_builders;
mod hashing;
mod hygiene;
mod numpy;
mod operators;
mod repr;

use crate::rule::Rule;

pub(crate) static GROUPS: &[&[&Rule]] = &[
    hygiene::RULES,
    attributes::RULES,
    containers::RULES,
    repr::RULES,
    hashing::RULES,
    operators::RULES,
    class_creation::RULES,
    context_builders::RULES,
    numpy::RULES,
];
