//! "Can control reach the end of this block?" for statement-level flow.
//!
//! Recursion here follows statement nesting only, which Python itself caps
//! at 100 indentation levels; deeper (syntactically invalid) nesting is cut
//! off and answered "does not fall through" so that no rule fires on it.

use tree_sitter::Node;

use crate::syntax::{self, text};

const MAX_DEPTH: usize = 120;

pub fn block_falls_through(source: &str, block: Node) -> bool {
    !block_terminates(source, block, 0)
}

fn block_terminates(source: &str, block: Node, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return true;
    }
    syntax::statements(block)
        .iter()
        .any(|s| statement_terminates(source, *s, depth + 1))
}

fn body_terminates(source: &str, node: Node, field: &str, depth: usize) -> bool {
    node.child_by_field_name(field)
        .is_some_and(|b| block_terminates(source, b, depth))
}

fn statement_terminates(source: &str, stmt: Node, depth: usize) -> bool {
    match stmt.kind() {
        "return_statement" | "raise_statement" => true,
        "if_statement" => {
            if !body_terminates(source, stmt, "consequence", depth) {
                return false;
            }
            let mut has_else = false;
            let mut cursor = stmt.walk();
            for alt in stmt.children_by_field_name("alternative", &mut cursor) {
                has_else |= alt.kind() == "else_clause";
                let field = if alt.kind() == "else_clause" {
                    "body"
                } else {
                    "consequence"
                };
                if !body_terminates(source, alt, field, depth) {
                    return false;
                }
            }
            has_else
        }
        "try_statement" => try_terminates(source, stmt, depth),
        "with_statement" => body_terminates(source, stmt, "body", depth),
        "while_statement" => {
            let infinite = stmt
                .child_by_field_name("condition")
                .is_some_and(|c| matches!(text(source, c), "True" | "1"));
            infinite && !stmt.child_by_field_name("body").is_some_and(has_break)
        }
        "match_statement" => match_terminates(source, stmt, depth),
        "expression_statement" => stmt.named_child(0).is_some_and(|e| {
            e.kind() == "call"
                && syntax::callee_name(source, e).is_some_and(|n| {
                    matches!(n, "sys.exit" | "os._exit" | "exit" | "quit" | "os.abort")
                })
        }),
        "assert_statement" => stmt
            .named_child(0)
            .is_some_and(|c| text(source, c) == "False"),
        _ => false,
    }
}

fn try_terminates(source: &str, stmt: Node, depth: usize) -> bool {
    let mut cursor = stmt.walk();
    let children: Vec<_> = stmt.named_children(&mut cursor).collect();
    let finally_ends = children
        .iter()
        .filter(|c| c.kind() == "finally_clause")
        .any(|c| {
            c.named_children(&mut c.walk())
                .any(|b| b.kind() == "block" && block_terminates(source, b, depth))
        });
    if finally_ends {
        return true;
    }
    fn clause_block(c: Node) -> Option<Node> {
        let mut cur = c.walk();
        let found = c
            .named_children(&mut cur)
            .filter(|b| b.kind() == "block")
            .last();
        found
    }
    let body_ends = body_terminates(source, stmt, "body", depth);
    let else_ends = children
        .iter()
        .filter(|c| c.kind() == "else_clause")
        .any(|c| body_terminates(source, *c, "body", depth));
    let handlers_end = children
        .iter()
        .filter(|c| matches!(c.kind(), "except_clause" | "except_group_clause"))
        .all(|c| clause_block(*c).is_some_and(|b| block_terminates(source, b, depth)));
    (body_ends || else_ends) && handlers_end
}

fn match_terminates(source: &str, stmt: Node, depth: usize) -> bool {
    let Some(body) = stmt.child_by_field_name("body") else {
        return false;
    };
    let mut cursor = body.walk();
    let cases: Vec<_> = body
        .named_children(&mut cursor)
        .filter(|c| c.kind() == "case_clause")
        .collect();
    let Some(last) = cases.last() else {
        return false;
    };
    let irrefutable = last.child_by_field_name("guard").is_none()
        && last.named_child(0).is_some_and(|p| {
            p.kind() == "case_pattern" && {
                let t = text(source, p);
                t == "_"
                    || t.chars().all(|ch| ch.is_alphanumeric() || ch == '_')
                        && t.chars().next().is_some_and(|ch| !ch.is_ascii_digit())
            }
        });
    irrefutable
        && cases
            .iter()
            .all(|c| body_terminates(source, *c, "consequence", depth))
}

/// A `break` that belongs to this loop (not to a nested one).
fn has_break(body: Node) -> bool {
    let mut stack = vec![body];
    while let Some(node) = stack.pop() {
        if node.kind() == "break_statement" {
            return true;
        }
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            if !matches!(
                child.kind(),
                "for_statement" | "while_statement" | "function_definition" | "class_definition"
            ) {
                stack.push(child);
            }
        }
    }
    false
}
