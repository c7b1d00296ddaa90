//! The `collections.abc` ABCs (plus the context-manager ABCs of `contextlib`
//! and `os.PathLike`) with their abstract and mixin methods.
//!
//! Taken from CPython 3.11 introspection and compared with it by
//! `tests/introspection.rs`: `abstract_methods` is `X.__abstractmethods__`;
//! `mixin_methods` are the names the ABC and its ABC bases define that are
//! not abstract (dunders and public names; private helpers such as
//! `_from_iterable` are left out); `blocked` are names the ABC sets to None
//! (`Mapping.__reversed__ = None`, and `__hash__` wherever the ABC defines
//! `__eq__`).

#[derive(Debug, Clone, Copy)]
pub struct AbcInfo {
    pub name: &'static str,
    /// The defining module: `collections.abc`, `contextlib` or `os`.
    pub module: &'static str,
    /// What a concrete subclass must implement (inherited ones included).
    pub abstract_methods: &'static [&'static str],
    /// What the ABC provides once the abstract methods exist.
    pub mixin_methods: &'static [&'static str],
    /// Names the ABC sets to None.
    pub blocked: &'static [&'static str],
    /// Direct bases, as bare names (`object` and `abc.ABC` left out).
    pub bases: &'static [&'static str],
    /// The alias in `typing` when its name differs (`typing.AbstractSet`).
    pub typing_name: Option<&'static str>,
    /// First Python version that has it, if newer than 3.8.
    pub since: Option<(u8, u8)>,
    pub deprecated_since: Option<(u8, u8)>,
}

impl AbcInfo {
    /// `collections.abc.Sequence`.
    pub fn qualified_name(&self) -> String {
        format!("{}.{}", self.module, self.name)
    }

    pub fn docs_url(&self) -> String {
        let page = match self.module {
            "collections.abc" => "collections.abc",
            "contextlib" => "contextlib",
            _ => "os",
        };
        format!(
            "https://docs.python.org/3/library/{page}.html#{}",
            self.qualified_name()
        )
    }
}

const fn abc_(
    name: &'static str,
    abstract_methods: &'static [&'static str],
    mixin_methods: &'static [&'static str],
    bases: &'static [&'static str],
) -> AbcInfo {
    AbcInfo {
        name,
        module: "collections.abc",
        abstract_methods,
        mixin_methods,
        blocked: &[],
        bases,
        typing_name: None,
        since: None,
        deprecated_since: None,
    }
}

impl AbcInfo {
    const fn blocks(mut self, blocked: &'static [&'static str]) -> Self {
        self.blocked = blocked;
        self
    }
    const fn module(mut self, module: &'static str) -> Self {
        self.module = module;
        self
    }
    const fn typing(mut self, typing_name: &'static str) -> Self {
        self.typing_name = Some(typing_name);
        self
    }
}

const SET_OPS: &[&str] = &[
    "__and__",
    "__eq__",
    "__ge__",
    "__gt__",
    "__le__",
    "__lt__",
    "__or__",
    "__rand__",
    "__ror__",
    "__rsub__",
    "__rxor__",
    "__sub__",
    "__xor__",
    "isdisjoint",
];

#[rustfmt::skip]
static ABCS: &[AbcInfo] = &[
    abc_("Container", &["__contains__"], &[], &[]),
    abc_("Hashable", &["__hash__"], &[], &[]),
    abc_("Iterable", &["__iter__"], &[], &[]),
    abc_("Iterator", &["__next__"], &["__iter__"], &["Iterable"]),
    abc_("Reversible", &["__iter__", "__reversed__"], &[], &["Iterable"]),
    abc_("Generator", &["send", "throw"], &["__iter__", "__next__", "close"], &["Iterator"]),
    abc_("Sized", &["__len__"], &[], &[]),
    abc_("Callable", &["__call__"], &[], &[]),
    abc_("Collection", &["__contains__", "__iter__", "__len__"], &[], &["Sized", "Iterable", "Container"]),
    abc_("Sequence", &["__getitem__", "__len__"], &["__contains__", "__iter__", "__reversed__", "count", "index"], &["Reversible", "Collection"]),
    abc_("MutableSequence", &["__delitem__", "__getitem__", "__len__", "__setitem__", "insert"],
        &["__contains__", "__iadd__", "__iter__", "__reversed__", "append", "clear", "count", "extend", "index", "pop", "remove", "reverse"], &["Sequence"]),
    AbcInfo { deprecated_since: Some((3, 12)), ..abc_("ByteString", &["__getitem__", "__len__"], &["__contains__", "__iter__", "__reversed__", "count", "index"], &["Sequence"]) },
    abc_("Set", &["__contains__", "__iter__", "__len__"], SET_OPS, &["Collection"]).blocks(&["__hash__"]).typing("AbstractSet"),
    abc_("MutableSet", &["__contains__", "__iter__", "__len__", "add", "discard"],
        &["__and__", "__eq__", "__ge__", "__gt__", "__iand__", "__ior__", "__isub__", "__ixor__", "__le__", "__lt__", "__or__", "__rand__", "__ror__", "__rsub__", "__rxor__", "__sub__", "__xor__", "clear", "isdisjoint", "pop", "remove"],
        &["Set"]).blocks(&["__hash__"]),
    abc_("Mapping", &["__getitem__", "__iter__", "__len__"], &["__contains__", "__eq__", "get", "items", "keys", "values"], &["Collection"]).blocks(&["__hash__", "__reversed__"]),
    abc_("MutableMapping", &["__delitem__", "__getitem__", "__iter__", "__len__", "__setitem__"],
        &["__contains__", "__eq__", "clear", "get", "items", "keys", "pop", "popitem", "setdefault", "update", "values"], &["Mapping"]).blocks(&["__hash__", "__reversed__"]),
    abc_("MappingView", &[], &["__init__", "__len__", "__repr__"], &["Sized"]),
    abc_("KeysView", &[], &["__and__", "__contains__", "__eq__", "__ge__", "__gt__", "__init__", "__iter__", "__le__", "__len__", "__lt__", "__or__", "__rand__", "__repr__", "__ror__", "__rsub__", "__rxor__", "__sub__", "__xor__", "isdisjoint"],
        &["MappingView", "Set"]).blocks(&["__hash__"]),
    abc_("ItemsView", &[], &["__and__", "__contains__", "__eq__", "__ge__", "__gt__", "__init__", "__iter__", "__le__", "__len__", "__lt__", "__or__", "__rand__", "__repr__", "__ror__", "__rsub__", "__rxor__", "__sub__", "__xor__", "isdisjoint"],
        &["MappingView", "Set"]).blocks(&["__hash__"]),
    abc_("ValuesView", &[], &["__contains__", "__init__", "__iter__", "__len__", "__repr__"], &["MappingView", "Collection"]),
    abc_("Awaitable", &["__await__"], &[], &[]),
    abc_("Coroutine", &["__await__", "send", "throw"], &["close"], &["Awaitable"]),
    abc_("AsyncIterable", &["__aiter__"], &[], &[]),
    abc_("AsyncIterator", &["__anext__"], &["__aiter__"], &["AsyncIterable"]),
    abc_("AsyncGenerator", &["asend", "athrow"], &["__aiter__", "__anext__", "aclose"], &["AsyncIterator"]),
    AbcInfo { since: Some((3, 12)), ..abc_("Buffer", &["__buffer__"], &[], &[]) },
    // Not in collections.abc, but ABCs with the same contract enforcement.
    abc_("AbstractContextManager", &["__exit__"], &["__enter__"], &[]).module("contextlib").typing("ContextManager"),
    abc_("AbstractAsyncContextManager", &["__aexit__"], &["__aenter__"], &[]).module("contextlib").typing("AsyncContextManager"),
    abc_("PathLike", &["__fspath__"], &[], &[]).module("os"),
];

pub fn abcs() -> &'static [AbcInfo] {
    ABCS
}

/// Look up by bare name (`MutableMapping`), by `collections.abc.`, `typing.`
/// or `typing_extensions.` path, by the typing alias (`typing.AbstractSet`,
/// `typing.ContextManager`), or by `contextlib.`/`os.` path for those ABCs.
/// Other qualified names (`mylib.Mapping`) are not the stdlib ABC: None.
pub fn abc(name: &str) -> Option<&'static AbcInfo> {
    let (module, bare) = match name.rsplit_once('.') {
        Some((module, bare)) => (Some(module), bare),
        None => (None, name),
    };
    let by_typing = matches!(module, None | Some("typing" | "typing_extensions"));
    ABCS.iter().find(|a| {
        let module_ok = match module {
            None => true,
            Some("typing" | "typing_extensions") => true,
            Some(m) => m == a.module,
        };
        (module_ok && a.name == bare) || (by_typing && a.typing_name == Some(bare))
    })
}

/// True when `method` is abstract in the ABC named `abc_name` (any spelling
/// [`abc`] accepts).
pub fn is_abstract_method_of(abc_name: &str, method: &str) -> bool {
    abc(abc_name).is_some_and(|a| a.abstract_methods.contains(&method))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        assert_eq!(abc("MutableMapping").unwrap().name, "MutableMapping");
        assert_eq!(abc("collections.abc.Sequence").unwrap().name, "Sequence");
        assert_eq!(abc("typing.Mapping").unwrap().name, "Mapping");
        assert_eq!(abc("typing.AbstractSet").unwrap().name, "Set");
        assert_eq!(abc("AbstractSet").unwrap().name, "Set");
        assert_eq!(
            abc("typing.ContextManager").unwrap().name,
            "AbstractContextManager"
        );
        assert_eq!(
            abc("contextlib.AbstractContextManager").unwrap().module,
            "contextlib"
        );
        assert_eq!(abc("os.PathLike").unwrap().name, "PathLike");
        assert!(abc("mylib.Mapping").is_none());
        assert!(abc("collections.abc.PathLike").is_none());
        assert!(abc("Dict").is_none());
        assert!(is_abstract_method_of(
            "typing.MutableMapping",
            "__delitem__"
        ));
        assert!(!is_abstract_method_of("Mapping", "get"));
    }

    #[test]
    fn bases_exist_and_abstracts_are_inherited() {
        for a in ABCS {
            for base in a.bases {
                let b = abc(base).unwrap_or_else(|| panic!("{}: unknown base {base}", a.name));
                for m in b.abstract_methods {
                    assert!(
                        a.abstract_methods.contains(m) || a.mixin_methods.contains(m),
                        "{}: {m} from {base} is neither abstract nor a mixin",
                        a.name
                    );
                }
            }
        }
    }
}
