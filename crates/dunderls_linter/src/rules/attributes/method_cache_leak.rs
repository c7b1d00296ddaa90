use crate::rules::prelude::*;

use super::util;

const DOCS: &str = r#"
## What it does
Flags `@functools.lru_cache` (with or without arguments) and
`@functools.cache` on a regular method: not on static or class methods,
not in Enum classes (their members live for the whole program anyway),
not on metaclass methods.

## Why is this a problem
The decorator wraps the function once, at class creation, so there is one
cache for the whole class. Every call stores its arguments in that cache,
and the first argument is `self`: the cache keeps a strong reference to
every instance it has seen, for as long as the entry stays (forever with
`@cache` or `maxsize=None`). Instances that the program dropped are never
freed, and neither is anything they reference. The shared cache also needs
`self` to be hashable, and an entry computed for one instance is returned
for any other instance that compares equal to it.

## Scenario
The ORM's repository class caches relationship lookups with
`@lru_cache(maxsize=None)` on `Repository.children(self, key)`. Each request
creates a repository bound to its own database session. Memory grows with
every request: the class-level cache holds every repository, and through
them every session and every row they ever loaded.

## Example
```python
import functools
import gc
import weakref

class Repository:
    @functools.lru_cache(maxsize=None)
    def children(self, key):
        return [key, key + 1]

repo = Repository()
repo.children(1)
alive = weakref.ref(repo)
del repo
gc.collect()
print("still alive:", alive() is not None)  # prints: still alive: True
```

## Use instead
Cache per instance, so the cache goes away with the instance
(`functools.cached_property` for methods without arguments):
```python
import functools
import gc
import weakref

class Repository:
    def __init__(self):
        self.children = functools.lru_cache(maxsize=None)(self._children)

    def _children(self, key):
        return [key, key + 1]

repo = Repository()
assert repo.children(1) == [1, 2]
alive = weakref.ref(repo)
del repo
gc.collect()
print("still alive:", alive() is not None)  # prints: still alive: False
```
(The bound method in the instance's own cache makes a reference cycle,
which the garbage collector frees.)

## Fix
No automatic fix: a per-instance cache, `cached_property`, or a module
function that takes only the needed values are different designs.

## References
- [`functools.lru_cache`](https://docs.python.org/3/library/functools.html#functools.lru_cache)
- [Programming FAQ: How do I cache method calls?](https://docs.python.org/3/faq/programming.html#how-do-i-cache-method-calls)
- Peers: ruff B019 / flake8-bugbear B019 (`cached-instance-method`).
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN107",
    name: "method-cache-leak",
    group: Group::Attributes,
    severity: Severity::Warning,
    fix: FixAvailability::None,
    aliases: &["B019"],
    docs: DOCS,
    check,
};

const CACHES: &[&str] = &["functools.lru_cache", "functools.cache"];

fn check(cx: &Checker) {
    for class in &cx.module.classes {
        let ancestry = cx.ancestry(class);
        let long_lived = ancestry
            .builtins()
            .any(|b| b.starts_with("enum.") || b == "type" || b == "builtins.type");
        if long_lived {
            continue;
        }
        for method in cx.module.unconditional_methods(class) {
            if util::instance_receiver(method).is_none() {
                continue;
            }
            let Some(decorator) = method
                .decorators
                .iter()
                .find(|d| util::decorator_is(cx, d.name, CACHES))
            else {
                continue;
            };
            let cache = cx.module.qualified_name(decorator.name);
            cx.report_at(
                util::decorator_range(decorator),
                format!(
                    "`@{cache}` on `{}.{}` keys one class-wide cache on `self`: it keeps every instance alive as long as the cache holds the entry",
                    class.name, method.name
                ),
                None,
                None,
            );
        }
    }
}
