//! Facts shared by the repr rules (DUN3xx): where a `__repr__`/`__str__`/
//! `__format__` turns a value into text, and which calls do I/O.

use crate::rules::containers::util as containers;
use crate::rules::prelude::*;

/// How a value is turned into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Conversion {
    /// `repr(x)`, `f"{x!r}"`, `"%r" % x`, `"{!r}".format(x)`, `f"{x=}"`.
    Repr,
    /// `str(x)`, `f"{x!s}"`, `"%s" % x`, `"{!s}".format(x)`.
    Str,
    /// `format(x, spec)`, `f"{x}"`, `f"{x:spec}"`, `"{}".format(x)`: calls
    /// `type(x).__format__(x, spec)`; with an empty spec `object.__format__`
    /// returns `str(x)`.
    Format { spec: bool },
}

/// One place where a function formats a value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Formatted<'a> {
    /// The formatted expression (unparenthesized).
    pub value: Node<'a>,
    pub conversion: Conversion,
    /// The narrowest node that shows the formatting: the f-string
    /// interpolation, the call, or the `%` operator.
    pub site: Node<'a>,
    /// For an f-string interpolation: its `!r`/`!s` conversion node.
    pub conversion_node: Option<Node<'a>>,
}

/// Every value the function formats, in source order: f-string
/// interpolations, `%` formatting with a literal template, `.format()` on a
/// literal, and `repr()`/`str()`/`ascii()`/`format()`/`pprint.pformat()`.
pub(crate) fn formatted_values<'a>(
    cx: &Checker<'a>,
    function: &Function<'a>,
) -> Vec<Formatted<'a>> {
    let mut out = Vec::new();
    for &string in &function.scope.strings {
        interpolations(cx, string, &mut out);
    }
    for &op in &function.scope.binary_operators {
        percent_format(cx, op, &mut out);
    }
    for &call in &function.scope.calls {
        format_method(cx, call, &mut out);
        builtin_conversion(cx, call, &mut out);
    }
    out.sort_by_key(|f| f.site.start_byte());
    out
}

fn interpolations<'a>(cx: &Checker<'a>, string: Node<'a>, out: &mut Vec<Formatted<'a>>) {
    let mut cursor = string.walk();
    for child in string.named_children(&mut cursor) {
        if child.kind() != "interpolation" {
            continue;
        }
        let Some(value) = child.child_by_field_name("expression") else {
            continue;
        };
        let conversion_node = child.child_by_field_name("type_conversion");
        let spec = child
            .child_by_field_name("format_specifier")
            .is_some_and(|s| cx.text(s).trim_start_matches(':').trim() != "");
        let debug = {
            let mut c = child.walk();
            let found = child
                .children(&mut c)
                .any(|n| !n.is_named() && n.kind() == "=");
            found
        };
        let conversion = match conversion_node.map(|c| cx.text(c)) {
            Some("!r") | Some("!a") => Conversion::Repr,
            Some("!s") => Conversion::Str,
            _ if debug && !spec => Conversion::Repr,
            _ => Conversion::Format { spec },
        };
        out.push(Formatted {
            value: syntax::unparenthesize(value),
            conversion,
            site: child,
            conversion_node,
        });
    }
}

/// The literal text of a string or implicitly concatenated strings without
/// interpolation.
fn literal_text(cx: &Checker, node: Node) -> Option<String> {
    let node = syntax::unparenthesize(node);
    match node.kind() {
        "string" => syntax::string_value(cx.source, node).map(str::to_string),
        "concatenated_string" => {
            let mut cursor = node.walk();
            let parts: Option<Vec<&str>> = node
                .named_children(&mut cursor)
                .filter(|n| n.kind() == "string")
                .map(|n| syntax::string_value(cx.source, n))
                .collect();
            parts.map(|p| p.concat())
        }
        _ => None,
    }
}

/// The conversions of a `%` template, in order; None when it uses mapping
/// keys (`%(name)s`) or `*` widths.
fn percent_conversions(template: &str) -> Option<Vec<char>> {
    let mut out = Vec::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            continue;
        }
        loop {
            match chars.next()? {
                '%' => break,
                '(' | '*' => return None,
                c if c.is_ascii_alphabetic() => {
                    out.push(c);
                    break;
                }
                _ => {}
            }
        }
    }
    Some(out)
}

fn percent_format<'a>(cx: &Checker<'a>, op: Node<'a>, out: &mut Vec<Formatted<'a>>) {
    if op
        .child_by_field_name("operator")
        .is_none_or(|o| cx.text(o) != "%")
    {
        return;
    }
    let (Some(left), Some(right)) = (
        op.child_by_field_name("left"),
        op.child_by_field_name("right"),
    ) else {
        return;
    };
    let Some(conversions) = literal_text(cx, left).and_then(|t| percent_conversions(&t)) else {
        return;
    };
    let right = syntax::unparenthesize(right);
    let values: Vec<Node> = if right.kind() == "tuple" {
        let mut cursor = right.walk();
        right
            .named_children(&mut cursor)
            .filter(|n| n.kind() != "comment")
            .collect()
    } else if conversions.len() == 1 {
        vec![right]
    } else {
        return;
    };
    for (value, conversion) in values.into_iter().zip(conversions) {
        let conversion = match conversion {
            'r' | 'a' => Conversion::Repr,
            's' => Conversion::Str,
            _ => continue,
        };
        out.push(Formatted {
            value: syntax::unparenthesize(value),
            conversion,
            site: op,
            conversion_node: None,
        });
    }
}

/// One `{...}` field of a `str.format` template.
struct Field {
    /// Positional index (explicit or automatic) or keyword name.
    key: Result<usize, String>,
    conversion: Option<char>,
    spec: bool,
}

fn format_fields(template: &str) -> Option<Vec<Field>> {
    let mut fields = Vec::new();
    let mut auto = 0;
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
            }
            '{' => {
                let mut body = String::new();
                let mut depth = 1;
                for c in chars.by_ref() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    body.push(c);
                }
                let (head, spec) = match body.split_once(':') {
                    Some((h, s)) => (h, !s.is_empty()),
                    None => (body.as_str(), false),
                };
                let (name, conversion) = match head.split_once('!') {
                    Some((n, conv)) => (n, conv.chars().next()),
                    None => (head, None),
                };
                // `{0.attr}` / `{0[key]}` format a part of the argument.
                if name.contains(['.', '[']) {
                    return None;
                }
                let key = if name.is_empty() {
                    auto += 1;
                    Ok(auto - 1)
                } else if let Ok(i) = name.parse::<usize>() {
                    Ok(i)
                } else {
                    Err(name.to_string())
                };
                fields.push(Field {
                    key,
                    conversion,
                    spec,
                });
            }
            _ => {}
        }
    }
    Some(fields)
}

fn format_method<'a>(cx: &Checker<'a>, call: Node<'a>, out: &mut Vec<Formatted<'a>>) {
    let Some(function) = call
        .child_by_field_name("function")
        .filter(|f| f.kind() == "attribute")
    else {
        return;
    };
    if function
        .child_by_field_name("attribute")
        .is_none_or(|a| cx.text(a) != "format")
    {
        return;
    }
    let Some(fields) = function
        .child_by_field_name("object")
        .and_then(|o| literal_text(cx, o))
        .and_then(|t| format_fields(&t))
    else {
        return;
    };
    let positional = syntax::positional_args(call);
    let keywords = syntax::keyword_args(cx.source, call);
    for field in fields {
        let value = match &field.key {
            Ok(i) => positional.get(*i).copied(),
            Err(name) => keywords.iter().find(|(k, _)| k == name).map(|(_, v)| *v),
        };
        let Some(value) = value else { continue };
        let conversion = match field.conversion {
            Some('r') | Some('a') => Conversion::Repr,
            Some('s') => Conversion::Str,
            _ => Conversion::Format { spec: field.spec },
        };
        out.push(Formatted {
            value: syntax::unparenthesize(value),
            conversion,
            site: call,
            conversion_node: None,
        });
    }
}

fn builtin_conversion<'a>(cx: &Checker<'a>, call: Node<'a>, out: &mut Vec<Formatted<'a>>) {
    let Some(callee) = syntax::callee_name(cx.source, call) else {
        return;
    };
    let args = syntax::positional_args(call);
    let Some(&first) = args.first() else {
        return;
    };
    let conversion = match cx.module.qualified_name(callee).as_str() {
        "repr" | "ascii" | "pprint.pformat" | "pprint.saferepr" => Conversion::Repr,
        "str" if args.len() == 1 => Conversion::Str,
        "format" => Conversion::Format {
            spec: args.len() > 1,
        },
        _ => return,
    };
    out.push(Formatted {
        value: syntax::unparenthesize(first),
        conversion,
        site: call,
        conversion_node: None,
    });
}

/// `self.<method>(...)` call: the method name, when the receiver matches.
pub(crate) fn self_method_call<'a>(
    cx: &Checker<'a>,
    call: Node<'a>,
    receiver: &str,
) -> Option<&'a str> {
    let function = call.child_by_field_name("function")?;
    if function.kind() != "attribute" {
        return None;
    }
    let object = function.child_by_field_name("object")?;
    let object = syntax::unparenthesize(object);
    let on_self = syntax::is_identifier(cx.source, object, receiver)
        || (object.kind() == "call"
            && syntax::callee_name(cx.source, object).is_some_and(|n| n == "type")
            && syntax::positional_args(object)
                .first()
                .is_some_and(|a| syntax::is_identifier(cx.source, *a, receiver)));
    on_self.then(|| {
        function
            .child_by_field_name("attribute")
            .map(|a| cx.text(a))
    })?
}

/// Module functions and prefixes that do I/O.
const IO_FUNCTIONS: &[&str] = &[
    "open",
    "io.open",
    "os.open",
    "input",
    "print",
    "os.system",
    "os.popen",
    "time.sleep",
    "urllib.request.urlopen",
];
const IO_PREFIXES: &[&str] = &[
    "requests.",
    "httpx.",
    "aiohttp.",
    "urllib.request.",
    "http.client.",
    "socket.",
    "subprocess.",
    "sqlite3.",
    "psycopg2.",
    "pymysql.",
    "redis.",
    "boto3.",
];
/// Method names that run a query or a network/file round-trip.
const IO_METHODS: &[&str] = &[
    "query",
    "execute",
    "executemany",
    "executescript",
    "fetchone",
    "fetchall",
    "fetchmany",
    "fetchval",
    "fetchrow",
    "scalar",
    "scalars",
    "refresh_from_db",
    "urlopen",
    "recv",
    "recvfrom",
    "sendall",
    "commit",
    "rollback",
    "read_text",
    "read_bytes",
];
/// Words (in snake_case or camelCase names) of loading calls.
const IO_WORDS: &[&str] = &[
    "query", "fetch", "load", "reload", "download", "refresh", "request",
];
/// Objects whose methods talk to a database or a remote service.
const IO_OBJECTS: &[&str] = &[
    "session",
    "db",
    "database",
    "conn",
    "connection",
    "cursor",
    "engine",
    "objects",
    "client",
    "api",
    "http",
    "redis",
];

/// The call performs a query or I/O, judging by its name: returns the
/// callee text for the message.
pub(crate) fn io_call<'a>(cx: &Checker<'a>, call: Node<'a>) -> Option<&'a str> {
    let function = call.child_by_field_name("function")?;
    let callee = cx.text(function);
    let last = syntax::callee_last(cx.source, call)?;
    if let Some(dotted) = syntax::callee_name(cx.source, call) {
        let qualified = cx.module.qualified_name(dotted);
        let local_def = !dotted.contains('.')
            && (cx.module.class_named(dotted).is_some()
                || cx.module.functions_named(dotted).any(|f| f.class.is_none()));
        if !local_def
            && (IO_FUNCTIONS.contains(&qualified.as_str())
                || IO_PREFIXES.iter().any(|p| qualified.starts_with(p)))
        {
            return Some(callee);
        }
        let path: Vec<&str> = dotted.split('.').collect();
        if path.len() > 1
            && path[..path.len() - 1]
                .iter()
                .any(|p| IO_OBJECTS.contains(&p.trim_start_matches('_')))
        {
            return Some(callee);
        }
    }
    if IO_METHODS.contains(&last) || words(last).iter().any(|w| IO_WORDS.contains(&w.as_str())) {
        return Some(callee);
    }
    None
}

/// `load_orders` -> [load, orders]; `fetchRows` -> [fetch, rows].
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in name.split('_').filter(|p| !p.is_empty()) {
        let mut current = String::new();
        for c in part.chars() {
            if c.is_uppercase() && !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            current.extend(c.to_lowercase());
        }
        if !current.is_empty() {
            out.push(current);
        }
    }
    out
}

/// The repr-like methods of a class (`__repr__`, `__str__`) that take the
/// instance and have a real body.
pub(crate) fn repr_methods<'m, 'a>(
    cx: &'m Checker<'a>,
    class: &'m Class<'a>,
) -> Vec<&'m Function<'a>> {
    ["__repr__", "__str__"]
        .iter()
        .filter_map(|name| cx.module.method(class, name))
        .filter(|f| !f.is_staticmethod() && !f.is_classmethod() && !containers::is_placeholder(f))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_and_format_templates() {
        assert_eq!(
            percent_conversions("%r and %s, 100%% %5.2f"),
            Some(vec!['r', 's', 'f'])
        );
        assert_eq!(percent_conversions("%(name)s"), None);
        let fields = format_fields("{} {!r} {x:>4} {{literal}} {2!s}").unwrap();
        assert_eq!(fields.len(), 4);
        assert_eq!(fields[0].key, Ok(0));
        assert_eq!(
            (fields[1].key.clone(), fields[1].conversion),
            (Ok(1), Some('r'))
        );
        assert_eq!(
            (fields[2].key.clone(), fields[2].spec),
            (Err("x".to_string()), true)
        );
        assert_eq!(fields[3].conversion, Some('s'));
        assert_eq!(
            words("loadRelated_orders"),
            vec!["load", "related", "orders"]
        );
    }
}
