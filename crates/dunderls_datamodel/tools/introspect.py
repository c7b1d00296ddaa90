"""Report what the running CPython says about the data model, as JSON.

Used by crates/dunderls_datamodel/tests/introspection.rs, which sends the
crate's tables on stdin and compares them with this output. Reads:

    {"methods": [{"name": ..., "url": ...}, ...],
     "abcs": [...], "builtins": ["builtins.dict", ...]}

and prints {"version": [3, 11], "signatures": {...}, "abcs": {...},
"typing_aliases": {...}, "builtins": {...}, "anchors": {...}}.

Only the standard library is used. Documentation anchors are checked against
the HTML documentation when a copy is installed (Debian: python3.X-doc, or
$DUNDERLS_PYTHON_DOCS pointing at an html/ directory); otherwise the report
says so and falls back to the language reference text in pydoc_data.
"""

import collections
import collections.abc
import contextlib
import decimal
import enum
import functools
import inspect
import json
import os
import pathlib
import random
import re
import sys
import types
import typing
import unittest.mock
import weakref

# Objects whose implementations of special methods have introspectable
# signatures, in the order they are consulted.
OWNERS = [
    object, int, float, complex, list, dict, set, frozenset, str, bytes, tuple,
    type, property, types.FunctionType, memoryview, types.CoroutineType,
    types.AsyncGeneratorType, type(iter([])), collections.Counter,
    collections.UserDict, collections.abc.Sized, contextlib.AbstractContextManager,
    contextlib.AbstractAsyncContextManager, os.PathLike, pathlib.PurePath,
    functools.cached_property, decimal.Decimal, typing.Generic,
    type(typing.List[int]), enum.EnumMeta, unittest.mock.NonCallableMock,
    weakref.WeakKeyDictionary, random.Random,
]

ABC_SKIP = {
    "__module__", "__doc__", "__slots__", "__abstractmethods__", "_abc_impl",
    "__subclasshook__", "__class_getitem__", "__dict__", "__weakref__",
    "__init_subclass__", "__qualname__", "__annotations__", "__parameters__",
    "__orig_bases__", "__protocol_attrs__", "__static_attributes__",
    "__firstlineno__", "__type_params__",
}


def static_lookup(owner, name):
    """The attribute as stored in the owner's MRO (no binding, and no
    fallback to the metaclass: object.__or__ must not find type.__or__)."""
    for klass in owner.__mro__:
        if name in vars(klass):
            return vars(klass)[name]
    return None


def positional_counts(owner, name):
    """[required, max or None, has_var_positional] of owner.name, counting
    self/cls; None when there is no usable signature."""
    attr = static_lookup(owner, name)
    if attr is None:
        return None
    bound = 0
    if isinstance(attr, (classmethod, staticmethod)):
        attr = attr.__func__
    elif type(attr).__name__ == "classmethod_descriptor":
        attr, bound = getattr(owner, name), 1    # signature() shows it bound
    try:
        sig = inspect.signature(attr)
    except (TypeError, ValueError):
        return None
    required = bound
    maximum = bound
    variadic = False
    for p in sig.parameters.values():
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            maximum += 1
            if p.default is p.empty:
                required += 1
        elif p.kind is p.VAR_POSITIONAL:
            variadic = True
    return [required, None if variadic else maximum, variadic]


def signatures(names):
    out = {}
    for name in names:
        for owner in OWNERS:
            counts = positional_counts(owner, name)
            if counts is not None:
                out[name] = {"owner": getattr(owner, "__qualname__", repr(owner)),
                             "required": counts[0], "max": counts[1],
                             "variadic": counts[2]}
                break
    return out


def abc_facts(cls):
    abstract = set(cls.__abstractmethods__)
    names = {}
    for klass in reversed(cls.__mro__[:-1]):
        names.update(vars(klass))
    public = {k: v for k, v in names.items()
              if k not in ABC_SKIP and not (k.startswith("_") and not k.startswith("__"))}
    return {
        "module": cls.__module__.replace("_collections_abc", "collections.abc"),
        "abstract": sorted(abstract),
        "mixins": sorted(k for k, v in public.items() if k not in abstract and v is not None),
        "blocked": sorted(k for k, v in public.items() if v is None),
        "bases": [b.__name__ for b in cls.__bases__ if b not in (object, __import__("abc").ABC)],
    }


def abcs():
    found = {name: getattr(collections.abc, name) for name in collections.abc.__all__}
    found["AbstractContextManager"] = contextlib.AbstractContextManager
    found["AbstractAsyncContextManager"] = contextlib.AbstractAsyncContextManager
    found["PathLike"] = os.PathLike
    return {name: abc_facts(cls) for name, cls in found.items()}


def typing_aliases():
    out = {}
    for name in dir(typing):
        origin = getattr(getattr(typing, name), "__origin__", None)
        if isinstance(origin, type) and origin.__module__ in ("collections.abc", "contextlib", "os"):
            if origin.__module__ == "contextlib" or origin.__name__ in collections.abc.__all__ \
                    or origin is os.PathLike:
                out[name] = origin.__name__
    return out


def most_specific_abcs(cls):
    hits = [getattr(collections.abc, n) for n in collections.abc.__all__
            if issubclass(cls, getattr(collections.abc, n))]
    return sorted(x.__name__ for x in hits
                  if not any(y is not x and issubclass(y, x) for y in hits))


def builtin_facts(qualified, table_names):
    module, name = qualified.rsplit(".", 1)
    cls = getattr(__import__(module), name)
    args = ("",) if cls is collections.UserString else ()
    inst = cls(*args)
    sub_cls = type("Sub", (cls,), {})
    sub = sub_cls(*args)

    def weakrefable(obj):
        try:
            weakref.ref(obj)
            return True
        except TypeError:
            return False

    try:
        type("Slotted", (cls,), {"__slots__": ("a",)})
        nonempty_slots = True
    except TypeError:
        nonempty_slots = False
    try:
        missing_cls = type("M", (cls,), {"__missing__": lambda self, key: "MISSING"})
        consults_missing = missing_cls(*args)["__no_such_key__"] == "MISSING"
    except Exception:
        consults_missing = False
    provided = {}
    for klass in reversed(cls.__mro__[:-1]):
        provided.update(vars(klass))
    return {
        "hashable": cls.__hash__ is not None,
        "instances_have_dict": hasattr(inst, "__dict__"),
        "instances_weakrefable": weakrefable(inst),
        "subclass_weakrefable": weakrefable(sub),
        "nonempty_slots_allowed": nonempty_slots,
        "consults_missing": consults_missing,
        "is_exception": issubclass(cls, BaseException),
        "abcs": most_specific_abcs(cls),
        "methods": sorted(n for n in table_names
                          if n in provided and provided[n] is not None
                          and n not in ("__dict__", "__slots__", "__weakref__")),
    }


def docs_dir():
    env = os.environ.get("DUNDERLS_PYTHON_DOCS")
    if env == "none":  # force the pydoc_data fallback
        return None
    candidates = [env] if env else []
    candidates.append(f"/usr/share/doc/python{sys.version_info[0]}.{sys.version_info[1]}/html")
    candidates.append("/usr/share/doc/python3-doc/html")
    for c in candidates:
        if c and os.path.isdir(c):
            return c
    return None


def anchors(methods):
    root = docs_dir()
    ids_cache = {}
    try:
        import pydoc_data.topics as topics
        reference_text = "\n".join(topics.topics.values())
    except ImportError:
        reference_text = ""
    out = {"docs_dir": root, "checks": {}}
    for m in methods:
        url = m["url"]
        page, _, anchor = url.partition("#")
        entry = {"mentioned_in_reference": m["name"] in reference_text}
        if root and page.startswith("https://docs.python.org/3/"):
            path = os.path.join(root, page[len("https://docs.python.org/3/"):])
            if path not in ids_cache:
                try:
                    with open(path, encoding="utf-8") as f:
                        ids_cache[path] = set(re.findall(r'id="([^"]+)"', f.read()))
                except OSError:
                    ids_cache[path] = None
            ids = ids_cache[path]
            entry["page_found"] = ids is not None
            entry["id_found"] = ids is not None and anchor in ids
        out["checks"][url] = entry
    return out


def main():
    request = json.load(sys.stdin)
    names = [m["name"] for m in request["methods"]]
    print(json.dumps({
        "version": list(sys.version_info[:2]),
        "signatures": signatures(names),
        "abcs": abcs(),
        "typing_aliases": typing_aliases(),
        "builtins": {q: builtin_facts(q, names) for q in request["builtins"]},
        "anchors": anchors(request["methods"]),
    }))


if __name__ == "__main__":
    main()
