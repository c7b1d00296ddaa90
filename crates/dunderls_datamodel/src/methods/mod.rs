//! The special-method table, assembled from one module per protocol family.
//!
//! Entries are built with the `sm!`/`attr!` macros (one line per method) and
//! `binop!` (the forward, reflected and in-place forms of one operator), then
//! refined with the `const fn` setters below.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::{Arity, Binding, Protocol, Returns, SpecialMethod};

/// `sm!(name, Protocol, min..=max, Returns, "(params) -> ret")`; `N` as max
/// means variadic. The anchor defaults to `object.<name>`.
macro_rules! sm {
    (@max N) => { $crate::Arity::VARIADIC };
    (@max $max:literal) => { $max };
    ($name:literal, $proto:ident, $min:literal ..= $max:tt, $ret:ident, $params:literal) => {
        $crate::SpecialMethod::new(
            $name,
            $crate::Protocol::$proto,
            $min,
            sm!(@max $max),
            $crate::Returns::$ret,
            concat!("object.", $name),
            concat!($name, $params),
        )
    };
}

/// A special class attribute: `attr!(name, Protocol, "name = ...")`.
macro_rules! attr {
    ($name:literal, $proto:ident, $sig:literal) => {
        $crate::SpecialMethod::new(
            $name,
            $crate::Protocol::$proto,
            0,
            0,
            $crate::Returns::Any,
            concat!("object.", $name),
            $sig,
        )
        .bound($crate::Binding::Attribute)
    };
}

/// The three methods of a binary operator: `binop!("add", "+", commutative)`.
macro_rules! binop {
    ($stem:literal, $sym:literal, $commutative:literal) => {
        [
            $crate::SpecialMethod::new(
                concat!("__", $stem, "__"),
                $crate::Protocol::Numeric,
                2,
                2,
                $crate::Returns::ValueOrNotImplemented,
                concat!("object.__", $stem, "__"),
                concat!("__", $stem, "__(self, other)"),
            )
            .on(concat!("a ", $sym, " b"))
            .twins(concat!("__r", $stem, "__"), Some(concat!("__i", $stem, "__")))
            .commutative($commutative)
            .says(concat!(
                "Called for `a ",
                $sym,
                " b` on the left operand; return NotImplemented for operands it does not handle."
            )),
            $crate::SpecialMethod::new(
                concat!("__r", $stem, "__"),
                $crate::Protocol::Numeric,
                2,
                2,
                $crate::Returns::ValueOrNotImplemented,
                concat!("object.__r", $stem, "__"),
                concat!("__r", $stem, "__(self, other)"),
            )
            .on(concat!("a ", $sym, " b (on b)"))
            .forward_of(concat!("__", $stem, "__"))
            .commutative($commutative)
            .says(concat!(
                "Called on the right operand `b` of `a ",
                $sym,
                " b` (with `a` as `other`) when `a` does not support the operation, or first when b's type is a subclass of a's that overrides it."
            )),
            $crate::SpecialMethod::new(
                concat!("__i", $stem, "__"),
                $crate::Protocol::Numeric,
                2,
                2,
                $crate::Returns::ValueOrNotImplemented,
                concat!("object.__i", $stem, "__"),
                concat!("__i", $stem, "__(self, other)"),
            )
            .on(concat!("a ", $sym, "= b"))
            .forward_of(concat!("__", $stem, "__"))
            .commutative($commutative)
            .says(concat!(
                "Called for `a ",
                $sym,
                "= b`; its result is bound to `a` (return self after mutating). Falls back to `a ",
                $sym,
                " b` when missing or NotImplemented."
            )),
        ]
    };
}

mod core;
mod numeric;
mod other;

/// Builder setters, used only by the table modules.
impl SpecialMethod {
    pub(crate) const fn new(
        name: &'static str,
        protocol: Protocol,
        min: u8,
        max: u8,
        returns: Returns,
        anchor: &'static str,
        canonical_signature: &'static str,
    ) -> Self {
        SpecialMethod {
            name,
            protocol,
            binding: Binding::Instance,
            arity: Arity { min, max },
            returns,
            trigger: "",
            reflected: None,
            inplace: None,
            forward: None,
            commutative: false,
            must_be_async: false,
            on_metaclass: false,
            anchor,
            since: None,
            canonical_signature,
            summary: "",
        }
    }

    /// The syntax or builtin that makes Python call it.
    pub(crate) const fn on(mut self, trigger: &'static str) -> Self {
        self.trigger = trigger;
        self
    }

    pub(crate) const fn says(mut self, summary: &'static str) -> Self {
        self.summary = summary;
        self
    }

    pub(crate) const fn bound(mut self, binding: Binding) -> Self {
        self.binding = binding;
        self
    }

    /// Documentation anchor in the data model page, or a full URL.
    pub(crate) const fn at(mut self, anchor: &'static str) -> Self {
        self.anchor = anchor;
        self
    }

    pub(crate) const fn since_py(mut self, major: u8, minor: u8) -> Self {
        self.since = Some((major, minor));
        self
    }

    pub(crate) const fn asynchronous(mut self) -> Self {
        self.must_be_async = true;
        self
    }

    pub(crate) const fn metaclass(mut self) -> Self {
        self.on_metaclass = true;
        self
    }

    pub(crate) const fn twins(
        mut self,
        reflected: &'static str,
        inplace: Option<&'static str>,
    ) -> Self {
        self.reflected = Some(reflected);
        self.inplace = inplace;
        self
    }

    pub(crate) const fn forward_of(mut self, forward: &'static str) -> Self {
        self.forward = Some(forward);
        self
    }

    pub(crate) const fn commutative(mut self, commutative: bool) -> Self {
        self.commutative = commutative;
        self
    }
}

struct Table {
    methods: Vec<SpecialMethod>,
    by_name: HashMap<&'static str, usize>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let methods: Vec<SpecialMethod> = core::METHODS
            .iter()
            .chain(numeric::BINARY.iter().flatten())
            .chain(numeric::METHODS)
            .chain(other::METHODS)
            .copied()
            .collect();
        let mut by_name = HashMap::with_capacity(methods.len());
        for (i, m) in methods.iter().enumerate() {
            let previous = by_name.insert(m.name, i);
            debug_assert!(previous.is_none(), "duplicate table entry {}", m.name);
        }
        Table { methods, by_name }
    })
}

/// Every special method and special class attribute, grouped by protocol.
pub fn special_methods() -> &'static [SpecialMethod] {
    &table().methods
}

pub fn lookup(name: &str) -> Option<&'static SpecialMethod> {
    let t = table();
    t.by_name.get(name).map(|&i| &t.methods[i])
}

/// The canonical signature text, e.g. `__eq__(self, other: object) -> bool`.
pub fn signature_of(name: &str) -> Option<&'static str> {
    lookup(name).map(|m| m.canonical_signature)
}

/// Dunder names that are not data-model hooks but are legitimately defined
/// in class bodies or modules: hooks that well-known libraries call, and
/// standard attributes that Python or the stdlib set or read. Not
/// misspellings (DUN001 stays silent). Names in the table are not repeated.
#[rustfmt::skip]
pub static LIBRARY_DUNDERS: &[&str] = &[
    // NumPy (the table has __array__, __array_ufunc__, __array_function__,
    // __array_priority__, __array_interface__, __array_wrap__, __array_finalize__)
    "__array_struct__", "__array_prepare__", "__array_namespace__",
    // array/dataframe interchange
    "__dlpack__", "__dlpack_device__", "__arrow_c_array__", "__arrow_c_stream__",
    "__arrow_c_schema__", "__dataframe__", "__cuda_array_interface__", "__jax_array__",
    "__geo_interface__",
    // PyTorch
    "__torch_function__", "__torch_dispatch__",
    // rich, HTML/Jinja/markupsafe, SQLAlchemy
    "__rich__", "__rich_repr__", "__rich_console__", "__rich_measure__", "__html__",
    "__clause_element__",
    // pydantic
    "__get_pydantic_core_schema__", "__get_pydantic_json_schema__", "__get_validators__",
    "__modify_schema__", "__pydantic_init_subclass__", "__fields__",
    // attrs
    "__attrs_post_init__", "__attrs_pre_init__", "__attrs_attrs__",
    // scikit-learn
    "__sklearn_tags__", "__sklearn_is_fitted__", "__sklearn_clone__",
    // misc frameworks: JSON hooks, pytest, Cython, sqlite3 adapters
    "__json__", "__test__", "__tracebackhide__", "__reduce_cython__", "__setstate_cython__",
    "__pyx_vtable__", "__conform__", "__adapt__",
    // module and class attributes Python or the stdlib set/read
    "__all__", "__version__", "__author__", "__file__", "__name__", "__qualname__",
    "__module__", "__doc__", "__annotations__", "__annotate__", "__type_params__",
    "__static_attributes__", "__firstlineno__", "__classcell__", "__class__", "__bases__",
    "__base__", "__mro__", "__subclasses__", "__orig_bases__", "__orig_class__",
    "__abstractmethods__", "__isabstractmethod__", "__slotnames__", "__builtins__",
    "__loader__", "__spec__", "__package__", "__path__", "__cached__",
    // functions, wrappers and typing
    "__wrapped__", "__signature__", "__text_signature__", "__self__", "__func__", "__code__",
    "__defaults__", "__kwdefaults__", "__globals__", "__closure__", "__objclass__",
    "__origin__", "__args__", "__parameters__", "__total__", "__required_keys__",
    "__optional_keys__", "__final__", "__no_type_check__",
    // exceptions
    "__traceback__", "__cause__", "__context__", "__suppress_context__", "__notes__",
];

/// Python 2 special methods that Python 3 never calls, with the name that
/// replaced them.
static PYTHON2_DUNDERS: &[(&str, &str)] = &[
    ("__nonzero__", "__bool__"),
    ("__unicode__", "__str__"),
    ("__div__", "__truediv__"),
    ("__rdiv__", "__rtruediv__"),
    ("__idiv__", "__itruediv__"),
    ("__cmp__", "__eq__"),
    ("__long__", "__int__"),
    ("__oct__", "__index__"),
    ("__hex__", "__index__"),
    ("__getslice__", "__getitem__"),
    ("__setslice__", "__setitem__"),
    ("__delslice__", "__delitem__"),
    ("__getinitargs__", "__getnewargs__"),
];

/// In the special-method table or a known library/standard dunder.
pub fn is_known_dunder(name: &str) -> bool {
    lookup(name).is_some() || LIBRARY_DUNDERS.contains(&name)
}

/// The Python 3 name for a Python 2 special method (`__nonzero__` ->
/// `__bool__`), if `name` is one.
pub fn python2_replacement(name: &str) -> Option<&'static str> {
    PYTHON2_DUNDERS
        .iter()
        .find(|(old, _)| *old == name)
        .map(|(_, new)| *new)
}

/// The special method `name` was most likely meant to be: the Python 3
/// replacement of a Python 2 name, else the table name at the smallest edit
/// distance if that distance is <= 2 (<= 1 when the name's core, without
/// underscores, has at most 3 letters: `__foo__` is not `__pos__`), or a
/// table name equal to `name` once underscores are stripped (`__getattribute`,
/// `_eq__`). Ties go to the earlier table entry. None for unrelated names.
pub fn nearest_special_method(name: &str) -> Option<&'static str> {
    if let Some(new) = python2_replacement(name) {
        return Some(new);
    }
    let core = name.trim_matches('_');
    let limit = if core.chars().count() <= 3 { 1 } else { 2 };
    let mut best: Option<(usize, &'static str)> = None;
    for m in special_methods() {
        let d = edit_distance(name, m.name);
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, m.name));
        }
    }
    if let Some((d, candidate)) = best {
        if d <= limit {
            return Some(candidate);
        }
    }
    special_methods()
        .iter()
        .find(|m| !core.is_empty() && m.name.trim_matches('_') == core)
        .map(|m| m.name)
}

/// Levenshtein distance over chars (insert, delete, substitute: cost 1).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitute = prev[j] + usize::from(ca != cb);
            cur[j + 1] = substitute.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_dunder() {
        let t = table();
        assert_eq!(
            t.methods.len(),
            t.by_name.len(),
            "duplicate names in the table"
        );
        for m in special_methods() {
            assert!(crate::is_dunder_name(m.name), "{}", m.name);
            assert!(!m.summary.is_empty(), "{} has no summary", m.name);
            assert!(!m.trigger.is_empty(), "{} has no trigger", m.name);
            assert!(
                m.canonical_signature.starts_with(m.name),
                "{}: signature {:?}",
                m.name,
                m.canonical_signature
            );
        }
        for name in LIBRARY_DUNDERS {
            assert!(
                lookup(name).is_none(),
                "{name} is in the table and LIBRARY_DUNDERS"
            );
            assert!(crate::is_dunder_name(name), "{name}");
        }
        for (old, new) in PYTHON2_DUNDERS {
            assert!(
                lookup(old).is_none() && lookup(new).is_some(),
                "{old} -> {new}"
            );
        }
    }

    #[test]
    fn twins_point_to_existing_entries() {
        for m in special_methods() {
            for twin in [m.reflected, m.inplace, m.forward].into_iter().flatten() {
                assert!(lookup(twin).is_some(), "{} -> missing twin {twin}", m.name);
            }
            if let Some(fwd) = m.forward {
                let f = lookup(fwd).unwrap();
                assert!(
                    f.reflected == Some(m.name) || f.inplace == Some(m.name),
                    "{} is not a twin of {fwd}",
                    m.name
                );
            }
        }
    }

    #[test]
    fn operator_classification() {
        let add = lookup("__add__").unwrap();
        assert!(add.is_binary_operator() && add.is_forward_operator());
        assert_eq!(add.reflected, Some("__radd__"));
        assert_eq!(add.inplace, Some("__iadd__"));
        let radd = lookup("__radd__").unwrap();
        assert!(radd.is_binary_operator() && radd.is_reflected() && !radd.is_inplace());
        let iadd = lookup("__iadd__").unwrap();
        assert!(iadd.is_binary_operator() && iadd.is_inplace() && !iadd.is_reflected());
        let rshift = lookup("__rshift__").unwrap();
        assert!(rshift.is_forward_operator() && !rshift.is_reflected());
        let ior = lookup("__ior__").unwrap();
        assert!(ior.is_inplace());
        for name in [
            "__divmod__",
            "__rdivmod__",
            "__pow__",
            "__ipow__",
            "__matmul__",
        ] {
            assert!(lookup(name).unwrap().is_binary_operator(), "{name}");
        }
        assert_eq!(lookup("__divmod__").unwrap().inplace, None);
        assert!(lookup("__idivmod__").is_none());
        assert_eq!(lookup("__pow__").unwrap().arity, Arity { min: 2, max: 3 });
        for name in ["__neg__", "__eq__", "__lt__", "__index__", "__len__"] {
            assert!(!lookup(name).unwrap().is_binary_operator(), "{name}");
        }
        for m in special_methods().iter().filter(|m| m.is_binary_operator()) {
            assert!(
                m.is_forward_operator() ^ m.is_reflected() ^ m.is_inplace(),
                "{}",
                m.name
            );
        }
    }

    #[test]
    fn docs_urls() {
        assert_eq!(
            lookup("__eq__").unwrap().docs_url(),
            "https://docs.python.org/3/reference/datamodel.html#object.__eq__"
        );
        assert_eq!(
            lookup("__reduce__").unwrap().docs_url(),
            "https://docs.python.org/3/library/pickle.html#object.__reduce__"
        );
    }

    #[test]
    fn nearest_names() {
        assert_eq!(
            nearest_special_method("__init_subclas__"),
            Some("__init_subclass__")
        );
        assert_eq!(nearest_special_method("__len___"), Some("__len__"));
        assert_eq!(nearest_special_method("__eq_"), Some("__eq__"));
        assert_eq!(nearest_special_method("_eq__"), Some("__eq__"));
        assert_eq!(
            nearest_special_method("__getattribute"),
            Some("__getattribute__")
        );
        assert_eq!(
            nearest_special_method("__getatribute__"),
            Some("__getattribute__")
        );
        assert_eq!(
            nearest_special_method("getattribute"),
            Some("__getattribute__")
        );
        assert_eq!(nearest_special_method("__nonzero__"), Some("__bool__"));
        assert_eq!(nearest_special_method("__div__"), Some("__truediv__"));
        assert_eq!(nearest_special_method("__foo__"), None);
        assert_eq!(nearest_special_method("__completely_unrelated__"), None);
    }

    #[test]
    fn known_dunders() {
        // The library hooks rules.md (DUN001) says are not misspellings.
        for name in [
            "__array__",
            "__array_ufunc__",
            "__array_function__",
            "__array_priority__",
            "__array_interface__",
            "__array_wrap__",
            "__array_finalize__",
            "__dlpack__",
            "__dlpack_device__",
            "__arrow_c_array__",
            "__arrow_c_stream__",
            "__dataframe__",
            "__torch_function__",
            "__rich__",
            "__rich_repr__",
            "__html__",
            "__clause_element__",
            "__get_pydantic_core_schema__",
            "__attrs_post_init__",
            "__post_init__",
            "__sklearn_tags__",
            "__eq__",
            "__all__",
        ] {
            assert!(is_known_dunder(name), "{name}");
        }
        assert!(!is_known_dunder("__init_subclas__"));
        assert!(!is_known_dunder("__nonzero__"));
    }

    #[test]
    fn levenshtein() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("__eq__", "__eq__"), 0);
    }
}
