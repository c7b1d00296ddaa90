use super::util::{
    always_raises, forwards_var_keyword, is_placeholder, methods_named, parent_calls,
    qualified_method, var_keyword,
};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags an `__init_subclass__` that takes no `**kwargs`, or that takes them
but calls `super().__init_subclass__()` without passing them on.

## Why is this a problem
Class keywords (`class Invoice(Model, table="invoices")`) are passed to the
first `__init_subclass__` in the MRO, which is expected to consume its own
keywords and forward the rest with `super().__init_subclass__(**kwargs)`.
A hook without `**kwargs` makes any keyword meant for a class later in the
MRO fail at class definition, i.e. at import time:
`TypeError: Audited.__init_subclass__() got an unexpected keyword argument 'table'`.
A hook that accepts `**kwargs` but does not forward them is worse: the
keyword is silently dropped and the base that wanted it falls back to its
default.

## Scenario
A model registry reads the table name from a class keyword in its
`__init_subclass__`. An auditing mixin written as
`def __init_subclass__(cls): super().__init_subclass__()` is put in front of
it: every model that passes `table=` now fails to import with a TypeError
naming the mixin, not the registry. Changing the mixin to accept `**kwargs`
without forwarding them makes the error go away and the models register
under the wrong table name instead.

## Example
```python
class Registered:
    def __init_subclass__(cls, /, table=None, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.table = table or cls.__name__.lower()

class Audited:
    def __init_subclass__(cls):  # no **kwargs
        super().__init_subclass__()
        cls.audited = True

class Invoice(Audited, Registered, table="invoices"):  # raises: TypeError: got an unexpected keyword argument 'table'
    pass
```
Accepting `**kwargs` without forwarding them hides the keyword instead:
```python
class Registered:
    def __init_subclass__(cls, /, table=None, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.table = table or cls.__name__.lower()

class Audited:
    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__()  # `table` is dropped here
        cls.audited = True

class Invoice(Audited, Registered, table="invoices"):
    pass

print(Invoice.table)  # prints: invoice
```

## Use instead
Consume your own keywords by name and forward the rest:
```python
class Registered:
    def __init_subclass__(cls, /, table=None, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.table = table or cls.__name__.lower()

class Audited:
    def __init_subclass__(cls, /, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.audited = True

class Invoice(Audited, Registered, table="invoices"):
    pass

assert Invoice.audited
print(Invoice.table)  # prints: invoices
```

## Fix
No automatic fix: adding `**kwargs` to the signature and to the `super()`
call changes which class consumes a keyword, which only the author knows.

## References
- [Data model: `object.__init_subclass__`](https://docs.python.org/3/reference/datamodel.html#object.__init_subclass__)
- [PEP 487: Simpler customisation of class creation](https://peps.python.org/pep-0487/)
- Related: DUN601 (init-subclass-no-super), DUN603 (class-keyword-not-accepted). No peer rule in ruff or pylint.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN602",
    name: "init-subclass-drops-kwargs",
    group: Group::ClassCreation,
    severity: Severity::Information,
    fix: FixAvailability::None,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for f in methods_named(cx, "__init_subclass__") {
        if is_placeholder(f) || always_raises(f) || f.is_staticmethod() {
            continue;
        }
        let name = qualified_method(cx, f);
        match var_keyword(f) {
            None => {
                let at = f
                    .node
                    .child_by_field_name("parameters")
                    .unwrap_or(f.name_node);
                cx.report(
                    at,
                    format!(
                        "`{name}` takes no `**kwargs`: a class keyword meant for another base in the MRO raises TypeError when a subclass is defined"
                    ),
                );
            }
            Some(kw) => {
                let calls = parent_calls(cx, f, "__init_subclass__");
                if calls.is_empty() || calls.iter().any(|c| forwards_var_keyword(cx, *c, kw)) {
                    continue;
                }
                cx.report(
                    calls[0],
                    format!(
                        "`{name}` accepts `**{kw}` but does not forward it: class keywords meant for bases later in the MRO are silently dropped"
                    ),
                );
            }
        }
    }
}
