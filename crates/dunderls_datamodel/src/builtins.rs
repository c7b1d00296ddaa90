//! Builtin and `collections` base classes: which special methods they
//! provide, and the instance-layout facts that the slots/`__missing__`/
//! weakref rules need.
//!
//! Generated once from CPython 3.11 introspection and compared with it by
//! `tests/introspection.rs`. `methods` lists the names from the special-method
//! table that the class or one of its bases other than `object` defines
//! (with a non-None value); unhashable classes (`__hash__ = None`) have
//! `hashable: false`.

#[derive(Debug, Clone, Copy)]
pub struct BuiltinBase {
    /// Bare class name: `dict`, `OrderedDict`.
    pub name: &'static str,
    /// `builtins` or `collections`.
    pub module: &'static str,
    /// `__hash__` is not None.
    pub hashable: bool,
    /// Instances of the class itself have a `__dict__` (a subclass without
    /// `__slots__` always gets one).
    pub instances_have_dict: bool,
    /// `weakref.ref(instance)` works for the class itself.
    pub instances_weakrefable: bool,
    /// `weakref.ref(instance)` works for a subclass without `__slots__`
    /// (False for the variable-size types int, tuple, bytes on 3.11).
    pub subclass_weakrefable: bool,
    /// A subclass may declare non-empty `__slots__` (False for int, bytes,
    /// tuple: `TypeError: nonempty __slots__ not supported for subtype`).
    pub nonempty_slots_allowed: bool,
    /// Its `__getitem__` calls a subclass's `__missing__` for absent keys.
    pub consults_missing: bool,
    pub is_exception: bool,
    /// The most specific `collections.abc` ABCs it is a (virtual) subclass of.
    pub abcs: &'static [&'static str],
    /// Special methods it provides.
    pub methods: &'static [&'static str],
}

impl BuiltinBase {
    pub fn qualified_name(&self) -> String {
        format!("{}.{}", self.module, self.name)
    }

    pub fn provides(&self, method: &str) -> bool {
        self.methods.contains(&method)
    }
}

#[rustfmt::skip]
static BUILTINS: &[BuiltinBase] = &[
    BuiltinBase { name: "object", module: "builtins", hashable: true, instances_have_dict: false, instances_weakrefable: false, subclass_weakrefable: true, nonempty_slots_allowed: true, consults_missing: false, is_exception: false,
        abcs: &["Hashable"],
        methods: &[] },
    BuiltinBase { name: "dict", module: "builtins", hashable: false, instances_have_dict: false, instances_weakrefable: false, subclass_weakrefable: true, nonempty_slots_allowed: true, consults_missing: true, is_exception: false,
        abcs: &["MutableMapping", "Reversible"],
        methods: &["__class_getitem__", "__contains__", "__delitem__", "__eq__", "__ge__", "__getattribute__", "__getitem__", "__gt__", "__init__", "__ior__", "__iter__", "__le__", "__len__", "__lt__", "__ne__", "__new__", "__or__", "__repr__", "__reversed__", "__ror__", "__setitem__", "__sizeof__"] },
    BuiltinBase { name: "list", module: "builtins", hashable: false, instances_have_dict: false, instances_weakrefable: false, subclass_weakrefable: true, nonempty_slots_allowed: true, consults_missing: false, is_exception: false,
        abcs: &["MutableSequence"],
        methods: &["__add__", "__class_getitem__", "__contains__", "__delitem__", "__eq__", "__ge__", "__getattribute__", "__getitem__", "__gt__", "__iadd__", "__imul__", "__init__", "__iter__", "__le__", "__len__", "__lt__", "__mul__", "__ne__", "__new__", "__repr__", "__reversed__", "__rmul__", "__setitem__", "__sizeof__"] },
    BuiltinBase { name: "set", module: "builtins", hashable: false, instances_have_dict: false, instances_weakrefable: true, subclass_weakrefable: true, nonempty_slots_allowed: true, consults_missing: false, is_exception: false,
        abcs: &["MutableSet"],
        methods: &["__and__", "__class_getitem__", "__contains__", "__eq__", "__ge__", "__getattribute__", "__gt__", "__iand__", "__init__", "__ior__", "__isub__", "__iter__", "__ixor__", "__le__", "__len__", "__lt__", "__ne__", "__new__", "__or__", "__rand__", "__reduce__", "__repr__", "__ror__", "__rsub__", "__rxor__", "__sizeof__", "__sub__", "__xor__"] },
    BuiltinBase { name: "frozenset", module: "builtins", hashable: true, instances_have_dict: false, instances_weakrefable: true, subclass_weakrefable: true, nonempty_slots_allowed: true, consults_missing: false, is_exception: false,
        abcs: &["Set"],
        methods: &["__and__", "__class_getitem__", "__contains__", "__eq__", "__ge__", "__getattribute__", "__gt__", "__hash__", "__iter__", "__le__", "__len__", "__lt__", "__ne__", "__new__", "__or__", "__rand__", "__reduce__", "__repr__", "__ror__", "__rsub__", "__rxor__", "__sizeof__", "__sub__", "__xor__"] },
    BuiltinBase { name: "tuple", module: "builtins", hashable: true, instances_have_dict: false, instances_weakrefable: false, subclass_weakrefable: false, nonempty_slots_allowed: false, consults_missing: false, is_exception: false,
        abcs: &["Sequence"],
        methods: &["__add__", "__class_getitem__", "__contains__", "__eq__", "__ge__", "__getattribute__", "__getitem__", "__getnewargs__", "__gt__", "__hash__", "__iter__", "__le__", "__len__", "__lt__", "__mul__", "__ne__", "__new__", "__repr__", "__rmul__"] },
    BuiltinBase { name: "str", module: "builtins", hashable: true, instances_have_dict: false, instances_weakrefable: false, subclass_weakrefable: true, nonempty_slots_allowed: true, consults_missing: false, is_exception: false,
        abcs: &["Sequence"],
        methods: &["__add__", "__contains__", "__eq__", "__format__", "__ge__", "__getattribute__", "__getitem__", "__getnewargs__", "__gt__", "__hash__", "__iter__", "__le__", "__len__", "__lt__", "__mod__", "__mul__", "__ne__", "__new__", "__repr__", "__rmod__", "__rmul__", "__sizeof__", "__str__"] },
    BuiltinBase { name: "bytes", module: "builtins", hashable: true, instances_have_dict: false, instances_weakrefable: false, subclass_weakrefable: false, nonempty_slots_allowed: false, consults_missing: false, is_exception: false,
        abcs: &["ByteString"],
        methods: &["__add__", "__bytes__", "__contains__", "__eq__", "__ge__", "__getattribute__", "__getitem__", "__getnewargs__", "__gt__", "__hash__", "__iter__", "__le__", "__len__", "__lt__", "__mod__", "__mul__", "__ne__", "__new__", "__repr__", "__rmod__", "__rmul__", "__str__"] },
    BuiltinBase { name: "bytearray", module: "builtins", hashable: false, instances_have_dict: false, instances_weakrefable: false, subclass_weakrefable: true, nonempty_slots_allowed: true, consults_missing: false, is_exception: false,
        abcs: &["ByteString", "MutableSequence"],
        methods: &["__add__", "__contains__", "__delitem__", "__eq__", "__ge__", "__getattribute__", "__getitem__", "__gt__", "__iadd__", "__imul__", "__init__", "__iter__", "__le__", "__len__", "__lt__", "__mod__", "__mul__", "__ne__", "__new__", "__reduce__", "__reduce_ex__", "__repr__", "__rmod__", "__rmul__", "__setitem__", "__sizeof__", "__str__"] },
    BuiltinBase { name: "int", module: "builtins", hashable: true, instances_have_dict: false, instances_weakrefable: false, subclass_weakrefable: false, nonempty_slots_allowed: false, consults_missing: false, is_exception: false,
        abcs: &["Hashable"],
        methods: &["__abs__", "__add__", "__and__", "__bool__", "__ceil__", "__divmod__", "__eq__", "__float__", "__floor__", "__floordiv__", "__format__", "__ge__", "__getattribute__", "__getnewargs__", "__gt__", "__hash__", "__index__", "__int__", "__invert__", "__le__", "__lshift__", "__lt__", "__mod__", "__mul__", "__ne__", "__neg__", "__new__", "__or__", "__pos__", "__pow__", "__radd__", "__rand__", "__rdivmod__", "__repr__", "__rfloordiv__", "__rlshift__", "__rmod__", "__rmul__", "__ror__", "__round__", "__rpow__", "__rrshift__", "__rshift__", "__rsub__", "__rtruediv__", "__rxor__", "__sizeof__", "__sub__", "__truediv__", "__trunc__", "__xor__"] },
    BuiltinBase { name: "float", module: "builtins", hashable: true, instances_have_dict: false, instances_weakrefable: false, subclass_weakrefable: true, nonempty_slots_allowed: true, consults_missing: false, is_exception: false,
        abcs: &["Hashable"],
        methods: &["__abs__", "__add__", "__bool__", "__ceil__", "__divmod__", "__eq__", "__float__", "__floor__", "__floordiv__", "__format__", "__ge__", "__getattribute__", "__getnewargs__", "__gt__", "__hash__", "__int__", "__le__", "__lt__", "__mod__", "__mul__", "__ne__", "__neg__", "__new__", "__pos__", "__pow__", "__radd__", "__rdivmod__", "__repr__", "__rfloordiv__", "__rmod__", "__rmul__", "__round__", "__rpow__", "__rsub__", "__rtruediv__", "__sub__", "__truediv__", "__trunc__"] },
    BuiltinBase { name: "complex", module: "builtins", hashable: true, instances_have_dict: false, instances_weakrefable: false, subclass_weakrefable: true, nonempty_slots_allowed: true, consults_missing: false, is_exception: false,
        abcs: &["Hashable"],
        methods: &["__abs__", "__add__", "__bool__", "__complex__", "__eq__", "__format__", "__ge__", "__getattribute__", "__getnewargs__", "__gt__", "__hash__", "__le__", "__lt__", "__mul__", "__ne__", "__neg__", "__new__", "__pos__", "__pow__", "__radd__", "__repr__", "__rmul__", "__rpow__", "__rsub__", "__rtruediv__", "__sub__", "__truediv__"] },
    BuiltinBase { name: "UserDict", module: "collections", hashable: false, instances_have_dict: true, instances_weakrefable: true, subclass_weakrefable: true, nonempty_slots_allowed: true, consults_missing: true, is_exception: false,
        abcs: &["MutableMapping"],
        methods: &["__class_getitem__", "__contains__", "__copy__", "__delitem__", "__eq__", "__getitem__", "__init__", "__ior__", "__iter__", "__len__", "__or__", "__repr__", "__ror__", "__setitem__", "__subclasshook__"] },
    BuiltinBase { name: "UserList", module: "collections", hashable: false, instances_have_dict: true, instances_weakrefable: true, subclass_weakrefable: true, nonempty_slots_allowed: true, consults_missing: false, is_exception: false,
        abcs: &["MutableSequence"],
        methods: &["__add__", "__class_getitem__", "__contains__", "__copy__", "__delitem__", "__eq__", "__ge__", "__getitem__", "__gt__", "__iadd__", "__imul__", "__init__", "__iter__", "__le__", "__len__", "__lt__", "__mul__", "__radd__", "__repr__", "__reversed__", "__rmul__", "__setitem__", "__subclasshook__"] },
    BuiltinBase { name: "UserString", module: "collections", hashable: true, instances_have_dict: true, instances_weakrefable: true, subclass_weakrefable: true, nonempty_slots_allowed: true, consults_missing: false, is_exception: false,
        abcs: &["Sequence"],
        methods: &["__add__", "__class_getitem__", "__complex__", "__contains__", "__eq__", "__float__", "__ge__", "__getitem__", "__getnewargs__", "__gt__", "__hash__", "__init__", "__int__", "__iter__", "__le__", "__len__", "__lt__", "__mod__", "__mul__", "__radd__", "__repr__", "__reversed__", "__rmod__", "__rmul__", "__str__", "__subclasshook__"] },
    BuiltinBase { name: "OrderedDict", module: "collections", hashable: false, instances_have_dict: true, instances_weakrefable: true, subclass_weakrefable: true, nonempty_slots_allowed: true, consults_missing: true, is_exception: false,
        abcs: &["MutableMapping", "Reversible"],
        methods: &["__class_getitem__", "__contains__", "__delitem__", "__eq__", "__ge__", "__getattribute__", "__getitem__", "__gt__", "__init__", "__ior__", "__iter__", "__le__", "__len__", "__lt__", "__ne__", "__new__", "__or__", "__reduce__", "__repr__", "__reversed__", "__ror__", "__setitem__", "__sizeof__"] },
    BuiltinBase { name: "defaultdict", module: "collections", hashable: false, instances_have_dict: false, instances_weakrefable: false, subclass_weakrefable: true, nonempty_slots_allowed: true, consults_missing: true, is_exception: false,
        abcs: &["MutableMapping", "Reversible"],
        methods: &["__class_getitem__", "__contains__", "__copy__", "__delitem__", "__eq__", "__ge__", "__getattribute__", "__getitem__", "__gt__", "__init__", "__ior__", "__iter__", "__le__", "__len__", "__lt__", "__missing__", "__ne__", "__new__", "__or__", "__reduce__", "__repr__", "__reversed__", "__ror__", "__setitem__", "__sizeof__"] },
    BuiltinBase { name: "Counter", module: "collections", hashable: false, instances_have_dict: true, instances_weakrefable: true, subclass_weakrefable: true, nonempty_slots_allowed: true, consults_missing: true, is_exception: false,
        abcs: &["MutableMapping", "Reversible"],
        methods: &["__add__", "__and__", "__class_getitem__", "__contains__", "__delitem__", "__eq__", "__ge__", "__getattribute__", "__getitem__", "__gt__", "__iadd__", "__iand__", "__init__", "__ior__", "__isub__", "__iter__", "__le__", "__len__", "__lt__", "__missing__", "__ne__", "__neg__", "__new__", "__or__", "__pos__", "__reduce__", "__repr__", "__reversed__", "__ror__", "__setitem__", "__sizeof__", "__sub__"] },
    BuiltinBase { name: "deque", module: "collections", hashable: false, instances_have_dict: false, instances_weakrefable: true, subclass_weakrefable: true, nonempty_slots_allowed: true, consults_missing: false, is_exception: false,
        abcs: &["MutableSequence"],
        methods: &["__add__", "__class_getitem__", "__contains__", "__copy__", "__delitem__", "__eq__", "__ge__", "__getattribute__", "__getitem__", "__gt__", "__iadd__", "__imul__", "__init__", "__iter__", "__le__", "__len__", "__lt__", "__mul__", "__ne__", "__new__", "__reduce__", "__repr__", "__reversed__", "__rmul__", "__setitem__", "__sizeof__"] },
    BuiltinBase { name: "BaseException", module: "builtins", hashable: true, instances_have_dict: true, instances_weakrefable: false, subclass_weakrefable: true, nonempty_slots_allowed: true, consults_missing: false, is_exception: true,
        abcs: &["Hashable"],
        methods: &["__delattr__", "__getattribute__", "__init__", "__new__", "__reduce__", "__repr__", "__setattr__", "__setstate__", "__str__"] },
    BuiltinBase { name: "Exception", module: "builtins", hashable: true, instances_have_dict: true, instances_weakrefable: false, subclass_weakrefable: true, nonempty_slots_allowed: true, consults_missing: false, is_exception: true,
        abcs: &["Hashable"],
        methods: &["__delattr__", "__getattribute__", "__init__", "__new__", "__reduce__", "__repr__", "__setattr__", "__setstate__", "__str__"] },
];

/// `typing` aliases of the builtin and collections classes.
static TYPING_ALIASES: &[(&str, &str)] = &[
    ("Dict", "dict"),
    ("List", "list"),
    ("Set", "set"),
    ("FrozenSet", "frozenset"),
    ("Tuple", "tuple"),
    ("Text", "str"),
    ("ByteString", "bytes"),
    ("DefaultDict", "defaultdict"),
    ("OrderedDict", "OrderedDict"),
    ("Counter", "Counter"),
    ("Deque", "deque"),
];

pub fn builtin_bases() -> &'static [BuiltinBase] {
    BUILTINS
}

/// Look up a base class by bare name (`dict`, `OrderedDict`), qualified name
/// (`builtins.dict`, `collections.OrderedDict`) or typing alias
/// (`typing.Dict`). Any other name ending in `Error`, `Exception` or
/// `Warning` is taken to be an exception class and answers with the
/// `Exception` entry.
pub fn builtin_base(name: &str) -> Option<&'static BuiltinBase> {
    let (module, bare) = match name.rsplit_once('.') {
        Some((m, b)) => (Some(m), b),
        None => (None, name),
    };
    let find = |n: &str, module: Option<&str>| {
        BUILTINS
            .iter()
            .find(|b| b.name == n && module.is_none_or(|m| m == b.module))
    };
    let direct = match module {
        Some("typing" | "typing_extensions") => TYPING_ALIASES
            .iter()
            .find(|(alias, _)| *alias == bare)
            .and_then(|(_, target)| find(target, None)),
        Some(m) => find(bare, Some(m)),
        None => find(bare, None),
    };
    direct.or_else(|| {
        let exceptionish = ["Error", "Exception", "Warning"]
            .iter()
            .any(|suffix| bare.len() > suffix.len() && bare.ends_with(suffix));
        exceptionish.then(|| find("Exception", None)).flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        assert_eq!(builtin_base("dict").unwrap().name, "dict");
        assert_eq!(builtin_base("builtins.dict").unwrap().name, "dict");
        assert_eq!(
            builtin_base("collections.OrderedDict").unwrap().name,
            "OrderedDict"
        );
        assert_eq!(
            builtin_base("typing.DefaultDict").unwrap().name,
            "defaultdict"
        );
        assert_eq!(builtin_base("ValueError").unwrap().name, "Exception");
        assert_eq!(
            builtin_base("myapp.errors.ValidationError").unwrap().name,
            "Exception"
        );
        assert!(builtin_base("collections.dict").is_none());
        assert!(builtin_base("Error").is_none());
        assert!(builtin_base("Model").is_none());
        let dict = builtin_base("dict").unwrap();
        assert!(dict.consults_missing && !dict.hashable && dict.provides("__getitem__"));
        assert!(!builtin_base("list").unwrap().consults_missing);
        assert!(builtin_base("Counter").unwrap().provides("__missing__"));
    }

    #[test]
    fn methods_are_table_names() {
        for b in BUILTINS {
            for m in b.methods {
                assert!(
                    crate::lookup(m).is_some(),
                    "{}: {m} is not in the table",
                    b.name
                );
            }
            for a in b.abcs {
                assert!(crate::abc(a).is_some(), "{}: unknown ABC {a}", b.name);
            }
        }
    }
}
