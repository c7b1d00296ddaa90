use super::util::{is_plain_method, mutates_self, returns_nothing, returns_self};
use crate::rules::class_creation::util::{qualified_method, return_value_edits};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
In a fluent class (at least two public methods end with `return self`, and
they are the majority of its public methods), flags a public method that
changes `self` and returns nothing.

## Why is this a problem
Method chaining only works if every link returns the object. A method that
mutates `self` and falls off its end returns None, so the next call in the
chain is made on None:
`AttributeError: 'NoneType' object has no attribute 'select'`. The link
that broke the chain is the one *before* the attribute named in the
error, which makes it easy to look in the wrong place.

## Scenario
A query DSL supports `Query().filter(x=1).select("id", "name").order_by("id")`.
A new `limit()` method is added by someone who did not notice the
convention: it sets `self._limit` and returns nothing. `Query().limit(10)
.select("id")` raises an AttributeError on `NoneType`, and code that calls
`q.limit(10)` on its own line keeps working, so the bug only shows up in
some call sites.

## Example
```python
class Query:
    def __init__(self):
        self.filters, self.columns, self.limit_to = [], [], None

    def filter(self, **conditions):
        self.filters.append(conditions)
        return self

    def select(self, *columns):
        self.columns.extend(columns)
        return self

    def limit(self, n):
        self.limit_to = n  # no `return self`

Query().filter(x=1).limit(10).select("id")  # raises: AttributeError: 'NoneType' object has no attribute 'select'
```

## Use instead
```python
class Query:
    def __init__(self):
        self.filters, self.columns, self.limit_to = [], [], None

    def filter(self, **conditions):
        self.filters.append(conditions)
        return self

    def select(self, *columns):
        self.columns.extend(columns)
        return self

    def limit(self, n):
        self.limit_to = n
        return self

q = Query().filter(x=1).limit(10).select("id")
print(q.limit_to, q.columns)  # prints: 10 ['id']
```

## Fix
Makes the method return `self` on every path (rewrites bare `return`s and
appends `return self`). Unsafe: a method meant to end a chain may have been
written to return None on purpose.

## References
- [The `return` statement](https://docs.python.org/3/reference/simple_stmts.html#the-return-statement)
- Related: DUN706 (builder-shared-state). No peer rule in ruff or pylint.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN705",
    name: "fluent-missing-return",
    group: Group::ContextBuilders,
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for class in &cx.module.classes {
        // Public instance methods; dunders return `self` by protocol
        // (`__iadd__`, `__enter__`, `__iter__`), not as chain links.
        let public: Vec<&Function> = cx
            .module
            .methods(class)
            .filter(|m| !m.name.starts_with('_') && is_plain_method(m))
            .collect();
        let fluent = public.iter().filter(|m| returns_self(cx, m)).count();
        // A fluent class: at least two links, and most public methods are links.
        if fluent < 2 || fluent * 2 <= public.len() {
            continue;
        }
        for m in &public {
            if m.is_async
                || !returns_nothing(m)
                || !mutates_self(cx, m)
                || (!m.can_fall_off_end && m.scope.returns.is_empty())
            {
                continue;
            }
            let receiver = m.receiver().unwrap_or("self");
            let message = format!(
                "`{}` changes `{receiver}` but returns None while {fluent} other methods of `{}` return `{receiver}`: chaining a call after it fails with AttributeError on None",
                qualified_method(cx, m),
                class.name
            );
            let fix = return_value_edits(cx, m, receiver)
                .map(|edits| Fix::unsafe_(format!("Return `{receiver}`"), edits));
            cx.report_at(m.name_node.byte_range(), message, None, fix);
        }
    }
}
