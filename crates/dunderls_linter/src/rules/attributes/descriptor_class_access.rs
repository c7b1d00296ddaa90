use crate::rules::prelude::*;

use super::util;

const DOCS: &str = r#"
## What it does
Flags a descriptor's `__get__(self, instance, owner)` that dereferences
`instance` (`instance.x`, `instance[...]`, `instance.__dict__`,
`vars(instance)`, `getattr(instance, name)`, `self._values[instance]`)
without ever testing it: no comparison, `not`, `and`/`or`, `if`/`while`
condition, `assert` or `isinstance` involves the instance parameter, and
there is no `try` statement.

## Why is this a problem
Reading the attribute on the owner class, `Owner.attr`, calls
`__get__(None, Owner)`. A `__get__` that reads from `instance` then fails
with `AttributeError: 'NoneType' object has no attribute '__dict__'`.
Class-level access is common: `help(Owner)`, `inspect.getmembers`, doc
generators, `unittest.mock.create_autospec`, dataclass and ORM
introspection all read attributes on the class. The convention (followed by
`property`, `functools.cached_property` and functions) is to return the
descriptor itself.

## Scenario
The ORM's column descriptors read the row from `instance.__dict__`. The
admin site builds its forms by walking the model class's attributes, and
crashes on the first column with `AttributeError: 'NoneType' object has no
attribute '__dict__'`, which points at the descriptor rather than at the
admin code.

## Example
```python
class Column:
    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        return instance.__dict__[self.name]

class Customer:
    email = Column()

Customer.email  # raises: AttributeError: 'NoneType' object has no attribute '__dict__'
```

## Use instead
```python
class Column:
    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return instance.__dict__[self.name]

class Customer:
    email = Column()

assert isinstance(Customer.email, Column)
c = Customer()
c.__dict__["email"] = "ada@example.com"
assert c.email == "ada@example.com"
```

## Fix
Inserts `if instance is None: return self` (with the method's own
parameter names) as the first statement of `__get__`, after a docstring.
Unsafe: class-level access then returns the descriptor instead of raising,
which code probing with `hasattr(Owner, "attr")` can observe.

## References
- [Data model: `object.__get__`](https://docs.python.org/3/reference/datamodel.html#object.__get__), [invoking descriptors](https://docs.python.org/3/reference/datamodel.html#descriptor-invocation)
- [Descriptor HowTo Guide](https://docs.python.org/3/howto/descriptor.html)
- Related: DUN112.
- Peers: none known.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN113",
    name: "descriptor-class-access",
    group: Group::Attributes,
    severity: Severity::Information,
    fix: FixAvailability::Always,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for class in &cx.module.classes {
        let Some(get) = util::own_method(cx, class, "__get__") else {
            continue;
        };
        let (Some(receiver), Some(instance)) =
            (util::instance_receiver(get), util::positional_param(get, 1))
        else {
            continue;
        };
        let uses: Vec<Node> = syntax::descendants(get.body, true)
            .filter(|n| syntax::is_identifier(cx.source, *n, instance))
            .filter(|n| !get.in_lambda(*n))
            .collect();
        let has_try = syntax::descendants(get.body, true).any(|n| n.kind() == "try_statement");
        if has_try || uses.iter().any(|n| is_tested(cx, *n, get.body)) {
            continue;
        }
        let Some(deref) = uses.iter().copied().find(|n| dereferences(cx, *n)) else {
            continue;
        };
        let expression = deref
            .parent()
            .map(|p| {
                if p.kind() == "argument_list" {
                    p.parent().unwrap_or(p)
                } else {
                    p
                }
            })
            .map(|p| cx.text(p))
            .unwrap_or(instance);
        let expression = if expression.len() > 40 {
            instance
        } else {
            expression
        };
        let message = format!(
            "`{}.__get__` does not handle `{instance} is None`: reading the attribute on the owner class calls `__get__(None, owner)` and fails at `{expression}`",
            class.name
        );
        match fix(cx, get, receiver, instance) {
            Some(fix) => cx.report_with_fix(get.name_node, message, fix),
            None => cx.report(get.name_node, message),
        }
    }
}

/// The identifier takes part in a test: a comparison, `not`, `and`/`or`,
/// the condition of `if`/`elif`/`while`/a conditional expression, an
/// `assert`, or an `isinstance`/`hasattr`/`callable` call.
fn is_tested(cx: &Checker, ident: Node, stop: Node) -> bool {
    let mut child = ident;
    while let Some(parent) = child.parent() {
        if parent == stop {
            return false;
        }
        match parent.kind() {
            "comparison_operator" | "not_operator" | "boolean_operator" | "assert_statement" => {
                return true
            }
            "if_statement" | "elif_clause" | "while_statement"
                if parent.child_by_field_name("condition") == Some(child) =>
            {
                return true
            }
            "conditional_expression" if parent.named_child(1) == Some(child) => return true,
            "call"
                if syntax::callee_name(cx.source, parent).is_some_and(|n| {
                    matches!(n, "isinstance" | "hasattr" | "callable" | "type")
                }) =>
            {
                return true
            }
            "block" | "expression_statement" | "return_statement" => return false,
            _ => {}
        }
        child = parent;
    }
    false
}

/// `instance.x`, `instance[...]`, `X[instance]`, `vars(instance)`,
/// `getattr(instance, name)` (without a default).
fn dereferences(cx: &Checker, ident: Node) -> bool {
    let Some(parent) = ident.parent() else {
        return false;
    };
    match parent.kind() {
        "attribute" => parent.child_by_field_name("object") == Some(ident),
        "subscript" => true,
        "argument_list" => parent.parent().is_some_and(|call| {
            let args = syntax::positional_args(call);
            match syntax::callee_name(cx.source, call) {
                Some("vars") => args.len() == 1,
                Some("getattr") => args.len() == 2 && args.first() == Some(&ident),
                _ => false,
            }
        }),
        _ => false,
    }
}

/// Insert the guard before the first statement (after a docstring).
fn fix(cx: &Checker, get: &Function, receiver: &str, instance: &str) -> Option<Fix> {
    let statements = syntax::statements(get.body);
    let first = *statements.first()?;
    let is_docstring = first.kind() == "expression_statement"
        && first.named_child(0).is_some_and(|e| e.kind() == "string");
    let nl = cx.newline;
    // A body on the `def` line (`def __get__(s, i, o): return i.x`) has no
    // indentation to copy.
    if cx.source[..first.start_byte()]
        .trim_end_matches([' ', '\t'])
        .ends_with(':')
    {
        return None;
    }
    let indent = indent_of(cx.source, first);
    let guard = format!("if {instance} is None:{nl}{indent}    return {receiver}");
    let edit = match (is_docstring, statements.get(1)) {
        (true, Some(second)) => Edit::insert(second.start_byte(), format!("{guard}{nl}{indent}")),
        (true, None) => Edit::insert(first.end_byte(), format!("{nl}{indent}{guard}")),
        (false, _) => Edit::insert(first.start_byte(), format!("{guard}{nl}{indent}")),
    };
    Some(Fix::unsafe_(
        format!("Return the descriptor when `{instance}` is None"),
        vec![edit],
    ))
}
