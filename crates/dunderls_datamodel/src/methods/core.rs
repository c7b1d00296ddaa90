//! Basic customization, comparison, hashing, attribute access, descriptors,
//! class creation, callables, containers and iteration.

use crate::Binding::{ConventionalClass, ImplicitClass, ImplicitStatic};
use crate::SpecialMethod;

const DOC_SYS_GETSIZEOF: &str = "https://docs.python.org/3/library/sys.html#sys.getsizeof";
const DOC_SUBCLASSHOOK: &str =
    "https://docs.python.org/3/library/abc.html#abc.ABCMeta.__subclasshook__";
const DOC_NEXT: &str = "https://docs.python.org/3/library/stdtypes.html#iterator.__next__";

#[rustfmt::skip]
pub(super) static METHODS: &[SpecialMethod] = &[
    // --- basic customization -------------------------------------------------
    sm!("__new__", Customization, 1..=N, Any, "(cls, *args, **kwargs)").bound(ImplicitStatic)
        .on("C(...)").says("Creates the instance: called with the class and the constructor arguments; `__init__` runs only if it returns an instance of the class."),
    sm!("__init__", Customization, 1..=N, None, "(self, *args, **kwargs) -> None")
        .on("C(...)").says("Initializes the instance that `__new__` returned, with the constructor arguments; must return None."),
    sm!("__del__", Customization, 1..=1, Ignored, "(self) -> None")
        .on("the object is garbage-collected").says("Finalizer: called when the instance is about to be destroyed; not guaranteed to run at interpreter exit."),
    sm!("__repr__", Customization, 1..=1, Str, "(self) -> str")
        .on("repr(x), f\"{x!r}\", containers, the REPL, debuggers, tracebacks").says("The developer representation; also used by `str()` when `__str__` is missing."),
    sm!("__str__", Customization, 1..=1, Str, "(self) -> str")
        .on("str(x), print(x), f\"{x}\" (through object.__format__)").says("The informal string form; falls back to `__repr__` when not defined."),
    sm!("__bytes__", Customization, 1..=1, Bytes, "(self) -> bytes")
        .on("bytes(x)").says("The bytes form of the object for `bytes(x)`."),
    sm!("__format__", Customization, 2..=2, Str, "(self, format_spec: str) -> str")
        .on("format(x, spec), f\"{x:spec}\", str.format()").says("Formats the object for a format spec; `format(x)` and `f\"{x}\"` pass the empty spec."),
    sm!("__bool__", Customization, 1..=1, Bool, "(self) -> bool")
        .on("bool(x), if x:, while x:, not x, and/or").says("Truth value; when missing, `__len__` decides, and without both every instance is true."),
    sm!("__sizeof__", Customization, 1..=1, NonNegativeInt, "(self) -> int").at(DOC_SYS_GETSIZEOF)
        .on("sys.getsizeof(x)").says("Size of the object in bytes, not counting referenced objects; sys.getsizeof adds the GC header."),
    // --- rich comparison and hashing ----------------------------------------
    sm!("__lt__", RichComparison, 2..=2, ValueOrNotImplemented, "(self, other: object) -> bool")
        .on("a < b").twins("__gt__", None).says("`a < b`; if it returns NotImplemented Python tries `b > a`."),
    sm!("__le__", RichComparison, 2..=2, ValueOrNotImplemented, "(self, other: object) -> bool")
        .on("a <= b").twins("__ge__", None).says("`a <= b`; if it returns NotImplemented Python tries `b >= a`."),
    sm!("__eq__", RichComparison, 2..=2, ValueOrNotImplemented, "(self, other: object) -> bool")
        .on("a == b, x in list, list.index, dict/set lookups").twins("__eq__", None).says("Equality; return NotImplemented for foreign types so `b == a` is tried. Defining it sets `__hash__` to None."),
    sm!("__ne__", RichComparison, 2..=2, ValueOrNotImplemented, "(self, other: object) -> bool")
        .on("a != b").twins("__ne__", None).says("Inequality; by default it inverts `__eq__`, so it rarely needs defining."),
    sm!("__gt__", RichComparison, 2..=2, ValueOrNotImplemented, "(self, other: object) -> bool")
        .on("a > b").twins("__lt__", None).says("`a > b`; if it returns NotImplemented Python tries `b < a`."),
    sm!("__ge__", RichComparison, 2..=2, ValueOrNotImplemented, "(self, other: object) -> bool")
        .on("a >= b").twins("__le__", None).says("`a >= b`; if it returns NotImplemented Python tries `b <= a`."),
    sm!("__hash__", Hashing, 1..=1, Int, "(self) -> int")
        .on("hash(x), dict keys, set members, functools.lru_cache arguments").says("Hash value: equal objects must hash equal; `__hash__ = None` makes instances unhashable."),
    // --- attribute access ------------------------------------------------------
    sm!("__getattr__", AttributeAccess, 2..=2, Any, "(self, name: str)")
        .on("x.name when normal lookup raises AttributeError; getattr(x, name)").says("Fallback for attribute reads that normal lookup could not satisfy; raise AttributeError for unknown names."),
    sm!("__getattribute__", AttributeAccess, 2..=2, Any, "(self, name: str)")
        .on("every x.name read").says("Runs for every attribute read, hits included; delegate to `super().__getattribute__(name)`."),
    sm!("__setattr__", AttributeAccess, 3..=3, Ignored, "(self, name: str, value) -> None")
        .on("x.name = value, setattr(x, name, value)").says("Runs for every attribute assignment; store through `super().__setattr__`."),
    sm!("__delattr__", AttributeAccess, 2..=2, Ignored, "(self, name: str) -> None")
        .on("del x.name, delattr(x, name)").says("Runs for every attribute deletion; delete through `super().__delattr__`."),
    sm!("__dir__", AttributeAccess, 1..=1, Iterable, "(self) -> Iterable[str]")
        .on("dir(x)").says("The names `dir()` lists (it sorts them); a module-level `__dir__()` customizes `dir(module)`."),
    attr!("__slots__", AttributeAccess, "__slots__ = ('name', ...)")
        .on("class creation").says("Declares fixed instance attributes; instances get no `__dict__`/`__weakref__` unless listed or inherited."),
    attr!("__dict__", AttributeAccess, "__dict__: dict[str, object]")
        .on("instance attribute storage; vars(x)").says("The per-instance attribute dictionary; the string `'__dict__'` in `__slots__` restores it."),
    attr!("__weakref__", AttributeAccess, "__weakref__").at("slots")
        .on("weakref.ref(x), WeakKeyDictionary, WeakSet").says("The weak-reference slot; the string `'__weakref__'` in `__slots__` restores weak-reference support."),
    // --- descriptors -----------------------------------------------------------
    sm!("__get__", Descriptor, 3..=3, Any, "(self, instance, owner=None)")
        .on("obj.attr / Owner.attr where the class attribute is this descriptor").says("Descriptor read; Python passes `(instance, type(instance))`, or `(None, Owner)` for class access."),
    sm!("__set__", Descriptor, 3..=3, Ignored, "(self, instance, value) -> None")
        .on("obj.attr = value").says("Descriptor write; defining it (or `__delete__`) makes a data descriptor, which wins over the instance `__dict__`."),
    sm!("__delete__", Descriptor, 2..=2, Ignored, "(self, instance) -> None")
        .on("del obj.attr").says("Descriptor deletion; also makes the descriptor a data descriptor."),
    sm!("__set_name__", Descriptor, 3..=3, Ignored, "(self, owner: type, name: str) -> None")
        .on("class creation (type.__new__), for each class attribute that defines it").says("Tells a class attribute the class and the name it was assigned to."),
    // --- class creation ----------------------------------------------------------
    sm!("__init_subclass__", ClassCreation, 1..=1, Ignored, "(cls, **kwargs) -> None").bound(ImplicitClass)
        .on("class Sub(Base, **kwargs): (called on Base, inside type.__new__)").says("Called on the parent when a subclass is created, with the class keywords; implicitly a classmethod."),
    sm!("__class_getitem__", ClassCreation, 2..=2, Any, "(cls, item)").bound(ImplicitClass)
        .on("C[item] where C is a class").says("Parameterizes a class (`C[int]`), normally returning a `types.GenericAlias`; implicitly a classmethod."),
    sm!("__mro_entries__", ClassCreation, 2..=2, Tuple, "(self, bases: tuple) -> tuple")
        .on("class C(obj): where obj is not a class").says("Replaces a non-class base in a class statement with the classes it returns."),
    sm!("__prepare__", ClassCreation, 3..=3, Mapping, "(metacls, name: str, bases: tuple, **kwds) -> Mapping[str, object]").bound(ConventionalClass).metaclass().at("prepare")
        .on("class C(metaclass=M): (before the body runs)").says("Metaclass hook that creates the namespace the class body executes in; define it with @classmethod."),
    sm!("__instancecheck__", ClassCreation, 2..=2, Any, "(self, instance) -> bool").metaclass().at("type.__instancecheck__")
        .on("isinstance(obj, C), defined on type(C)").says("Customizes `isinstance()`; looked up on the metaclass, so it has no effect in an ordinary class body."),
    sm!("__subclasscheck__", ClassCreation, 2..=2, Any, "(self, subclass) -> bool").metaclass().at("type.__subclasscheck__")
        .on("issubclass(S, C), defined on type(C)").says("Customizes `issubclass()`; looked up on the metaclass, so it has no effect in an ordinary class body."),
    sm!("__subclasshook__", ClassCreation, 2..=2, Any, "(cls, subclass) -> bool").bound(ConventionalClass).at(DOC_SUBCLASSHOOK)
        .on("issubclass()/isinstance() against an ABC (abc.ABCMeta)").says("ABC hook deciding structural subclassing: True, False, or NotImplemented to use the normal rules; define it with @classmethod."),
    // --- callables ---------------------------------------------------------------
    sm!("__call__", Callable, 1..=N, Any, "(self, *args, **kwargs)")
        .on("x(...)").says("Makes instances callable."),
    // --- containers --------------------------------------------------------------
    sm!("__len__", Container, 1..=1, NonNegativeInt, "(self) -> int")
        .on("len(x); truthiness when __bool__ is missing").says("Number of items; also decides truthiness when `__bool__` is missing (an empty container is falsy)."),
    sm!("__length_hint__", Container, 1..=1, NonNegativeInt, "(self) -> int")
        .on("operator.length_hint(x) (list(x) preallocation)").says("An estimate of the length, used only for preallocation; may return NotImplemented."),
    sm!("__getitem__", Container, 2..=2, Any, "(self, key)")
        .on("x[key]; iteration and `in` when __iter__/__contains__ are missing").says("Subscription; also drives the legacy iteration protocol (0, 1, 2, ... until IndexError)."),
    sm!("__setitem__", Container, 3..=3, Ignored, "(self, key, value) -> None")
        .on("x[key] = value").says("Item assignment."),
    sm!("__delitem__", Container, 2..=2, Ignored, "(self, key) -> None")
        .on("del x[key]").says("Item deletion."),
    sm!("__missing__", Container, 2..=2, Any, "(self, key)")
        .on("d[key] on a dict subclass when key is absent").says("Called by `dict.__getitem__` (and UserDict) for a missing key; other classes never call it."),
    sm!("__contains__", Container, 2..=2, Any, "(self, item) -> bool")
        .on("item in x, item not in x").says("Membership test; without it `in` iterates (`__iter__`, then the legacy `__getitem__` protocol)."),
    sm!("__reversed__", Container, 1..=1, Any, "(self) -> Iterator")
        .on("reversed(x)").says("Reverse iterator for `reversed()`; without it `reversed()` uses `__len__` and `__getitem__`."),
    // --- iteration ---------------------------------------------------------------
    sm!("__iter__", Iteration, 1..=1, Iterator, "(self) -> Iterator")
        .on("iter(x), for, unpacking, list(x), `in` without __contains__").says("Returns an iterator (an object with `__next__`); a generator method is the simplest correct implementation."),
    sm!("__next__", Iteration, 1..=1, Any, "(self)").at(DOC_NEXT)
        .on("next(it), each step of a for loop").says("Returns the next item or raises StopIteration when exhausted."),
];
