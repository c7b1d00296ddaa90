use std::collections::{HashMap, HashSet};

use crate::rules::containers::util;
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags a truthiness test used as a None check: `if x:`, `if not x:` or
`x or default`, where `x` is annotated `C | None` (or `Optional[C]`) and `C`
is a user class that defines `__len__` but not `__bool__`.

## Why is this a problem
Without `__bool__`, `bool(x)` is `len(x) != 0`. An existing but empty `C`
is therefore false, exactly like `None`: `if counter:` skips an empty
counter, and `counter = counter or Counter()` throws away the empty counter
the caller passed in (and with it every update the function then makes).
The annotation says the author meant "is there a `C`?", which `is None`
answers.

Builtin containers are not reported: for `list | None`, treating "empty"
like "absent" is the usual intent. Tests preceded by a reassignment, or in
a function that also compares `x` with `None`, are left alone too.

## Scenario
A Counter-like container defines `__len__` so that `len(counter)` works.
A helper takes `counter: Counter | None = None` and starts with
`counter = counter or Counter()`. Callers that pass a fresh, still empty
counter to be filled see it stay empty: the helper filled a new one. That
is the "`if counter:` fails" gotcha from the scenario.

## Example
```python
class Counter:
    def __init__(self):
        self._counts = {}

    def __len__(self):
        return len(self._counts)

    def add(self, key):
        self._counts[key] = self._counts.get(key, 0) + 1

def count_words(words, counter: Counter | None = None) -> Counter:
    counter = counter or Counter()
    for word in words:
        counter.add(word)
    return counter

mine = Counter()
count_words(["a", "b"], mine)
print(len(mine))  # prints: 0
```

## Use instead
```python
class Counter:
    def __init__(self):
        self._counts = {}

    def __len__(self):
        return len(self._counts)

    def add(self, key):
        self._counts[key] = self._counts.get(key, 0) + 1

def count_words(words, counter: Counter | None = None) -> Counter:
    if counter is None:
        counter = Counter()
    for word in words:
        counter.add(word)
    return counter

mine = Counter()
count_words(["a", "b"], mine)
print(len(mine))  # prints: 2
```

## Fix
The quick fix turns `if x:` into `if x is not None:`, `if not x:` into
`if x is None:`, and `x or default` into `x if x is not None else default`.
Unsafe: an empty `C` is now treated as present, which is the point but
changes behaviour.

## References
- [Data model: `object.__bool__`](https://docs.python.org/3/reference/datamodel.html#object.__bool__) (falls back to `__len__`)
- [Truth value testing](https://docs.python.org/3/library/stdtypes.html#truth)
- [PEP 8: comparisons to singletons like None](https://peps.python.org/pep-0008/#programming-recommendations)
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN208",
    name: "len-truthiness-as-none-check",
    group: Group::Containers,
    severity: Severity::Information,
    fix: FixAvailability::Always,
    aliases: &[],
    docs: DOCS,
    check,
};

/// What is tested: a plain name (parameter or annotated local) or
/// `self.<attr>`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Subject<'a> {
    Name(&'a str),
    Attribute(&'a str),
}

struct Candidate<'a> {
    class: String,
    /// The declaring assignment of an annotated local (it is not a
    /// reassignment).
    declaration: Option<Node<'a>>,
}

enum Site<'a> {
    /// `if x:` / `x and ...` in a condition: the operand.
    Truthy(Node<'a>),
    /// `not x`: the not_operator.
    Falsy(Node<'a>, Node<'a>),
    /// `x or default`: the boolean_operator, x, default.
    OrDefault(Node<'a>, Node<'a>, Node<'a>),
}

fn check(cx: &Checker) {
    let mut verdicts: HashMap<String, bool> = HashMap::new();
    let mut len_without_bool = |name: &str| -> bool {
        *verdicts
            .entry(name.to_string())
            .or_insert_with(|| util::len_and_bool(cx, name).is_some_and(|(len, b)| len && !b))
    };
    let mut class_attrs: HashMap<usize, HashMap<&str, String>> = HashMap::new();
    for function in &cx.module.functions {
        if function.has_errors {
            continue;
        }
        let mut candidates: HashMap<Subject, Candidate> = HashMap::new();
        for param in &function.params {
            if let Some(class) = param.annotation.and_then(|a| optional_class(cx, a)) {
                candidates.insert(
                    Subject::Name(param.name),
                    Candidate {
                        class,
                        declaration: None,
                    },
                );
            }
        }
        for &assignment in &function.scope.assignments {
            let (Some(left), Some(annotation)) = (
                assignment.child_by_field_name("left"),
                assignment.child_by_field_name("type"),
            ) else {
                continue;
            };
            if left.kind() == "identifier" {
                if let Some(class) = optional_class(cx, annotation) {
                    candidates.insert(
                        Subject::Name(cx.text(left)),
                        Candidate {
                            class,
                            declaration: Some(assignment),
                        },
                    );
                }
            }
        }
        let receiver = function
            .receiver()
            .filter(|_| !function.is_staticmethod() && !function.is_classmethod());
        if let (Some(class_id), Some(_)) = (function.class, receiver) {
            let attrs = class_attrs
                .entry(class_id)
                .or_insert_with(|| annotated_attributes(cx, &cx.module.classes[class_id]));
            for (name, class) in attrs.iter() {
                candidates.insert(
                    Subject::Attribute(name),
                    Candidate {
                        class: class.clone(),
                        declaration: None,
                    },
                );
            }
        }
        candidates.retain(|_, c| len_without_bool(&c.class));
        if candidates.is_empty() {
            continue;
        }
        let receiver = receiver.unwrap_or("self");
        let none_compared = none_comparisons(cx, function, receiver);
        let assigned = assignment_ends(cx, function);
        for site in sites(cx, function) {
            let (tested, start) = match site {
                Site::Truthy(x) => (x, x.start_byte()),
                Site::Falsy(not, x) => (x, not.start_byte()),
                Site::OrDefault(op, x, _) => (x, op.start_byte()),
            };
            let Some(subject) =
                subject_of(cx, tested, receiver).filter(|s| candidates.contains_key(s))
            else {
                continue;
            };
            if none_compared.contains(&subject) {
                continue;
            }
            let candidate = &candidates[&subject];
            if let Subject::Name(name) = subject {
                if reassigned_before(&assigned, name, start, candidate.declaration) {
                    continue;
                }
            }
            report(cx, &site, &candidate.class);
        }
    }
}

fn report(cx: &Checker, site: &Site, class: &str) {
    let (range_node, message, title, edit) = match *site {
        Site::Truthy(x) => {
            let x_text = cx.text(x);
            (
                x,
                format!(
                    "`{x_text}` is `{class} | None`, and `{class}` has `__len__` but no `__bool__`: this test is also false for an empty `{class}`, not only for None"
                ),
                format!("Replace with `{x_text} is not None`"),
                Edit::replace(x.byte_range(), format!("{x_text} is not None")),
            )
        }
        Site::Falsy(not, x) => {
            let x_text = cx.text(x);
            (
                not,
                format!(
                    "`{x_text}` is `{class} | None`, and `{class}` has `__len__` but no `__bool__`: `not {x_text}` is also true for an empty `{class}`, not only for None"
                ),
                format!("Replace with `{x_text} is None`"),
                Edit::replace(not.byte_range(), format!("{x_text} is None")),
            )
        }
        Site::OrDefault(op, x, default) => {
            let x_text = cx.text(x);
            let replacement = format!("{x_text} if {x_text} is not None else {}", cx.text(default));
            let needs_parens = op.parent().is_some_and(|p| {
                !matches!(
                    p.kind(),
                    "assignment"
                        | "augmented_assignment"
                        | "argument_list"
                        | "return_statement"
                        | "expression_statement"
                        | "keyword_argument"
                        | "parenthesized_expression"
                        | "pair"
                        | "list"
                        | "tuple"
                        | "set"
                        | "expression_list"
                )
            });
            let replacement = if needs_parens {
                format!("({replacement})")
            } else {
                replacement
            };
            (
                x,
                format!(
                    "`{x_text}` is `{class} | None`, and `{class}` has `__len__` but no `__bool__`: `{x_text} or ...` also replaces an empty `{class}`, not only None"
                ),
                format!("Replace with `{x_text} if {x_text} is not None else ...`"),
                Edit::replace(op.byte_range(), replacement),
            )
        }
    };
    cx.report_with_fix(range_node, message, Fix::unsafe_(title, vec![edit]));
}

/// Truthiness tests in a function: operands of `if`/`elif` conditions
/// (through `and`/`or`/`not`) and `x or default` expressions elsewhere.
fn sites<'a>(cx: &Checker<'a>, function: &Function<'a>) -> Vec<Site<'a>> {
    let mut out = Vec::new();
    let mut conditions = Vec::new();
    for &stmt in &function.scope.ifs {
        conditions.extend(stmt.child_by_field_name("condition"));
        let mut cursor = stmt.walk();
        for alt in stmt.children_by_field_name("alternative", &mut cursor) {
            if alt.kind() == "elif_clause" {
                conditions.extend(alt.child_by_field_name("condition"));
            }
        }
    }
    for &condition in &conditions {
        let mut stack = vec![condition];
        while let Some(node) = stack.pop() {
            let node = syntax::unparenthesize(node);
            match node.kind() {
                "boolean_operator" => {
                    stack.extend(node.child_by_field_name("right"));
                    stack.extend(node.child_by_field_name("left"));
                }
                "not_operator" => {
                    if let Some(arg) = node.child_by_field_name("argument") {
                        let arg = syntax::unparenthesize(arg);
                        if matches!(arg.kind(), "identifier" | "attribute") {
                            out.push(Site::Falsy(node, arg));
                        }
                    }
                }
                "identifier" | "attribute" => out.push(Site::Truthy(node)),
                _ => {}
            }
        }
    }
    // Conditions are disjoint expressions: only the last one starting at or
    // before a node can contain it.
    let mut ranges: Vec<(usize, usize)> = conditions
        .iter()
        .map(|c| (c.start_byte(), c.end_byte()))
        .collect();
    ranges.sort_unstable();
    let in_condition = |node: Node| {
        let i = ranges.partition_point(|&(start, _)| start <= node.start_byte());
        i > 0 && node.end_byte() <= ranges[i - 1].1
    };
    for &op in &function.scope.boolean_operators {
        if in_condition(op)
            || op
                .child_by_field_name("operator")
                .is_none_or(|o| cx.text(o) != "or")
        {
            continue;
        }
        let (Some(left), Some(right)) = (
            op.child_by_field_name("left"),
            op.child_by_field_name("right"),
        ) else {
            continue;
        };
        let left = syntax::unparenthesize(left);
        if matches!(left.kind(), "identifier" | "attribute") {
            out.push(Site::OrDefault(op, left, right));
        }
    }
    out
}

/// Subjects the function compares with None (`x is None`, `x != None`):
/// its author tells None and empty apart, so a bare test there means "empty".
fn none_comparisons<'a>(
    cx: &Checker<'a>,
    function: &Function<'a>,
    receiver: &str,
) -> HashSet<Subject<'a>> {
    let mut out = HashSet::new();
    for node in syntax::descendants(function.body, true) {
        if node.kind() != "comparison_operator" {
            continue;
        }
        let mut cursor = node.walk();
        let operands: Vec<Node> = node.named_children(&mut cursor).collect();
        if operands.iter().any(|o| o.kind() == "none") {
            out.extend(operands.iter().filter_map(|&o| subject_of(cx, o, receiver)));
        }
    }
    out
}

fn subject_of<'a>(cx: &Checker<'a>, node: Node<'a>, receiver: &str) -> Option<Subject<'a>> {
    let node = syntax::unparenthesize(node);
    match node.kind() {
        "identifier" => Some(Subject::Name(cx.text(node))),
        "attribute" => Some(Subject::Attribute(util::self_attribute(
            cx, node, receiver,
        )?)),
        _ => None,
    }
}

/// The `name = ...` assignments of a function by name, with their end
/// offsets, earliest end first.
fn assignment_ends<'a>(
    cx: &Checker<'a>,
    function: &Function<'a>,
) -> HashMap<&'a str, Vec<(usize, Node<'a>)>> {
    let mut out: HashMap<&str, Vec<(usize, Node)>> = HashMap::new();
    for &a in &function.scope.assignments {
        if let Some(left) = a
            .child_by_field_name("left")
            .filter(|l| l.kind() == "identifier")
        {
            out.entry(cx.text(left))
                .or_default()
                .push((a.end_byte(), a));
        }
    }
    for ends in out.values_mut() {
        ends.sort_by_key(|(end, _)| *end);
    }
    out
}

/// `name = ...` (other than its annotated declaration) before `offset`.
fn reassigned_before(
    assigned: &HashMap<&str, Vec<(usize, Node)>>,
    name: &str,
    offset: usize,
    declaration: Option<Node>,
) -> bool {
    assigned.get(name).is_some_and(|ends| {
        ends.iter()
            .take_while(|(end, _)| *end <= offset)
            .any(|(_, a)| Some(*a) != declaration)
    })
}

/// `self.<attr>` annotated `C | None` in the class body (`attr: C | None`)
/// or in a method (`self.attr: C | None = ...`).
fn annotated_attributes<'a>(cx: &Checker<'a>, class: &Class<'a>) -> HashMap<&'a str, String> {
    let mut out = HashMap::new();
    for attr in &class.attributes {
        if let Some(c) = attr.annotation.and_then(|a| optional_class(cx, a)) {
            out.insert(attr.name, c);
        }
    }
    for method in cx.module.methods(class) {
        let Some(receiver) = method.receiver() else {
            continue;
        };
        for &assignment in &method.scope.assignments {
            let (Some(left), Some(annotation)) = (
                assignment.child_by_field_name("left"),
                assignment.child_by_field_name("type"),
            ) else {
                continue;
            };
            if let (Some(name), Some(c)) = (
                util::self_attribute(cx, left, receiver),
                optional_class(cx, annotation),
            ) {
                out.insert(name, c);
            }
        }
    }
    out
}

/// `C | None`, `None | C`, `Optional[C]`, `Union[C, None]`, quoted or not
/// -> `C` (without type arguments).
fn optional_class(cx: &Checker, annotation: Node) -> Option<String> {
    let text = cx.text(annotation).trim();
    let inner = optional_inner(cx, unquote(text))?;
    let inner = unquote(inner.trim());
    let name = inner.split('[').next()?.trim();
    let valid = !name.is_empty()
        && name
            .split('.')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_alphanumeric() || c == '_'));
    (valid && name != "None").then(|| name.to_string())
}

fn unquote(text: &str) -> &str {
    for q in ["\"", "'"] {
        if let Some(inner) = text.strip_prefix(q).and_then(|t| t.strip_suffix(q)) {
            return inner;
        }
    }
    text
}

fn optional_inner<'t>(cx: &Checker, text: &'t str) -> Option<&'t str> {
    let parts = split_top_level(text, '|');
    if parts.len() == 2 {
        let (a, b) = (parts[0].trim(), parts[1].trim());
        return match (unquote(a) == "None", unquote(b) == "None") {
            (true, false) => Some(b),
            (false, true) => Some(a),
            _ => None,
        };
    }
    let open = text.find('[')?;
    let head = text[..open].trim();
    let args = text[open + 1..].strip_suffix(']')?;
    match cx.module.qualified_name(head).as_str() {
        "typing.Optional" | "typing_extensions.Optional" => {
            (split_top_level(args, ',').len() == 1).then_some(args)
        }
        "typing.Union" | "typing_extensions.Union" => {
            let parts = split_top_level(args, ',');
            if parts.len() != 2 {
                return None;
            }
            let (a, b) = (parts[0].trim(), parts[1].trim());
            match (unquote(a) == "None", unquote(b) == "None") {
                (true, false) => Some(b),
                (false, true) => Some(a),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Split at `sep` outside brackets.
fn split_top_level(text: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth -= 1,
            c if c == sep && depth == 0 => {
                parts.push(&text[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}
