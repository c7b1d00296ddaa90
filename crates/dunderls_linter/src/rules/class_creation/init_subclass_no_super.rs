use super::util::{
    always_raises, body_mentions, insert_at_block_start, is_placeholder, methods_named,
    parent_calls, qualified_method, var_keyword,
};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags an `__init_subclass__` that never calls `super().__init_subclass__()`.

## Why is this a problem
`type.__new__` calls `__init_subclass__` once per new class, on the *parent*
side of the MRO: `super(NewClass, NewClass).__init_subclass__(**kwargs)`.
Only the first implementation found in the MRO runs; every later one runs
only if the earlier ones chain with `super().__init_subclass__(**kwargs)`.
A hook that does not chain silently switches off the hooks of every base
class and mixin that follows it in the MRO of a subclass. Nothing fails:
the registry, the validation or the bookkeeping those hooks do just never
happens. It is a problem even in a class with no bases of its own, because
in `class C(A, B)` the `super()` of `A` is `B`.

## Scenario
A framework registers model classes with an `__init_subclass__` hook in
`Registered`. A team adds a `Versioned` mixin whose own `__init_subclass__`
sets a class attribute and does not call `super()`. Every model declared as
`class Invoice(Versioned, Registered)` now skips the registry hook: the
models "fail to register" and introspection shows the registry's
`__init_subclass__` was never called, while models that do not use the
mixin still register.

## Example
```python
registered = []

class Registered:
    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        registered.append(cls.__name__)

class Versioned:
    def __init_subclass__(cls, **kwargs):
        cls.version = 1  # does not chain: Registered's hook never runs

class Invoice(Versioned, Registered):
    pass

print(registered)  # prints: []
```

## Use instead
```python
registered = []

class Registered:
    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        registered.append(cls.__name__)

class Versioned:
    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.version = 1

class Invoice(Versioned, Registered):
    pass

assert registered == ["Invoice"] and Invoice.version == 1
print(registered)  # prints: ['Invoice']
```

## Fix
Inserts `super().__init_subclass__(**kwargs)` as the first statement of the
hook (after the docstring), forwarding the hook's own `**kwargs` parameter.
Safe when the hook has a `**kwargs` parameter that its body does not use.
Unsafe when the body reads or edits `kwargs` (forwarding them first may pass
on a keyword the hook meant to consume), and when there is no `**kwargs`
(then `super().__init_subclass__()` is added, see DUN602).

## References
- [Data model: `object.__init_subclass__`](https://docs.python.org/3/reference/datamodel.html#object.__init_subclass__)
- [PEP 487: Simpler customisation of class creation](https://peps.python.org/pep-0487/)
- Related: DUN602 (init-subclass-drops-kwargs). No peer rule in ruff or pylint.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN601",
    name: "init-subclass-no-super",
    group: Group::ClassCreation,
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for f in methods_named(cx, "__init_subclass__") {
        if is_placeholder(f)
            || always_raises(f)
            || !parent_calls(cx, f, "__init_subclass__").is_empty()
        {
            continue;
        }
        let message = format!(
            "`{}` does not call `super().__init_subclass__()`: the hooks of bases and mixins later in the MRO never run for its subclasses",
            qualified_method(cx, f)
        );
        match fix(cx, f) {
            Some(fix) => cx.report_with_fix(f.name_node, message, fix),
            None => cx.report(f.name_node, message),
        }
    }
}

fn fix(cx: &Checker, f: &Function) -> Option<Fix> {
    let kwargs = var_keyword(f);
    let call = match kwargs {
        Some(kw) => format!("super().__init_subclass__(**{kw})"),
        None => "super().__init_subclass__()".to_string(),
    };
    let edit = insert_at_block_start(cx, f.body, &call)?;
    let title = format!("Call `{call}`");
    Some(match kwargs {
        Some(kw) if !body_mentions(cx, f, kw) => Fix::safe(title, vec![edit]),
        _ => Fix::unsafe_(title, vec![edit]),
    })
}
