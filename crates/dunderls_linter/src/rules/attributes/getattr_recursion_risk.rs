use std::collections::HashSet;

use crate::rules::prelude::*;

use super::util::{self, Access, Reach, Target};

const DOCS: &str = r#"
## What it does
Flags a `__getattr__` that reads an instance attribute with plain attribute
syntax (`self._wrapped`), where that attribute is set by the class's
methods (typically `__init__`) and is not defined at class level.

It reports a read only when it runs both for the name `__setstate__` (the
attribute `copy` and `pickle` look up on the new instance) and for the
attribute's own name; a guard such as
`if name.startswith("_"): raise AttributeError(name)` placed before the
read, or a condition around it that excludes the name, makes the read
safe, and so does an earlier `self.__dict__["x"]` outside `try` (it raises
`KeyError` first). Classes that define `__setstate__`, `__reduce__` or
`__reduce_ex__` (themselves or in a resolvable base) are skipped: copying
and unpickling them does not probe the half-built instance. Reads that
cannot recurse are never reported: dunder names,
`self.__dict__`, `vars(self)`, `object.__getattribute__(self, ...)`,
`super().__getattribute__(...)`, and names that are class attributes,
methods, properties or slots of the class or of a base class the checker
can resolve. Attributes a `__new__` of the class assigns are always there
and are not reported.

## Why is this a problem
`copy.copy`, `copy.deepcopy` and `pickle.loads` build the new instance with
`cls.__new__(cls)`, without running `__init__`, then look up `__setstate__`
on it before restoring its `__dict__`. That lookup misses and calls
`__getattr__("__setstate__")`; the method reads `self._wrapped`, which is
not set yet, so Python calls `__getattr__("_wrapped")`, which reads
`self._wrapped` again, and so on: `RecursionError: maximum recursion depth
exceeded` (observed on CPython 3.11, 3.12 and 3.13). The same happens for
any read on an instance whose `__init__` failed or has not run yet.

Note that a slot does not protect either: reading an unset slot raises
`AttributeError` and calls `__getattr__` the same way. This rule trusts
slots and class-level names, so it does not report them.

## Scenario
The lazy-loading ORM wraps each row in a proxy whose `__getattr__`
forwards to `self._row` and loads relationships on demand. Everything works
until a background job pickles model instances into a task queue (or a test
calls `copy.copy(customer)`): unpickling dies with `RecursionError`, deep
in `__getattr__`, and the traceback shows the same line a thousand times.

## Example
```python
import copy

class Proxy:
    def __init__(self, wrapped):
        self._wrapped = wrapped

    def __getattr__(self, name):
        return getattr(self._wrapped, name)

p = Proxy([3, 1, 2])
assert p.count(1) == 1
copy.copy(p)  # raises: RecursionError: maximum recursion depth exceeded
```

## Use instead
Read the instance's own state through `self.__dict__` (or
`object.__getattribute__`) so a missing value raises `AttributeError`
instead of calling `__getattr__` again, or refuse private names first:
```python
import copy

class Proxy:
    def __init__(self, wrapped):
        self._wrapped = wrapped

    def __getattr__(self, name):
        try:
            wrapped = self.__dict__["_wrapped"]
        except KeyError:
            raise AttributeError(name) from None
        return getattr(wrapped, name)

p = Proxy([3, 1, 2])
assert copy.copy(p).count(1) == 1
assert copy.deepcopy(p).count(3) == 1
```

## Fix
No automatic fix: the right spelling depends on whether the attribute may
legitimately be missing (`self.__dict__.get(...)`, a guard on private
names, or a class-level default).

## References
- [Data model: `object.__getattr__`](https://docs.python.org/3/reference/datamodel.html#object.__getattr__)
- [Pickling class instances](https://docs.python.org/3/library/pickle.html#pickling-class-instances), [`copy`](https://docs.python.org/3/library/copy.html)
- Related: DUN104 (`__getattribute__` reading `self`), DUN102.
- Peers: none known.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN103",
    name: "getattr-recursion-risk",
    group: Group::Attributes,
    severity: Severity::Warning,
    fix: FixAvailability::None,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for class in &cx.module.classes {
        let Some(getattr) = util::own_method(cx, class, "__getattr__") else {
            continue;
        };
        let (Some(receiver), Some(name)) = (
            util::instance_receiver(getattr),
            util::positional_param(getattr, 1),
        ) else {
            continue;
        };
        let reads: Vec<_> = util::receiver_attributes(cx.source, getattr, receiver)
            .into_iter()
            .filter(|(_, attr, access)| {
                matches!(access, Access::Read | Access::ReadWrite) && !util::is_dunder(attr)
            })
            .collect();
        if reads.is_empty() {
            continue;
        }
        let class_level = util::class_level_names(cx, class);
        // A class that controls its own copying and pickling never gets the
        // `__setstate__` probe on a half-built instance.
        if COPY_PROTOCOL.iter().any(|m| class_level.contains(*m)) {
            continue;
        }
        let instance: HashSet<String> = instance_attributes(cx, class);
        let from_new = util::assigned_in_new(cx, class);
        let mut reported = HashSet::new();
        for (node, attr, _) in reads {
            let runtime = util::mangle(class.name, attr);
            if class_level.contains(&runtime)
                || !instance.contains(&runtime)
                || from_new.contains(attr)
                || reported.contains(&runtime)
            {
                continue;
            }
            if raises_first(cx, getattr, receiver, node) {
                continue;
            }
            let probe = util::reach(
                cx.source,
                getattr,
                node,
                name,
                Target::Literal("__setstate__"),
            );
            let again = util::reach(cx.source, getattr, node, name, Target::Literal(&runtime));
            if probe != Reach::Runs || again != Reach::Runs {
                continue;
            }
            reported.insert(runtime.clone());
            cx.report(
                node,
                format!(
                    "`{}.__getattr__` reads `{}.{attr}`: on an instance built without `__init__` (copy.copy, pickle) it is missing, the read calls `__getattr__('{runtime}')` again and raises RecursionError",
                    class.name, receiver
                ),
            );
        }
    }
}

const COPY_PROTOCOL: &[&str] = &["__setstate__", "__reduce__", "__reduce_ex__"];

/// An earlier `self.__dict__["x"]` / `vars(self)["x"]` outside `try` raises
/// KeyError on a half-built instance before the read is reached.
fn raises_first(cx: &Checker, f: &Function, receiver: &str, read: Node) -> bool {
    f.scope.subscripts.iter().any(|s| {
        s.end_byte() <= read.start_byte()
            && !util::inside(
                *s,
                f.body,
                &[
                    "try_statement",
                    "lambda",
                    "if_statement",
                    "conditional_expression",
                ],
            )
            && s.child_by_field_name("value").is_some_and(|v| {
                let t = cx.text(v);
                t == format!("{receiver}.__dict__") || t == format!("vars({receiver})")
            })
    })
}

/// Instance attributes (mangled) the class or a same-file base assigns in
/// its methods.
fn instance_attributes(cx: &Checker, class: &Class) -> HashSet<String> {
    let mut out: HashSet<String> = util::instance_assignments(cx, class)
        .into_iter()
        .map(|(attr, _)| util::mangle(class.name, attr))
        .collect();
    for ancestor in cx.ancestry(class).user_classes() {
        if ancestor.module != cx.module_name {
            continue;
        }
        if let Some(base) = cx.module.class_named(&ancestor.name) {
            out.extend(
                util::instance_assignments(cx, base)
                    .into_iter()
                    .map(|(attr, _)| util::mangle(base.name, attr)),
            );
        }
    }
    out
}
