use std::collections::HashSet;

use crate::rules::prelude::*;

use super::util::{self, Access, Reach, Target};

const DOCS: &str = r#"
## What it does
Flags `self.<attr> = ...` (or `setattr(self, ...)`) inside `__setattr__`,
and `del self.<attr>` (or `delattr(self, ...)`) inside `__delattr__`, when
the statement runs for the very name it sets or deletes.

As in DUN104, a condition on the name that keeps the statement from
running for that name makes it safe (`if name == "celsius": self.kelvin =
value + 273.15` sets `kelvin` through the other branch); conditions the
checker cannot evaluate, and code in `except` handlers and lambdas, are
not reported, nor are classes whose methods assign `self.__class__`.
`setattr(self, name, value)` with the method's own name
parameter recurses whatever the conditions, because the nested call takes
the same path.

## Why is this a problem
Every assignment to an attribute of the instance calls
`type(self).__setattr__`, including the assignments inside `__setattr__`
itself: `self.x = v` there calls `__setattr__(self, "x", v)` again, without
end (`RecursionError: maximum recursion depth exceeded`). `del self.x`
inside `__delattr__` does the same. The base implementation
(`super().__setattr__`, `object.__setattr__`) or a write to `self.__dict__`
stores the value without coming back.

## Scenario
The ORM tracks changed fields for its `save()`: `__setattr__` records the
name in `self._dirty` and then stores the value with `self.<name> = value`
through `setattr(self, name, value)`. Creating any model instance raises
`RecursionError` in `__init__`, at the first assignment.

## Example
```python
class Model:
    def __setattr__(self, name, value):
        self.__dict__.setdefault("_dirty", set()).add(name)
        setattr(self, name, value)

Model().title = "x"  # raises: RecursionError: maximum recursion depth exceeded
```

## Use instead
```python
class Model:
    def __setattr__(self, name, value):
        self.__dict__.setdefault("_dirty", set()).add(name)
        super().__setattr__(name, value)

m = Model()
m.title = "x"
assert m.title == "x" and m._dirty == {"title"}
```

## Fix
Rewrites the statement to call the base implementation:
`self.x = v` becomes `super().__setattr__("x", v)`, `setattr(self, n, v)`
becomes `super().__setattr__(n, v)`, `del self.x` becomes
`super().__delattr__("x")` and `delattr(self, n)` becomes
`super().__delattr__(n)`. Safe: the statement as written always recurses.
No fix for tuple targets, augmented or annotated assignments.

## References
- [Data model: `object.__setattr__`](https://docs.python.org/3/reference/datamodel.html#object.__setattr__), [`object.__delattr__`](https://docs.python.org/3/reference/datamodel.html#object.__delattr__)
- Related: DUN104, DUN707 (changes that bypass `__setattr__`).
- Peers: none known.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN105",
    name: "setattr-recursion",
    group: Group::Attributes,
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    aliases: &[],
    docs: DOCS,
    check,
};

struct Kind {
    method: &'static str,
    access: Access,
    builtin: &'static str,
    verb: &'static str,
}

const KINDS: &[Kind] = &[
    Kind {
        method: "__setattr__",
        access: Access::Write,
        builtin: "setattr",
        verb: "assigns",
    },
    Kind {
        method: "__delattr__",
        access: Access::Delete,
        builtin: "delattr",
        verb: "deletes",
    },
];

fn check(cx: &Checker) {
    for class in &cx.module.classes {
        if util::reassigns_class(cx, class) {
            continue;
        }
        for kind in KINDS {
            if let Some(method) = cx
                .module
                .unconditional_method(class, kind.method)
                .filter(|f| !f.is_stub() && !f.is_staticmethod())
            {
                check_method(cx, class, method, kind);
            }
        }
    }
}

fn check_method(cx: &Checker, class: &Class, method: &Function, kind: &Kind) {
    let (Some(receiver), Some(name)) = (method.receiver(), util::positional_param(method, 1))
    else {
        return;
    };
    let mut reported = HashSet::new();
    // `arg`: how the nested call receives the name (`'x'` or `name`).
    let value = if kind.access == Access::Write {
        ", ..."
    } else {
        ""
    };
    let message = |what: &str, arg: &str| {
        format!(
            "`{}.{}` {} {what}, which calls `{}({arg}{value})` again: infinite recursion (RecursionError)",
            class.name, kind.method, kind.verb, kind.method
        )
    };
    for (node, attr, access) in util::receiver_attributes(cx.source, method, receiver) {
        let relevant =
            access == kind.access || (kind.access == Access::Write && access == Access::ReadWrite);
        let runtime = util::mangle(class.name, attr);
        if !relevant
            || reported.contains(&runtime)
            || util::reach(cx.source, method, node, name, Target::Literal(&runtime)) != Reach::Runs
        {
            continue;
        }
        reported.insert(runtime.clone());
        let text = message(&format!("`{receiver}.{attr}`"), &format!("'{runtime}'"));
        match statement_fix(cx, node, kind, &runtime) {
            Some(fix) => cx.report_with_fix(node, text, fix),
            None => cx.report(node, text),
        }
    }
    for &call in &method.scope.calls {
        if method.in_lambda(call) || syntax::callee_name(cx.source, call) != Some(kind.builtin) {
            continue;
        }
        let args = syntax::positional_args(call);
        if !args
            .first()
            .is_some_and(|a| syntax::is_identifier(cx.source, *a, receiver))
        {
            continue;
        }
        let Some(&key) = args.get(1) else { continue };
        let target = if let Some(lit) = syntax::string_value(cx.source, key) {
            Target::Literal(lit)
        } else if syntax::is_identifier(cx.source, key, name) {
            Target::SameAsName
        } else {
            Target::Dynamic
        };
        if util::reach(cx.source, method, call, name, target) != Reach::Runs {
            continue;
        }
        let arg = match target {
            Target::Literal(lit) => format!("'{lit}'"),
            _ => cx.text(key).to_string(),
        };
        let text = message(
            &format!("through `{}`", util::call_label(cx.source, call)),
            &arg,
        );
        let rest: Vec<&str> = args[1..].iter().map(|a| cx.text(*a)).collect();
        let expected = if kind.builtin == "setattr" { 2 } else { 1 };
        let simple = rest.len() == expected && syntax::keyword_args(cx.source, call).is_empty();
        if simple {
            let replacement = format!("super().{}({})", kind.method, rest.join(", "));
            cx.report_with_fix(
                call,
                text,
                Fix::safe(
                    format!("Call `super().{}` instead", kind.method),
                    vec![Edit::replace(call.byte_range(), replacement)],
                ),
            );
        } else {
            cx.report(call, text);
        }
    }
}

/// `self.x = v` (a plain, single-target statement) or `del self.x`.
fn statement_fix(cx: &Checker, node: Node, kind: &Kind, runtime: &str) -> Option<Fix> {
    let parent = node.parent()?;
    let replacement = match parent.kind() {
        "assignment" if kind.access == Access::Write => {
            let right = parent.child_by_field_name("right")?;
            if parent.child_by_field_name("left")? != node
                || parent.child_by_field_name("type").is_some()
                || right.kind() == "assignment"
                || parent.parent()?.kind() != "expression_statement"
            {
                return None;
            }
            let value = cx.text(right);
            let value = if right.kind() == "expression_list" {
                format!("({value})")
            } else {
                value.to_string()
            };
            (
                parent,
                format!("super().__setattr__(\"{runtime}\", {value})"),
            )
        }
        "delete_statement" if kind.access == Access::Delete => {
            (parent, format!("super().__delattr__(\"{runtime}\")"))
        }
        _ => return None,
    };
    let (range_node, text) = replacement;
    Some(Fix::safe(
        format!("Call `super().{}` instead", kind.method),
        vec![Edit::replace(range_node.byte_range(), text)],
    ))
}
