use std::collections::HashMap;

use super::util::{in_place_mutations, is_plain_method, returns_self};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags a variable holding a mutating builder (its chain methods change a
container attribute in place and `return self`) that starts two separate
chains assigned to different names in one scope:
`q1 = base.filter(a=1)` then `q2 = base.filter(b=2)`.

## Why is this a problem
`return self` after an in-place change hands back the *same* object. Both
chains mutate `base`, so `q1`, `q2` and `base` are one query carrying both
filters: `q1 is q2` is True. Nothing fails; the queries just return the
wrong rows, and which filters apply depends on the order of the calls.

## Scenario
A query DSL chains `Query().filter(x=1).select("id")` and every method
appends to `self.filters` and returns `self`. A report builds a base query
and derives two from it, one for active and one for archived accounts. Both
results come back empty: each derived query carries both `active=True` and
`archived=True`. Logging shows the final object has the wrong state, though
each method looks right on its own.

## Example
```python
class Query:
    def __init__(self):
        self.filters = []

    def filter(self, **conditions):
        self.filters.append(conditions)
        return self

base = Query().filter(tenant=1)
active = base.filter(active=True)
archived = base.filter(archived=True)
print(active is archived, len(active.filters))  # prints: True 3
```

## Use instead
Make each method return a modified copy (an immutable builder):
```python
class Query:
    def __init__(self, filters=()):
        self.filters = tuple(filters)

    def filter(self, **conditions):
        return Query(self.filters + (conditions,))

base = Query().filter(tenant=1)
active = base.filter(active=True)
archived = base.filter(archived=True)
assert active is not archived and len(base.filters) == 1
print(len(active.filters), len(archived.filters))  # prints: 2 2
```

## Fix
No automatic fix: making the builder immutable changes every method (or
callers need an explicit `copy()` before branching).

## References
- [Data model: Objects, values and types](https://docs.python.org/3/reference/datamodel.html#objects-values-and-types)
- [`copy` module](https://docs.python.org/3/library/copy.html)
- Related: DUN705 (fluent-missing-return). No peer rule in ruff or pylint.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN706",
    name: "builder-shared-state",
    group: Group::ContextBuilders,
    severity: Severity::Warning,
    fix: FixAvailability::None,
    aliases: &[],
    docs: DOCS,
    check,
};

/// A same-file builder class: its chain methods and which of them mutate.
struct Builder<'a> {
    name: &'a str,
    chain: Vec<&'a str>,
    mutating: Vec<&'a str>,
}

fn check(cx: &Checker) {
    let builders: Vec<Builder> = cx
        .module
        .classes
        .iter()
        .filter(|c| !c.in_function && c.parent.is_none())
        .filter_map(|class| {
            let chain: Vec<&Function> = cx
                .module
                .methods(class)
                .filter(|m| is_plain_method(m) && returns_self(cx, m))
                .collect();
            let mutating: Vec<&str> = chain
                .iter()
                .filter(|m| !in_place_mutations(cx, m).is_empty())
                .map(|m| m.name)
                .collect();
            (!mutating.is_empty()).then(|| Builder {
                name: class.name,
                chain: chain.iter().map(|m| m.name).collect(),
                mutating,
            })
        })
        .collect();
    if builders.is_empty() {
        return;
    }
    check_scope(cx, &builders, &cx.module.scope.assignments);
    for f in &cx.module.functions {
        check_scope(cx, &builders, &f.scope.assignments);
    }
}

fn check_scope<'a>(cx: &Checker<'a>, builders: &[Builder<'a>], assignments: &[Node<'a>]) {
    let mut assignments = assignments.to_vec();
    assignments.sort_by_key(|a| a.start_byte());
    // variable -> (builder, the chains started from it so far: (target, assignment, link))
    type Chains<'a> = Vec<(&'a str, Node<'a>, Node<'a>)>;
    let mut live: HashMap<&str, (usize, Chains<'a>)> = HashMap::new();
    for assignment in assignments {
        if assignment.kind() != "assignment" {
            continue;
        }
        let (Some(left), Some(right)) = (
            assignment.child_by_field_name("left"),
            assignment.child_by_field_name("right"),
        ) else {
            continue;
        };
        if left.kind() != "identifier" {
            continue;
        }
        let target = cx.text(left);
        let (root, links) = chain_of(cx, syntax::unparenthesize(right));
        // `v = Builder(...)...`: a fresh builder.
        if let Some(b) = fresh_builder(cx, builders, root, &links) {
            live.insert(target, (b, Vec::new()));
            continue;
        }
        // `t = v.method(...)...` on a live builder variable.
        let source_var = (root.kind() == "identifier").then(|| cx.text(root));
        if let Some(var) = source_var.filter(|v| *v != target) {
            if let Some((b, chains)) = live.get_mut(var) {
                let builder = &builders[*b];
                if let Some((link, method)) = links.first().copied() {
                    if builder.mutating.contains(&method) {
                        let earlier = chains
                            .iter()
                            .find(|(t, a, _)| *t != target && !exclusive(*a, assignment))
                            .copied();
                        if let Some((first_target, first_assignment, _)) = earlier {
                            report(
                                cx,
                                builder,
                                var,
                                method,
                                link,
                                target,
                                first_target,
                                first_assignment,
                            );
                        }
                        chains.push((target, assignment, link));
                    }
                }
            }
        }
        // Rebinding a tracked variable ends its story.
        if source_var != Some(target) {
            live.remove(target);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn report(
    cx: &Checker,
    builder: &Builder,
    var: &str,
    method: &str,
    link: Node,
    target: &str,
    first_target: &str,
    first: Node,
) {
    let line = cx.line_number(first.start_byte());
    cx.report(
        link,
        format!(
            "`{target}` and `{first_target}` (line {line}) are both chained from `{var}`: `{b}.{method}` changes `{var}` in place and returns it, so they are the same `{b}` object with both chains' state",
            b = builder.name
        ),
    );
}

/// `root.m1(...).m2(...)`: the innermost object and the links in call
/// order, each as (the `root.m1` attribute node, the method name).
fn chain_of<'a>(cx: &Checker<'a>, expr: Node<'a>) -> (Node<'a>, Vec<(Node<'a>, &'a str)>) {
    let mut links = Vec::new();
    let mut current = expr;
    while current.kind() == "call" {
        let Some(func) = current
            .child_by_field_name("function")
            .filter(|f| f.kind() == "attribute")
        else {
            break;
        };
        let (Some(object), Some(attr)) = (
            func.child_by_field_name("object"),
            func.child_by_field_name("attribute"),
        ) else {
            break;
        };
        links.push((func, cx.text(attr)));
        current = syntax::unparenthesize(object);
    }
    links.reverse();
    (current, links)
}

/// `Builder(...)` followed only by its own chain methods.
fn fresh_builder(
    cx: &Checker,
    builders: &[Builder],
    root: Node,
    links: &[(Node, &str)],
) -> Option<usize> {
    if root.kind() != "call" {
        return None;
    }
    let callee = root
        .child_by_field_name("function")
        .filter(|f| f.kind() == "identifier")?;
    let name = cx.text(callee);
    if cx.module.import_of(name).is_some() {
        return None;
    }
    let index = builders.iter().position(|b| b.name == name)?;
    links
        .iter()
        .all(|(_, m)| builders[index].chain.contains(m))
        .then_some(index)
}

/// The two statements are in different branches of one `if`/`try`/`match`:
/// at most one of them runs.
fn exclusive(a: Node, b: Node) -> bool {
    let mut ancestors = std::collections::HashSet::new();
    let mut current = Some(a);
    while let Some(n) = current {
        ancestors.insert(n.id());
        current = n.parent();
    }
    let mut current = Some(b);
    while let Some(n) = current {
        if ancestors.contains(&n.id()) {
            return matches!(
                n.kind(),
                "if_statement" | "try_statement" | "match_statement" | "conditional_expression"
            );
        }
        current = n.parent();
    }
    false
}
