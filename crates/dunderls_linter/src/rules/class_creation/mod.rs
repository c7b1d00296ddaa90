mod class_keyword_not_accepted;
mod implicit_classmethod_decorated;
mod inconsistent_mro;
mod init_subclass_drops_kwargs;
mod init_subclass_no_super;
mod registration_in_init;
mod registration_via_metaclass;
pub(crate) mod util;

use crate::rule::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &init_subclass_no_super::RULE,
    &init_subclass_drops_kwargs::RULE,
    &class_keyword_not_accepted::RULE,
    &implicit_classmethod_decorated::RULE,
    &registration_via_metaclass::RULE,
    &registration_in_init::RULE,
    &inconsistent_mro::RULE,
];
