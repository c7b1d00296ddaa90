//! Helpers of the NumPy interop rules.

use dunderls_datamodel::SpecialMethod;

use crate::rules::class_creation::util::ancestry_reliable;
use crate::rules::prelude::*;

/// The class's own binary operator methods (forward or reflected, not
/// in-place), with their data-model entries.
pub(crate) fn binary_operators<'a>(
    cx: &Checker<'a>,
    class: &Class<'a>,
) -> Vec<(&'a Function<'a>, &'static SpecialMethod)> {
    cx.module
        .methods(class)
        .filter_map(|f| {
            let sm = dunderls_datamodel::lookup(f.name)?;
            (sm.is_forward_operator() || sm.is_reflected()).then_some((f, sm))
        })
        .collect()
}

/// The class body defines `name` (method or assignment).
pub(crate) fn defines(cx: &Checker, class: &Class, name: &str) -> bool {
    cx.module.methods(class).any(|f| f.name == name)
        || class.attributes.iter().any(|a| a.name == name)
}

/// The class derives only from `object` and classes of this workspace that
/// we can see (no builtin, ABC, NumPy or unknown base that may bring its own
/// operators or `__array_ufunc__`), and `Protocol` is not among them.
pub(crate) fn plain_class(cx: &Checker, class: &Class) -> bool {
    if !ancestry_reliable(cx, class) {
        return false;
    }
    let ancestry = cx.ancestry(class);
    !ancestry.has_non_object_base()
        && ancestry.complete()
        && !ancestry
            .ancestors
            .iter()
            .any(|a| matches!(a, crate::hierarchy::Ancestor::Transparent(_)))
}

/// The class or one of its user-class ancestors defines `name`.
pub(crate) fn defines_or_inherits(cx: &Checker, class: &Class, name: &str) -> bool {
    defines(cx, class, name) || cx.ancestry(class).user_class_defines(name)
}

/// The operator symbol of a binary operator entry (`*` for `__mul__`), when
/// it is written as an infix operator (not `divmod`).
pub(crate) fn operator_symbol(sm: &SpecialMethod) -> Option<&'static str> {
    sm.trigger
        .split_whitespace()
        .nth(1)
        .filter(|s| !s.is_empty() && s.chars().all(|c| "+-*/@%<>&|^".contains(c)))
}

/// The module imports NumPy outside any function (a lazy import inside an
/// interop helper does not make the module's classes array-facing).
pub(crate) fn imports_numpy_at_module_level(cx: &Checker) -> bool {
    cx.module.imports.iter().any(|i| {
        i.level == 0
            && (i.module == "numpy" || i.module.starts_with("numpy."))
            && cx
                .module
                .root
                .descendant_for_byte_range(i.range.start, i.range.end)
                .is_some_and(|n| {
                    !std::iter::successors(n.parent(), Node::parent)
                        .any(|a| a.kind() == "function_definition")
                })
    })
}
