//! Small helpers over tree-sitter nodes shared by the model and the rules.

use tree_sitter::Node;

pub fn text<'a>(source: &'a str, node: Node) -> &'a str {
    source.get(node.byte_range()).unwrap_or("")
}

/// `functools.total_ordering` matches `total_ordering` and
/// `functools.total_ordering`; `x.total_ordering` does not match a dotted
/// pattern.
pub fn name_matches(name: &str, pattern: &str) -> bool {
    if name == pattern {
        return true;
    }
    match pattern.rsplit_once('.') {
        Some((_, last)) => name == last,
        None => name.rsplit('.').next() == Some(pattern) && !name.contains('.'),
    }
}

/// Skip parentheses: `((x))` -> `x`.
pub fn unparenthesize(mut node: Node) -> Node {
    while node.kind() == "parenthesized_expression" {
        match node.named_child(0) {
            Some(inner) => node = inner,
            None => break,
        }
    }
    node
}

/// The dotted-name text of an identifier or attribute chain, else None.
pub fn dotted_name<'a>(source: &'a str, node: Node) -> Option<&'a str> {
    let mut cur = node;
    loop {
        match cur.kind() {
            "identifier" => return Some(text(source, node)),
            "attribute" => cur = cur.child_by_field_name("object")?,
            _ => return None,
        }
    }
}

/// For a `call` node: the callee's dotted name (`self.db.query`, `len`).
pub fn callee_name<'a>(source: &'a str, call: Node) -> Option<&'a str> {
    dotted_name(source, call.child_by_field_name("function")?)
}

/// The last component of the callee: `self.session.query(...)` -> `query`.
pub fn callee_last<'a>(source: &'a str, call: Node) -> Option<&'a str> {
    let function = call.child_by_field_name("function")?;
    match function.kind() {
        "identifier" => Some(text(source, function)),
        "attribute" => Some(text(source, function.child_by_field_name("attribute")?)),
        _ => None,
    }
}

/// Positional argument nodes of a call (skipping keywords and splats).
pub fn positional_args<'a>(call: Node<'a>) -> Vec<Node<'a>> {
    let Some(args) = call.child_by_field_name("arguments") else {
        return Vec::new();
    };
    let mut cursor = args.walk();
    args.named_children(&mut cursor)
        .filter(|n| {
            !matches!(
                n.kind(),
                "keyword_argument" | "list_splat" | "dictionary_splat" | "comment"
            )
        })
        .collect()
}

/// Keyword arguments of a call as (name, value).
pub fn keyword_args<'a>(source: &'a str, call: Node<'a>) -> Vec<(&'a str, Node<'a>)> {
    let Some(args) = call.child_by_field_name("arguments") else {
        return Vec::new();
    };
    let mut cursor = args.walk();
    args.named_children(&mut cursor)
        .filter(|n| n.kind() == "keyword_argument")
        .filter_map(|n| {
            Some((
                text(source, n.child_by_field_name("name")?),
                n.child_by_field_name("value")?,
            ))
        })
        .collect()
}

/// The value of a string literal without prefix and quotes, when it has no
/// interpolation.
pub fn string_value<'a>(source: &'a str, node: Node) -> Option<&'a str> {
    if node.kind() != "string" {
        return None;
    }
    let mut cursor = node.walk();
    let mut content = None;
    for child in node.named_children(&mut cursor) {
        match child.kind() {
            "string_start" | "string_end" => {}
            "string_content" if content.is_none() => content = Some(text(source, child)),
            _ => return None,
        }
    }
    Some(content.unwrap_or(""))
}

/// The statements of a `block` node.
pub fn statements<'a>(block: Node<'a>) -> Vec<Node<'a>> {
    let mut cursor = block.walk();
    block
        .named_children(&mut cursor)
        .filter(|n| n.kind() != "comment")
        .collect()
}

/// A body that is only a docstring, `pass`, `...` and/or
/// `raise NotImplementedError[(...)]`.
pub fn is_stub_body(source: &str, body: Node) -> bool {
    statements(body).iter().all(|stmt| match stmt.kind() {
        "pass_statement" => true,
        "expression_statement" => stmt
            .named_child(0)
            .is_some_and(|e| matches!(e.kind(), "string" | "ellipsis")),
        "raise_statement" => {
            let t = text(source, *stmt);
            t.contains("NotImplementedError")
        }
        _ => false,
    })
}

/// Iterate the subtree of `node` in pre-order without recursion, not
/// descending into nested functions, classes or lambdas when `same_scope`.
pub fn descendants<'a>(node: Node<'a>, same_scope: bool) -> impl Iterator<Item = Node<'a>> {
    // One cursor for the whole walk: no allocation per node.
    let mut cursor = node.walk();
    let mut finished = false;
    std::iter::from_fn(move || loop {
        if finished {
            return None;
        }
        let current = cursor.node();
        let named = current.is_named() || current == node;
        let nested = current != node
            && same_scope
            && matches!(
                current.kind(),
                "function_definition" | "class_definition" | "lambda"
            );
        // Step to the next node in pre-order, not below `node`.
        if nested || !named || !cursor.goto_first_child() {
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    finished = true;
                    break;
                }
            }
        }
        if named {
            return Some(current);
        }
    })
}

/// True if `node` is the identifier `name`.
pub fn is_identifier(source: &str, node: Node, name: &str) -> bool {
    node.kind() == "identifier" && text(source, node) == name
}

/// `isinstance(<subject>, <types>)`: the type names tested, when `call` is
/// such a call.
pub fn isinstance_types<'a>(source: &'a str, call: Node<'a>) -> Option<(Node<'a>, Vec<&'a str>)> {
    if call.kind() != "call" || callee_name(source, call)? != "isinstance" {
        return None;
    }
    let args = positional_args(call);
    let (subject, types) = (args.first()?, args.get(1)?);
    let types = unparenthesize(*types);
    let names = if types.kind() == "tuple" {
        let mut cursor = types.walk();
        types
            .named_children(&mut cursor)
            .filter_map(|t| dotted_name(source, t))
            .collect()
    } else {
        dotted_name(source, types).into_iter().collect()
    };
    Some((*subject, names))
}
