mod async_dunder_not_async;
mod builder_shared_state;
mod enter_returns_none;
mod exit_swallows_exceptions;
mod fluent_missing_return;
mod incomplete_context_manager;
mod setattr_tracking_bypass;
pub(crate) mod util;

use crate::rule::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &incomplete_context_manager::RULE,
    &async_dunder_not_async::RULE,
    &exit_swallows_exceptions::RULE,
    &enter_returns_none::RULE,
    &fluent_missing_return::RULE,
    &builder_shared_state::RULE,
    &setattr_tracking_bypass::RULE,
];
