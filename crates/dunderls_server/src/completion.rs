//! Completion of special methods after `def __` in a class body.
//!
//! Works on the text alone (the line being typed is usually not valid
//! Python yet): the enclosing class is found by indentation, its existing
//! methods and class attributes by scanning its body lines.

use crate::knowledge::{self, MethodInfo};

/// One proposed method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub name: &'static str,
    /// Replaces `replace` (byte range of the partial name).
    pub snippet: String,
    /// The same text without snippet placeholders.
    pub plain: String,
    pub detail: String,
    pub documentation: String,
    pub rank: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub replace: std::ops::Range<usize>,
    pub candidates: Vec<Candidate>,
}

/// What we learn about the class around the cursor.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ClassContext {
    pub name: String,
    /// Methods and class attributes already defined, in source order.
    pub defined: Vec<String>,
    /// `self.<name> = ...` targets, in order of first appearance.
    pub fields: Vec<String>,
}

fn indent_width(line: &str) -> usize {
    line.chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .map(|c| if c == '\t' { 8 } else { 1 })
        .sum()
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim_start();
    t.is_empty() || t.starts_with('#')
}

fn def_name(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let t = t.strip_prefix("async").map(str::trim_start).unwrap_or(t);
    let rest = t.strip_prefix("def")?;
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let rest = rest.trim_start();
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

fn assigned_name(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let end = t
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(t.len());
    let (name, rest) = t.split_at(end);
    let rest = rest.trim_start();
    (!name.is_empty()
        && (rest.starts_with('=') && !rest.starts_with("==") || rest.starts_with(':')))
    .then_some(name)
}

/// Find the class whose body contains line `line_no` (the line being
/// typed, indented by `indent`).
pub fn class_context(lines: &[&str], line_no: usize, indent: usize) -> Option<ClassContext> {
    let mut header = None;
    for i in (0..line_no).rev() {
        let l = lines[i];
        if is_blank_or_comment(l) {
            continue;
        }
        let w = indent_width(l);
        if w < indent {
            let t = l.trim_start();
            if let Some(rest) = t.strip_prefix("class") {
                if rest.starts_with([' ', '\t']) {
                    let name: String = rest
                        .trim_start()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    header = Some((i, w, name));
                }
            }
            break;
        }
    }
    let (header_line, class_indent, name) = header?;
    let mut ctx = ClassContext {
        name,
        ..ClassContext::default()
    };
    let mut body_indent = None;
    for (i, l) in lines.iter().enumerate().skip(header_line + 1) {
        if i == line_no || is_blank_or_comment(l) {
            continue;
        }
        let w = indent_width(l);
        if w <= class_indent {
            break;
        }
        let body = *body_indent.get_or_insert(w);
        if w == body {
            if let Some(n) = def_name(l).or_else(|| assigned_name(l)) {
                if !ctx.defined.iter().any(|d| d == n) {
                    ctx.defined.push(n.to_string());
                }
            }
        }
        let mut rest = *l;
        while let Some(i) = rest.find("self.") {
            let after = &rest[i + 5..];
            let end = after
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            let name = &after[..end];
            let tail = after[end..].trim_start();
            let preceded_ok = i == 0
                || !rest[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.');
            if preceded_ok
                && !name.is_empty()
                && tail.starts_with('=')
                && !tail.starts_with("==")
                && !ctx.fields.iter().any(|f| f == name)
            {
                ctx.fields.push(name.to_string());
            }
            rest = &after[end..];
        }
    }
    Some(ctx)
}

/// Methods worth proposing next to ones already defined, best first, with
/// a tier: 0 completes a protocol (`__eq__` -> `__hash__`), 1 is merely
/// commonly written alongside (`__init__` -> `__repr__`).
fn companions(name: &str) -> Vec<(&'static str, usize)> {
    let (tier, fixed): (usize, &[&'static str]) = match name {
        "__eq__" => (0, &["__hash__"]),
        "__hash__" => (0, &["__eq__"]),
        "__enter__" => (0, &["__exit__"]),
        "__exit__" => (0, &["__enter__"]),
        "__aenter__" => (0, &["__aexit__"]),
        "__aexit__" => (0, &["__aenter__"]),
        "__getitem__" => (
            0,
            &[
                "__len__",
                "__iter__",
                "__contains__",
                "__setitem__",
                "__delitem__",
            ],
        ),
        "__setitem__" => (0, &["__getitem__", "__delitem__", "__len__"]),
        "__delitem__" => (0, &["__getitem__", "__setitem__"]),
        "__len__" => (0, &["__getitem__", "__iter__", "__contains__", "__bool__"]),
        "__iter__" => (0, &["__next__", "__len__", "__contains__"]),
        "__next__" => (0, &["__iter__"]),
        "__aiter__" => (0, &["__anext__"]),
        "__anext__" => (0, &["__aiter__"]),
        "__get__" => (0, &["__set__", "__set_name__", "__delete__"]),
        "__set__" => (0, &["__get__", "__set_name__", "__delete__"]),
        "__delete__" => (0, &["__get__", "__set__"]),
        "__set_name__" => (0, &["__get__", "__set__"]),
        "__lt__" => (0, &["__le__", "__gt__", "__ge__", "__eq__"]),
        "__le__" => (0, &["__lt__", "__gt__", "__ge__", "__eq__"]),
        "__gt__" => (0, &["__lt__", "__ge__", "__le__", "__eq__"]),
        "__ge__" => (0, &["__le__", "__lt__", "__gt__", "__eq__"]),
        "__getstate__" => (0, &["__setstate__"]),
        "__setstate__" => (0, &["__getstate__"]),
        "__new__" => (1, &["__init__"]),
        "__init__" => (1, &["__repr__", "__eq__"]),
        "__repr__" => (1, &["__str__"]),
        "__getattr__" => (1, &["__setattr__", "__dir__"]),
        "__setattr__" => (1, &["__getattr__", "__delattr__"]),
        _ => (1, &[]),
    };
    let mut out: Vec<(&'static str, usize)> = fixed.iter().map(|n| (*n, tier)).collect();
    if let Some(info) = knowledge::lookup(name) {
        // Operators: the reflected and in-place twins complete the protocol.
        out.extend(
            info.reflected
                .into_iter()
                .chain(info.inplace)
                .chain(info.forward)
                .map(|n| (n, 0)),
        );
    }
    out
}

/// Commonly written methods, for classes with nothing to go on.
const POPULAR: &[&str] = &[
    "__init__",
    "__repr__",
    "__eq__",
    "__hash__",
    "__str__",
    "__len__",
    "__iter__",
    "__getitem__",
    "__contains__",
    "__enter__",
    "__exit__",
    "__call__",
    "__lt__",
    "__bool__",
];

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '$' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A body line: literal text or a placeholder with its default.
enum Part {
    Text(String),
    Hole(usize, String),
}

fn body_parts(info: &MethodInfo, ctx: &ClassContext) -> Vec<Vec<Part>> {
    use Part::*;
    let fields: Vec<&str> = ctx.fields.iter().map(String::as_str).take(4).collect();
    let cls = if ctx.name.is_empty() {
        "type(self)".to_string()
    } else {
        ctx.name.clone()
    };
    let tuple = |prefix: &str| -> String {
        match fields.len() {
            0 => format!("{prefix}.value"),
            1 => format!("{prefix}.{}", fields[0]),
            _ => format!(
                "({})",
                fields
                    .iter()
                    .map(|f| format!("{prefix}.{f}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    };
    match info.name {
        "__eq__" | "__ne__" | "__lt__" | "__le__" | "__gt__" | "__ge__" => {
            let op = match info.name {
                "__eq__" => "==",
                "__ne__" => "!=",
                "__lt__" => "<",
                "__le__" => "<=",
                "__gt__" => ">",
                _ => ">=",
            };
            vec![
                vec![
                    Text("if not isinstance(other, ".into()),
                    Hole(1, cls),
                    Text("):".into()),
                ],
                vec![Text("    return NotImplemented".into())],
                vec![
                    Text("return ".into()),
                    Hole(2, format!("{} {op} {}", tuple("self"), tuple("other"))),
                ],
            ]
        }
        "__hash__" => {
            let fields_tuple = match fields.len() {
                0 => "(self.value,)".to_string(),
                1 => format!("(self.{},)", fields[0]),
                _ => tuple("self"),
            };
            vec![vec![
                Text("return hash(".into()),
                Hole(1, fields_tuple),
                Text(")".into()),
            ]]
        }
        "__repr__" => {
            let inner = fields
                .iter()
                .map(|f| format!("{f}={{self.{f}!r}}"))
                .collect::<Vec<_>>()
                .join(", ");
            vec![vec![Text(format!(
                "return f\"{{type(self).__name__}}({inner})\""
            ))]]
        }
        "__str__" => vec![vec![Text("return ".into()), Hole(1, "repr(self)".into())]],
        "__enter__" | "__aenter__" | "__iter__" | "__aiter__" => {
            vec![vec![Text("return self".into())]]
        }
        "__exit__" | "__aexit__" => vec![vec![Hole(1, "return None".into())]],
        "__init__" => vec![vec![Hole(1, "pass".into())]],
        "__len__" => vec![vec![Text("return ".into()), Hole(1, "0".into())]],
        "__bool__" => vec![vec![Text("return ".into()), Hole(1, "True".into())]],
        "__contains__" => vec![vec![Text("return ".into()), Hole(1, "False".into())]],
        "__getitem__" => vec![vec![Hole(1, "raise KeyError(key)".into())]],
        "__getattr__" => vec![vec![Hole(1, "raise AttributeError(name)".into())]],
        "__next__" | "__anext__" => vec![vec![Hole(
            1,
            if info.name == "__next__" {
                "raise StopIteration"
            } else {
                "raise StopAsyncIteration"
            }
            .into(),
        )]],
        "__get__" => vec![
            vec![Text("if instance is None:".into())],
            vec![Text("    return self".into())],
            vec![Hole(1, "raise NotImplementedError".into())],
        ],
        "__set_name__" => vec![vec![Text("self.name = name".into())]],
        "__init_subclass__" => vec![vec![Text("super().__init_subclass__(**kwargs)".into())]],
        _ => {
            if let Some(forward) = info.forward.filter(|_| info.name.starts_with("__r")) {
                if matches!(
                    forward,
                    "__add__" | "__mul__" | "__and__" | "__or__" | "__xor__"
                ) {
                    return vec![vec![Text(format!("return self.{forward}(other)"))]];
                }
            }
            if info.forward.is_some() && info.name.starts_with("__i") {
                return vec![
                    vec![Hole(1, "raise NotImplementedError".into())],
                    vec![Text("return self".into())],
                ];
            }
            if info.reflected.is_some() {
                return vec![
                    vec![
                        Text("if not isinstance(other, ".into()),
                        Hole(1, cls),
                        Text("):".into()),
                    ],
                    vec![Text("    return NotImplemented".into())],
                    vec![Hole(2, "raise NotImplementedError".into())],
                ];
            }
            if info.returns.trim() == "None" {
                vec![vec![Hole(1, "pass".into())]]
            } else {
                vec![vec![Hole(1, "raise NotImplementedError".into())]]
            }
        }
    }
}

/// The text inserted for a method: `name(params) -> R:` and an indented
/// body. `indent` is the `def` line's indentation, `unit` one level.
fn render(
    info: &MethodInfo,
    ctx: &ClassContext,
    indent: &str,
    unit: &str,
    newline: &str,
) -> (String, String) {
    let signature = info.signature.trim_start_matches("async ");
    let mut snippet = format!("{}:", escape(signature));
    let mut plain = format!("{signature}:");
    for line in body_parts(info, ctx) {
        snippet.push_str(newline);
        plain.push_str(newline);
        snippet.push_str(indent);
        snippet.push_str(unit);
        plain.push_str(indent);
        plain.push_str(unit);
        for part in line {
            match part {
                Part::Text(t) => {
                    snippet.push_str(&escape(&t));
                    plain.push_str(&t);
                }
                Part::Hole(n, default) => {
                    snippet.push_str(&format!("${{{n}:{}}}", escape(&default)));
                    plain.push_str(&default);
                }
            }
        }
    }
    snippet.push_str("$0");
    (snippet, plain)
}

/// Complete at byte `offset` of `text`, if the cursor is at `def <name>`
/// directly in a class body.
pub fn complete(text: &str, offset: usize) -> Option<Completion> {
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return None;
    }
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    let trimmed = before.trim_start();
    let indent_str = &before[..before.len() - trimmed.len()];
    let after_async = trimmed
        .strip_prefix("async")
        .filter(|r| r.starts_with([' ', '\t']))
        .map(str::trim_start)
        .unwrap_or(trimmed);
    let partial = after_async.strip_prefix("def")?;
    if !partial.starts_with([' ', '\t']) {
        return None;
    }
    let partial = partial.trim_start();
    if !partial.chars().all(|c| c.is_alphanumeric() || c == '_')
        || !(partial.is_empty() || partial.starts_with('_'))
    {
        return None;
    }
    let lines: Vec<&str> = text
        .split_inclusive('\n')
        .map(|l| l.trim_end_matches(['\n', '\r']))
        .collect();
    let line_no = text[..line_start].matches('\n').count();
    let ctx = class_context(&lines, line_no, indent_width(indent_str))?;
    let unit = if indent_str.contains('\t') {
        "\t"
    } else {
        "    "
    };
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    // Rank: companions of existing methods (protocol completers before
    // habits; closer in the companion list first; the most recently
    // written method first), then popular ones, then the data model order.
    let mut scored: Vec<((usize, usize, usize), &'static str)> = Vec::new();
    for (def_index, existing) in ctx.defined.iter().enumerate() {
        for (i, (c, tier)) in companions(existing).into_iter().enumerate() {
            scored.push(((tier, i, ctx.defined.len() - def_index), c));
        }
    }
    scored.sort();
    let mut ranked: Vec<&'static str> = Vec::new();
    for (_, c) in scored {
        if !ranked.contains(&c) {
            ranked.push(c);
        }
    }
    for p in POPULAR {
        if !ranked.contains(p) {
            ranked.push(p);
        }
    }
    let mut candidates = Vec::new();
    for info in knowledge::all() {
        let is_method = info
            .signature
            .trim_start_matches("async ")
            .starts_with(&format!("{}(", info.name));
        // (The client filters by what is typed; the server only removes
        // what does not fit the class.)
        if !is_method || ctx.defined.iter().any(|d| d == info.name) {
            continue;
        }
        let rank = ranked
            .iter()
            .position(|r| *r == info.name)
            .unwrap_or(ranked.len() + candidates.len());
        let (snippet, plain) = render(info, &ctx, indent_str, unit, newline);
        candidates.push(Candidate {
            name: info.name,
            snippet,
            plain,
            detail: format!("{} — {}", info.signature, info.protocol),
            documentation: knowledge::hover_markdown(info),
            rank,
        });
    }
    candidates.sort_by_key(|c| c.rank);
    for (i, c) in candidates.iter_mut().enumerate() {
        c.rank = i;
    }
    Some(Completion {
        replace: offset - partial.len()..offset,
        candidates,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_end(text: &str) -> Option<Completion> {
        complete(text, text.len())
    }

    #[test]
    fn after_eq_offers_hash_first_and_not_eq() {
        let src = "class Money:\n    def __init__(self, amount, currency):\n        self.amount = amount\n        self.currency = currency\n\n    def __eq__(self, other):\n        return True\n\n    def __";
        let c = at_end(src).expect("completion");
        assert_eq!(c.candidates[0].name, "__hash__");
        assert!(!c
            .candidates
            .iter()
            .any(|x| x.name == "__eq__" || x.name == "__init__"));
        assert_eq!(&src[c.replace.clone()], "__");
        let hash = &c.candidates[0];
        assert_eq!(
            hash.plain,
            "__hash__(self) -> int:\n        return hash((self.amount, self.currency))"
        );
        assert!(
            hash.snippet.contains("${1:(self.amount, self.currency)}"),
            "{}",
            hash.snippet
        );
    }

    #[test]
    fn eq_snippet_checks_isinstance_and_returns_notimplemented() {
        let src = "class P:\n    x = 1\n    def __";
        let c = at_end(src).expect("completion");
        let eq = c
            .candidates
            .iter()
            .find(|x| x.name == "__eq__")
            .expect("__eq__");
        assert!(eq.plain.starts_with("__eq__(self, other: object) -> bool:\n        if not isinstance(other, P):\n            return NotImplemented\n        return "), "{}", eq.plain);
        assert!(eq.snippet.contains("${1:P}"));
        let repr = c
            .candidates
            .iter()
            .find(|x| x.name == "__repr__")
            .expect("__repr__");
        assert!(
            repr.snippet.contains("\\}"),
            "braces are escaped: {}",
            repr.snippet
        );
    }

    #[test]
    fn ranking_follows_companions() {
        let first = |src: &str| at_end(src).map(|c| c.candidates[0].name);
        assert_eq!(
            first("class C:\n    def __enter__(self):\n        return self\n    def __"),
            Some("__exit__")
        );
        assert_eq!(
            first("class C:\n    def __getitem__(self, k):\n        return k\n    def __"),
            Some("__len__")
        );
        assert_eq!(
            first("class C:\n    def __add__(self, o):\n        return self\n    def __"),
            Some("__radd__")
        );
        // __hash__ = None counts as defined.
        let c = at_end("class C:\n    __hash__ = None\n    def __eq__(self, o):\n        return True\n    def __").expect("c");
        assert!(!c.candidates.iter().any(|x| x.name == "__hash__"));
        // Methods defined below the cursor count too.
        let src = "class C:\n    def __\n    def __exit__(self, *a):\n        pass\n";
        let offset = src.find("def __\n").map(|i| i + 6).expect("offset");
        let c = complete(src, offset).expect("c");
        assert_eq!(c.candidates[0].name, "__enter__");
    }

    #[test]
    fn only_directly_in_a_class_body() {
        assert!(at_end("def __").is_none());
        assert!(at_end("class C:\n    def f(self):\n        def __").is_none());
        assert!(at_end("class C:\n    x = de").is_none());
        assert!(at_end("class C:\n    async def __").is_some());
        let c = at_end("class C:\n\tdef __").expect("tabs");
        assert!(
            c.candidates[0].plain.contains("\n\t\t"),
            "{}",
            c.candidates[0].plain
        );
    }
}
