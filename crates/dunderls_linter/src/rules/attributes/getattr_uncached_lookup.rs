use crate::rules::prelude::*;

use super::util;

const DOCS: &str = r#"
## What it does
Flags a `__getattr__` that calls something expensive (a query, a load, a
fetch, I/O) and never stores anything on the instance, so every read of a
missing attribute does the work again.

How it decides, exactly:
1. A call in the body of `__getattr__` is *expensive* when the called name's
   last component, leading underscores removed, equals an entry of the
   `expensive-calls` setting of `[tool.dunderls]`
   (`self.session.query(...)`, `self._load(...)`), or when its dotted chain
   ends with a dotted entry (`session.query`). A configured list replaces
   the default one: `query`, `execute`, `executemany`,
   `fetch`, `fetchone`, `fetchall`, `fetchmany`, `load`, `load_relation`,
   `lazy_load`, `get_object`, `scalar`, `scalars`, `first`, `one`,
   `all`, `filter_by`, `request`, `urlopen`, `get`, `post`, `open`, `read`,
   `read_text`, `read_bytes`, `recv`, `connect`, `find_one`,
   `aggregate`.
2. A matching call is still not expensive when it is a bare call of a
   builtin that does no I/O (`all(...)`, `len(...)`), a method of the name
   string or of a string literal (`name.count(".")`), a mapping read
   (`get`, `pop`, `setdefault`) on anything but an imported module
   (`self._fields.get(name)`, a `ContextVar.get()`), unless its first
   argument is a class, as in SQLAlchemy's `session.get(User, key)`; or a
   call inside a `lambda`. So `requests.get(url)` counts and
   `self._cache.get(name)` does not. A call of a method of the same class
   (`self._load(name)`) counts only when that method is defined in the
   class and stores nothing on the instance; a method the class inherits
   cannot be inspected and does not count.
3. The rule stays silent when `__getattr__` stores anything beyond its
   locals: an assignment to an attribute or an item
   (`self.__dict__[name] = v`, `self._cache[name] = v`,
   `self._wrapped = load()`), a call of `setattr`, `__setattr__`
   (`object.__setattr__`, `super().__setattr__`), `setdefault`, `update` or
   `__setitem__`, or a `global`/`nonlocal` statement. So proxies that
   forward to a wrapped object (`return getattr(self._wrapped, name)`) and
   `__getattr__` methods that only read a dict are never flagged.

## Why is this a problem
Python calls `__getattr__` only after normal lookup fails: the instance
`__dict__`, the class and its bases. If `__getattr__` computes a value and
returns it without storing it, the next read misses again and
`__getattr__` runs again: the query or load repeats on every access. Once
the value is in the instance `__dict__`, normal lookup finds it and
`__getattr__` is not called any more.

The miss itself costs more than a hit, too: normal lookup runs and fails
first, then Python calls `__getattr__` as a Python function. Measured
with `crates/dunderls_linter/resources/measure/attribute_access.py` (a
`__getattr__` that only reads a class-level dict, against a read served by
the instance `__dict__`), a miss was about 44 times slower than the hit on
CPython 3.11.7, about 11 times on 3.12.1 and about 5 times on 3.13.0. A
database round trip costs far more than either.

## Scenario
An ORM adds lazy-loaded relationships through `__getattr__`: reading
`customer.orders` runs a query for the orders. Request handlers touch each
relationship a few times on thousands of model instances, and response
times grow by 40% after the rollout: every read of `customer.orders` runs
the query again, because the loaded value is returned but never kept.
Storing it in the instance `__dict__` (or using `functools.cached_property`
per relationship, or batch-loading the relationship for all instances)
makes the second read an ordinary attribute hit.

## Example
```python
class Session:
    def __init__(self):
        self.queries = 0

    def query(self, table, key):
        self.queries += 1
        return [f"{table} of {key}"]

class Customer:
    def __init__(self, session, key):
        self._session, self._key = session, key

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return self._session.query(name, self._key)

db = Session()
customer = Customer(db, 7)
for _ in range(3):
    customer.orders
print("queries:", db.queries)  # prints: queries: 3
```

## Use instead
Store the loaded value in the instance `__dict__`; later reads find it
there without calling `__getattr__`:
```python
class Session:
    def __init__(self):
        self.queries = 0

    def query(self, table, key):
        self.queries += 1
        return [f"{table} of {key}"]

class Customer:
    def __init__(self, session, key):
        self._session, self._key = session, key

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        value = self._session.query(name, self._key)
        self.__dict__[name] = value
        return value

db = Session()
customer = Customer(db, 7)
for _ in range(3):
    customer.orders
assert db.queries == 1
print("queries:", db.queries)  # prints: queries: 1
```
For a fixed set of lazy fields, `functools.cached_property` on each field
does the same with less code; for many instances, load the relationship for
all of them in one query.

## Fix
No automatic fix: where to keep the value (instance `__dict__`, a cache
dict, a descriptor per field) and when to invalidate it are design choices.

## References
- [Data model: `object.__getattr__`](https://docs.python.org/3/reference/datamodel.html#object.__getattr__)
- [`functools.cached_property`](https://docs.python.org/3/library/functools.html#functools.cached_property)
- Related: DUN103 (`__getattr__` reading instance attributes can recurse), DUN106 (`__getattribute__` runs on every access).
- Peers: none known.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN101",
    name: "getattr-uncached-lookup",
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
        let Some(receiver) = util::instance_receiver(getattr) else {
            continue;
        };
        if util::stores_state(cx.source, getattr)
            || getattr.has_decorator(&["functools.lru_cache", "functools.cache"])
        {
            continue;
        }
        let name = util::positional_param(getattr, 1);
        let expensive = getattr.scope.calls.iter().find(|&&call| {
            if getattr.in_lambda(call)
                || !util::matches_expensive(cx.source, call, &cx.options.expensive_calls)
                || util::cheap_despite_name(cx, call, name)
            {
                return false;
            }
            match util::self_method_call(cx.source, call, receiver) {
                // A helper of this class counts only when we can see that it
                // keeps nothing.
                Some(method) => {
                    cx.module
                        .unconditional_method(class, method)
                        .is_some_and(|helper| {
                            !helper.is_stub() && !util::stores_state(cx.source, helper)
                        })
                }
                None => true,
            }
        });
        let Some(&call) = expensive else { continue };
        cx.report(
            call,
            format!(
                "`{}.__getattr__` calls `{}` on every attribute miss and never stores the result on the instance: each access repeats the work",
                class.name,
                util::call_label(cx.source, call)
            ),
        );
    }
}
