//! Context managers, async, buffers, pattern matching, copy/pickle, paths,
//! dataclasses and NumPy interop.

use crate::SpecialMethod;

/// `doc!(PICKLE, "__reduce__")` -> the full URL as a `&'static str`.
macro_rules! doc {
    (PICKLE, $name:literal) => {
        concat!(
            "https://docs.python.org/3/library/pickle.html#object.",
            $name
        )
    };
    (COPY, $name:literal) => {
        concat!("https://docs.python.org/3/library/copy.html#object.", $name)
    };
    (NUMPY, $name:literal) => {
        concat!(
            "https://numpy.org/doc/stable/reference/arrays.classes.html#numpy.class.",
            $name
        )
    };
}

#[rustfmt::skip]
pub(super) static METHODS: &[SpecialMethod] = &[
    // --- context managers --------------------------------------------------------
    sm!("__enter__", ContextManager, 1..=1, Any, "(self)")
        .on("with x: / with x as name:").says("Enters the runtime context; its return value is bound to the `as` target."),
    sm!("__exit__", ContextManager, 4..=4, Any, "(self, exc_type, exc_value, traceback) -> bool | None")
        .on("leaving a with block, normally or by an exception").says("Leaves the context; a true return value suppresses the exception."),
    // --- async ---------------------------------------------------------------------
    sm!("__await__", Async, 1..=1, Iterator, "(self) -> Iterator")
        .on("await x").says("Makes the object awaitable; must return an iterator (typically a generator)."),
    sm!("__aiter__", Async, 1..=1, AsyncIterator, "(self) -> AsyncIterator")
        .on("async for").says("Returns an asynchronous iterator; a plain `def` (or an async generator), not a coroutine."),
    sm!("__anext__", Async, 1..=1, Awaitable, "(self) -> Awaitable").asynchronous()
        .on("each step of async for, anext(it)").says("Returns an awaitable producing the next value; raise StopAsyncIteration at the end."),
    sm!("__aenter__", Async, 1..=1, Awaitable, "(self) -> Awaitable").asynchronous()
        .on("async with x:").says("Asynchronous `__enter__`: must return an awaitable, so define it with `async def`."),
    sm!("__aexit__", Async, 4..=4, Awaitable, "(self, exc_type, exc_value, traceback) -> Awaitable[bool | None]").asynchronous()
        .on("leaving an async with block").says("Asynchronous `__exit__`: must return an awaitable, so define it with `async def`."),
    // --- buffers and pattern matching ---------------------------------------------
    sm!("__buffer__", Buffer, 2..=2, MemoryView, "(self, flags: int) -> memoryview").since_py(3, 12)
        .on("memoryview(x), bytes(x) and other buffer consumers (3.12+)").says("Exposes a buffer from Python code (PEP 688); must return a memoryview."),
    sm!("__release_buffer__", Buffer, 2..=2, Ignored, "(self, buffer: memoryview) -> None").since_py(3, 12)
        .on("release of a memoryview obtained from __buffer__ (3.12+)").says("Releases resources tied to a buffer returned by `__buffer__`."),
    attr!("__match_args__", PatternMatching, "__match_args__ = ('field', ...)").since_py(3, 10)
        .on("case C(a, b): positional sub-patterns").says("Tuple of attribute names that positional sub-patterns in `case C(...)` map to."),
    // --- copy and pickle ----------------------------------------------------------
    sm!("__copy__", CopyPickle, 1..=1, Any, "(self)").at(doc!(COPY, "__copy__"))
        .on("copy.copy(x)").says("Shallow copy for `copy.copy()`."),
    sm!("__deepcopy__", CopyPickle, 2..=2, Any, "(self, memo: dict)").at(doc!(COPY, "__deepcopy__"))
        .on("copy.deepcopy(x)").says("Deep copy for `copy.deepcopy()`; pass `memo` on to nested deepcopy calls."),
    sm!("__replace__", CopyPickle, 1..=1, Any, "(self, /, **changes)").at(doc!(COPY, "__replace__")).since_py(3, 13)
        .on("copy.replace(x, **changes) (3.13+)").says("Returns a modified copy for `copy.replace()`."),
    sm!("__reduce__", CopyPickle, 1..=1, StrOrTuple, "(self) -> str | tuple").at(doc!(PICKLE, "__reduce__"))
        .on("pickle.dumps(x), copy.copy(x), copy.deepcopy(x)").says("Tells pickle (and copy) how to rebuild the object: a tuple `(callable, args, ...)` or a global name."),
    sm!("__reduce_ex__", CopyPickle, 2..=2, StrOrTuple, "(self, protocol: int) -> str | tuple").at(doc!(PICKLE, "__reduce_ex__"))
        .on("pickle.dumps(x), copy.copy(x), copy.deepcopy(x)").says("Protocol-aware `__reduce__`; takes precedence over it."),
    sm!("__getstate__", CopyPickle, 1..=1, Any, "(self) -> object").at(doc!(PICKLE, "__getstate__"))
        .on("pickle.dumps(x), copy.copy(x)").says("The state to pickle/copy instead of the instance `__dict__`."),
    sm!("__setstate__", CopyPickle, 2..=2, Ignored, "(self, state) -> None").at(doc!(PICKLE, "__setstate__"))
        .on("pickle.loads(...), copy.copy(x)").says("Restores the state from `__getstate__`; `__init__` is not called on unpickling."),
    sm!("__getnewargs__", CopyPickle, 1..=1, Tuple, "(self) -> tuple").at(doc!(PICKLE, "__getnewargs__"))
        .on("pickle.dumps(x) with protocol >= 2").says("Positional arguments for `__new__` when unpickling."),
    sm!("__getnewargs_ex__", CopyPickle, 1..=1, ArgsKwargsTuple, "(self) -> tuple[tuple, dict]").at(doc!(PICKLE, "__getnewargs_ex__"))
        .on("pickle.dumps(x) with protocol >= 2").says("Positional and keyword arguments for `__new__` when unpickling."),
    // --- paths and dataclasses --------------------------------------------------------
    sm!("__fspath__", Path, 1..=1, StrOrBytes, "(self) -> str | bytes").at("https://docs.python.org/3/library/os.html#os.PathLike.__fspath__")
        .on("os.fspath(x), open(x), os and os.path functions").says("The file-system path of the object (os.PathLike)."),
    sm!("__post_init__", Dataclass, 1..=N, Ignored, "(self, *initvars) -> None").at("https://docs.python.org/3/library/dataclasses.html#post-init-processing")
        .on("the __init__ that @dataclass generates, after the fields are set").says("Dataclass hook run at the end of the generated `__init__`; receives the InitVar fields in order."),
    // --- NumPy --------------------------------------------------------------------------
    sm!("__array__", NumPy, 1..=2, Any, "(self, dtype=None, copy=None) -> numpy.ndarray").at(doc!(NUMPY, "__array__"))
        .on("np.asarray(x), np.array(x)").says("Converts the object to an ndarray; NumPy 2 passes `copy=` as a keyword."),
    sm!("__array_ufunc__", NumPy, 3..=N, ValueOrNotImplemented, "(self, ufunc, method: str, *inputs, **kwargs)").at(doc!(NUMPY, "__array_ufunc__"))
        .on("np.add(...) and any ufunc with x as an operand; arr + x").says("Overrides NumPy ufuncs for this type; `__array_ufunc__ = None` makes ndarray operators defer to your reflected methods."),
    sm!("__array_function__", NumPy, 5..=5, ValueOrNotImplemented, "(self, func, types, args, kwargs)").at(doc!(NUMPY, "__array_function__"))
        .on("NumPy API functions (np.concatenate, np.mean, ...) with x as an argument").says("Overrides NumPy's public functions for this type (NEP 18)."),
    attr!("__array_priority__", NumPy, "__array_priority__: float").at(doc!(NUMPY, "__array_priority__"))
        .on("ndarray binary operators; result type of mixed ndarray subclasses").says("A value above ndarray's 0.0 makes ndarray operators return NotImplemented, so Python calls your reflected method."),
    sm!("__array_wrap__", NumPy, 2..=4, Any, "(self, array, context=None, return_scalar=False)").at(doc!(NUMPY, "__array_wrap__"))
        .on("end of a ufunc, on the input with the highest priority").says("Wraps a ufunc's output array (ndarray subclasses and array-likes)."),
    sm!("__array_finalize__", NumPy, 2..=2, Ignored, "(self, obj) -> None").at(doc!(NUMPY, "__array_finalize__"))
        .on("every new instance of an ndarray subclass (views, slices, ufunc outputs)").says("Initializes ndarray-subclass instances created by views and slicing, where `__new__` does not run."),
    attr!("__array_interface__", NumPy, "__array_interface__: dict").at("https://numpy.org/doc/stable/reference/arrays.interface.html#object.__array_interface__")
        .on("np.asarray(x) (array interface protocol)").says("A dict describing the object's memory (shape, typestr, data) so NumPy can view it without copying."),
];
