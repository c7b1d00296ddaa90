//! The Python data model as data.
//!
//! One table of every special method (name, arity, binding, return contract,
//! operator twins, documentation anchor), the `collections.abc` ABCs with
//! their abstract and mixin methods, the builtin base classes, and the
//! knowledge base (Markdown for hover/completion/`explain`). Rules, hover and
//! completion all read this crate; nobody keeps a second list.
//!
//! Every fact here is checked against the installed CPython by
//! `tests/introspection.rs` (arities, ABCs, builtins, documentation anchors)
//! and every Python example in the knowledge base is executed by
//! `tests/knowledge_examples.rs`.

mod abcs;
mod builtins;
pub mod examples;
mod knowledge;
mod methods;

pub use abcs::{abc, abcs, is_abstract_method_of, AbcInfo};
pub use builtins::{builtin_base, builtin_bases, BuiltinBase};
pub use knowledge::{all_knowledge, knowledge, topic, topics, Topic};
pub use methods::{
    edit_distance, is_known_dunder, lookup, nearest_special_method, python2_replacement,
    signature_of, special_methods, LIBRARY_DUNDERS,
};

/// The protocol a special method belongs to; drives hover grouping and the
/// class "protocol card".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// Construction, finalization, repr/str/format/bytes, bool, sizeof.
    Customization,
    RichComparison,
    Hashing,
    /// `__getattr__` & co., plus the `__slots__`/`__dict__`/`__weakref__` names.
    AttributeAccess,
    Descriptor,
    /// `__init_subclass__`, `__class_getitem__`, metaclass hooks.
    ClassCreation,
    Callable,
    Container,
    Iteration,
    /// Binary arithmetic/bitwise operators: forward, reflected and in-place.
    Numeric,
    Unary,
    Conversion,
    ContextManager,
    Async,
    CopyPickle,
    PatternMatching,
    Buffer,
    Path,
    Dataclass,
    NumPy,
}

impl Protocol {
    /// Human title used in hover headings and generated docs.
    pub fn title(self) -> &'static str {
        match self {
            Protocol::Customization => "basic customization",
            Protocol::RichComparison => "rich comparison",
            Protocol::Hashing => "hashing",
            Protocol::AttributeAccess => "attribute access",
            Protocol::Descriptor => "descriptor",
            Protocol::ClassCreation => "class creation",
            Protocol::Callable => "callable",
            Protocol::Container => "container",
            Protocol::Iteration => "iteration",
            Protocol::Numeric => "binary operator",
            Protocol::Unary => "unary operator",
            Protocol::Conversion => "numeric conversion",
            Protocol::ContextManager => "context manager",
            Protocol::Async => "async",
            Protocol::CopyPickle => "copy / pickle",
            Protocol::PatternMatching => "pattern matching",
            Protocol::Buffer => "buffer",
            Protocol::Path => "path-like",
            Protocol::Dataclass => "dataclasses",
            Protocol::NumPy => "NumPy interop",
        }
    }
}

/// How Python binds the method when it calls it implicitly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// Looked up on the type and called with the instance first.
    Instance,
    /// Implicitly a static method receiving the class explicitly (`__new__`).
    /// `@classmethod` on it is an error (DUN604).
    ImplicitStatic,
    /// Implicitly a class method (`__init_subclass__`, `__class_getitem__`):
    /// `@classmethod` is redundant, `@staticmethod` breaks it (DUN604).
    ImplicitClass,
    /// Called on the class but *not* converted implicitly: define it with
    /// `@classmethod` (`__prepare__` on a metaclass, `__subclasshook__`).
    /// The arity counts `cls`.
    ConventionalClass,
    /// A class attribute, not a method (`__slots__`, `__match_args__`, ...).
    Attribute,
}

/// What the method must return for Python to accept the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Returns {
    /// No constraint Python enforces.
    Any,
    /// Must return None: anything else is a `TypeError` (`__init__`).
    None,
    /// The return value is discarded (`__set__`, `__setitem__`, `__del__`,
    /// `__init_subclass__`, ...): returning something is pointless but
    /// harmless.
    Ignored,
    /// Exactly `bool` (`__bool__`): an int is a `TypeError`.
    Bool,
    Int,
    /// An int that is >= 0 (`__len__`, `__length_hint__`, `__sizeof__`).
    NonNegativeInt,
    Str,
    Bytes,
    StrOrBytes,
    /// A string or a tuple (`__reduce__`, `__reduce_ex__`).
    StrOrTuple,
    Float,
    Complex,
    Tuple,
    /// A tuple `(args_tuple, kwargs_dict)` (`__getnewargs_ex__`).
    ArgsKwargsTuple,
    /// An iterator (`__iter__`, `__await__`).
    Iterator,
    /// An asynchronous iterator, i.e. an object with `__anext__` (`__aiter__`).
    AsyncIterator,
    /// Any iterable (`__dir__`).
    Iterable,
    /// A mapping (`__prepare__`).
    Mapping,
    /// A `memoryview` (`__buffer__`).
    MemoryView,
    /// An awaitable (`__aenter__`, `__aexit__`, `__anext__`).
    Awaitable,
    /// A result, or `NotImplemented` to let Python try the other operand.
    /// Never None (DUN501/DUN507).
    ValueOrNotImplemented,
}

impl Returns {
    /// One phrase for hovers: what the method must return.
    pub fn describe(self) -> &'static str {
        match self {
            Returns::Any => "any value",
            Returns::None => "None (anything else raises TypeError)",
            Returns::Ignored => "nothing useful: the return value is discarded",
            Returns::Bool => "a bool (an int is not accepted)",
            Returns::Int => "an int",
            Returns::NonNegativeInt => "an int >= 0",
            Returns::Str => "a str",
            Returns::Bytes => "a bytes object",
            Returns::StrOrBytes => "a str or bytes",
            Returns::StrOrTuple => "a str or a tuple",
            Returns::Float => "a float",
            Returns::Complex => "a complex",
            Returns::Tuple => "a tuple",
            Returns::ArgsKwargsTuple => "a tuple (args: tuple, kwargs: dict)",
            Returns::Iterator => "an iterator (an object with __next__)",
            Returns::AsyncIterator => "an asynchronous iterator (an object with __anext__)",
            Returns::Iterable => "an iterable",
            Returns::Mapping => "a mapping",
            Returns::MemoryView => "a memoryview",
            Returns::Awaitable => "an awaitable (define it with async def)",
            Returns::ValueOrNotImplemented => {
                "the result, or NotImplemented for operands it does not handle (never None)"
            }
        }
    }
}

/// Positional arity as Python calls the method, counting `self`/`cls`.
///
/// `min..=max` is the set of positional argument counts Python itself passes
/// (`round(x)` calls `__round__` with 1, `round(x, 2)` with 2). `max ==
/// Arity::VARIADIC` means "any number" (`__call__`, `__init__`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arity {
    pub min: u8,
    pub max: u8,
}

impl Arity {
    /// Marker for "any number of positional arguments".
    pub const VARIADIC: u8 = 255;

    pub fn is_variadic(self) -> bool {
        self.max == Self::VARIADIC
    }

    /// Does a definition that requires `required` positional parameters and
    /// accepts at most `accepted` (None = has `*args`) work for *some* call
    /// Python makes? False means every implicit call raises TypeError: this
    /// is the DUN002 test (lenient: `def __round__(self)` passes).
    pub fn admits(self, required: u8, accepted: Option<u8>) -> bool {
        if self.is_variadic() {
            return accepted.is_none_or(|a| a >= self.min);
        }
        let hi = accepted.unwrap_or(u8::MAX);
        required <= self.max && hi >= self.min && required <= hi
    }

    /// Does the definition accept *every* call Python makes?
    pub fn fits_all(self, required: u8, accepted: Option<u8>) -> bool {
        if self.is_variadic() {
            return accepted.is_none() && required <= self.min;
        }
        required <= self.min && accepted.is_none_or(|a| a >= self.max)
    }
}

/// One special method or special class attribute.
#[derive(Debug, Clone, Copy)]
pub struct SpecialMethod {
    pub name: &'static str,
    pub protocol: Protocol,
    pub binding: Binding,
    /// The positional arities Python may call it with (including self/cls).
    pub arity: Arity,
    pub returns: Returns,
    /// The operator or builtin that triggers it, e.g. `a + b`, `len(x)`.
    pub trigger: &'static str,
    /// The reflected twin (`__add__` -> `__radd__`).
    pub reflected: Option<&'static str>,
    /// The in-place twin (`__add__` -> `__iadd__`).
    pub inplace: Option<&'static str>,
    /// For a reflected or in-place method, its forward method.
    pub forward: Option<&'static str>,
    /// `a op b == b op a` for the builtin numbers (add, mul, and, or, xor).
    pub commutative: bool,
    /// Must be defined with `async def` (or return an awaitable).
    pub must_be_async: bool,
    /// Looked up on the metaclass: defining it in an ordinary class body
    /// affects only the *instances* of that class, which are not classes
    /// (`__instancecheck__`, `__subclasscheck__`, `__prepare__`).
    pub on_metaclass: bool,
    /// Fragment in https://docs.python.org/3/reference/datamodel.html, or a
    /// full URL (starting with `http`) for methods documented elsewhere.
    pub anchor: &'static str,
    /// First Python version where Python calls it, if newer than 3.8.
    pub since: Option<(u8, u8)>,
    /// The canonical definition, e.g. `__eq__(self, other: object) -> bool`.
    pub canonical_signature: &'static str,
    /// One sentence: when Python calls it.
    pub summary: &'static str,
}

/// The Python language reference page the anchors point into.
pub const DATAMODEL_URL: &str = "https://docs.python.org/3/reference/datamodel.html";

impl SpecialMethod {
    /// The canonical signature text, e.g. `__eq__(self, other: object) -> bool`.
    pub fn signature(&self) -> &'static str {
        self.canonical_signature
    }

    pub fn docs_url(&self) -> String {
        if self.anchor.starts_with("http") {
            self.anchor.to_string()
        } else {
            format!("{DATAMODEL_URL}#{}", self.anchor)
        }
    }

    /// A binary numeric operator: forward (`__add__`, `__divmod__`, `__pow__`),
    /// reflected (`__radd__`) or in-place (`__iadd__`). Rich comparisons and
    /// unary operators are not.
    pub fn is_binary_operator(&self) -> bool {
        self.protocol == Protocol::Numeric
    }

    pub fn is_reflected(&self) -> bool {
        self.forward.is_some() && self.name.starts_with("__r")
    }

    pub fn is_inplace(&self) -> bool {
        self.forward.is_some() && self.name.starts_with("__i")
    }

    /// A forward binary operator (`__add__`, not `__radd__`/`__iadd__`).
    pub fn is_forward_operator(&self) -> bool {
        self.is_binary_operator() && self.forward.is_none()
    }

    /// `return NotImplemented` is part of the contract: operators, rich
    /// comparisons, NumPy overrides, and the two hooks whose callers accept
    /// it (`__length_hint__`, `__subclasshook__`).
    pub fn may_return_not_implemented(&self) -> bool {
        self.returns == Returns::ValueOrNotImplemented
            || matches!(self.name, "__length_hint__" | "__subclasshook__")
    }

    pub fn is_attribute(&self) -> bool {
        self.binding == Binding::Attribute
    }

    /// The knowledge-base Markdown for this method.
    pub fn knowledge(&self) -> &'static str {
        knowledge::knowledge(self.name).unwrap_or(self.summary)
    }
}

/// True for `__x__` names: two leading and two trailing underscores around
/// at least one other character.
pub fn is_dunder_name(name: &str) -> bool {
    name.len() > 4
        && name.starts_with("__")
        && name.ends_with("__")
        && !name[2..name.len() - 2].starts_with('_')
        && !name[2..name.len() - 2].ends_with('_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arity_admits_is_lenient_and_fits_all_is_strict() {
        let round = Arity { min: 1, max: 2 };
        assert!(round.admits(1, Some(1))); // def __round__(self)
        assert!(!round.fits_all(1, Some(1)));
        assert!(round.fits_all(1, Some(2))); // def __round__(self, n=None)
        assert!(!round.admits(3, Some(3)));
        let get = Arity { min: 3, max: 3 };
        assert!(!get.admits(2, Some(2))); // def __get__(self, instance)
        assert!(get.admits(2, Some(3))); // def __get__(self, instance, owner=None)
        assert!(get.admits(1, None)); // def __get__(self, *args)
        let call = Arity {
            min: 1,
            max: Arity::VARIADIC,
        };
        assert!(call.admits(1, Some(1)));
        assert!(call.admits(3, Some(3)));
        assert!(!call.admits(0, Some(0))); // def __call__()
        assert!(call.fits_all(1, None));
    }

    #[test]
    fn not_implemented_is_allowed_where_python_handles_it() {
        for name in [
            "__add__",
            "__ior__",
            "__eq__",
            "__length_hint__",
            "__array_ufunc__",
        ] {
            assert!(lookup(name).unwrap().may_return_not_implemented(), "{name}");
        }
        for name in ["__len__", "__hash__", "__repr__", "__bool__", "__init__"] {
            assert!(
                !lookup(name).unwrap().may_return_not_implemented(),
                "{name}"
            );
        }
    }

    #[test]
    fn dunder_names() {
        assert!(is_dunder_name("__eq__"));
        assert!(!is_dunder_name("__eq_"));
        assert!(!is_dunder_name("___eq__"));
        assert!(!is_dunder_name("____"));
    }
}
