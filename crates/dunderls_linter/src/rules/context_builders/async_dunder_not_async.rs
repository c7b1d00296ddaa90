use crate::hierarchy::Ancestor;
use crate::rules::class_creation::util::{qualified_method, return_value};
use crate::rules::prelude::*;

const DOCS: &str = r#"
## What it does
Flags `__aenter__`, `__aexit__` and `__anext__` defined with a plain `def`
that returns something that is not awaitable (nothing, `self`, a literal),
and an `async def __aiter__` without `yield` (a coroutine, not an async
iterator).

## Why is this a problem
`async with` awaits what `__aenter__` and `__aexit__` return, and
`async for` awaits what `__anext__` returns: a plain method returning
`self` or None fails with
`TypeError: 'async with' received an object from __aenter__ that does not implement __await__: Session`
(or `... from __aexit__ ...: NoneType`), and
`TypeError: 'async for' received an invalid object from __anext__: int`.
`__aiter__` is the opposite: it must return the async iterator directly. An
`async def __aiter__` returns a coroutine, and `async for` raises
`TypeError: 'async for' received an object from __aiter__ that does not implement __anext__: coroutine`.
An `async def __aiter__` that contains `yield` is an async generator and is
correct. Same messages on CPython 3.9 to 3.13.

## Scenario
The query DSL gets an async session: `async with db.session() as s:
await s.query(User).filter(id=1).all()`. The developer converts the class
method by method and misses one: `__aenter__` is still `def __aenter__(self):
return self`. Every request fails at the `async with` line, before a query
is built.

## Example
```python
import asyncio

class Session:
    def __aenter__(self):  # plain def: returns self, not an awaitable
        return self

    async def __aexit__(self, exc_type, exc, tb):
        return None

async def main():
    async with Session() as s:
        pass

asyncio.run(main())  # raises: TypeError: 'async with' received an object from __aenter__ that does not implement __await__: Session
```

## Use instead
```python
import asyncio

class Session:
    async def __aenter__(self):
        return self

    async def __aexit__(self, exc_type, exc, tb):
        return None

class Rows:
    def __init__(self, n):
        self.n = n

    def __aiter__(self):  # plain def, returns the async iterator
        return self

    async def __anext__(self):
        if self.n == 0:
            raise StopAsyncIteration
        self.n -= 1
        return self.n

async def main():
    async with Session() as s:
        return [row async for row in Rows(3)]

print(asyncio.run(main()))  # prints: [2, 1, 0]
```

## Fix
Adds `async` to a plain `__aenter__`/`__aexit__`/`__anext__` whose every
`return` is a non-awaitable value, or removes it from an `async def
__aiter__` that contains no `await`. Unsafe: callers that awaited the result
by hand, or called it directly, see a different object.

## References
- [Data model: Asynchronous Context Managers](https://docs.python.org/3/reference/datamodel.html#async-context-managers)
- [Data model: Asynchronous Iterators](https://docs.python.org/3/reference/datamodel.html#asynchronous-iterators)
- [PEP 492: Coroutines with async and await syntax](https://peps.python.org/pep-0492/)
- No peer rule in ruff or pylint.
"#;

pub(crate) static RULE: Rule = Rule {
    code: "DUN702",
    name: "async-dunder-not-async",
    group: Group::ContextBuilders,
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    aliases: &[],
    docs: DOCS,
    check,
};

fn check(cx: &Checker) {
    for f in &cx.module.functions {
        if f.class.is_none() || f.has_errors || f.is_stub() || !f.decorators.is_empty() {
            continue;
        }
        match f.name {
            "__aenter__" | "__aexit__" | "__anext__" if !f.is_async => plain_awaited(cx, f),
            "__aiter__" if f.is_async && f.scope.yields.is_empty() => async_aiter(cx, f),
            _ => {}
        }
    }
}

/// What a return path gives back, as far as awaiting goes.
#[derive(PartialEq)]
enum Returned {
    NotAwaitable,
    Maybe,
}

fn plain_awaited(cx: &Checker, f: &Function) {
    if !f.scope.yields.is_empty() {
        return;
    }
    let self_awaitable = self_may_be_awaitable(cx, f);
    let mut paths: Vec<Returned> = f
        .scope
        .returns
        .iter()
        .map(|r| classify(cx, f, return_value(*r), self_awaitable))
        .collect();
    if f.can_fall_off_end {
        paths.push(Returned::NotAwaitable);
    }
    if !paths.contains(&Returned::NotAwaitable) {
        return;
    }
    let statement = if f.name == "__anext__" {
        "async for"
    } else {
        "async with"
    };
    let message = format!(
        "`{}` is a plain `def` returning a non-awaitable: `{statement}` raises TypeError because it awaits the result; define it with `async def`",
        qualified_method(cx, f)
    );
    let fix = (!paths.contains(&Returned::Maybe)).then(|| {
        Fix::unsafe_(
            "Define it with `async def`",
            vec![Edit::insert(f.node.start_byte(), "async ")],
        )
    });
    cx.report_at(f.name_node.byte_range(), message, None, fix);
}

fn classify(cx: &Checker, f: &Function, value: Option<Node>, self_awaitable: bool) -> Returned {
    let Some(value) = value.map(syntax::unparenthesize) else {
        return Returned::NotAwaitable;
    };
    match value.kind() {
        "none"
        | "true"
        | "false"
        | "integer"
        | "float"
        | "string"
        | "concatenated_string"
        | "list"
        | "dictionary"
        | "tuple"
        | "set"
        | "list_comprehension"
        | "dictionary_comprehension"
        | "set_comprehension" => Returned::NotAwaitable,
        "identifier" if Some(cx.text(value)) == f.receiver() && !self_awaitable => {
            Returned::NotAwaitable
        }
        _ => Returned::Maybe,
    }
}

/// The class (or a base we cannot see) may define `__await__`.
fn self_may_be_awaitable(cx: &Checker, f: &Function) -> bool {
    let Some(class) = cx.module.class_of(f) else {
        return true;
    };
    if cx.module.method(class, "__await__").is_some()
        || class.attributes.iter().any(|a| a.name == "__await__")
    {
        return true;
    }
    let ancestry = cx.ancestry(class);
    !ancestry.complete()
        || ancestry.ancestors.iter().any(|a| match a {
            Ancestor::Class(c) => c.defines("__await__"),
            _ => false,
        })
}

fn async_aiter(cx: &Checker, f: &Function) {
    let message = format!(
        "`{}` is an `async def` without `yield`: it returns a coroutine, and `async for` raises `TypeError: 'async for' received an object from __aiter__ that does not implement __anext__: coroutine`",
        qualified_method(cx, f)
    );
    let fix = remove_async(f).map(|edit| Fix::unsafe_("Define it with a plain `def`", vec![edit]));
    cx.report_at(f.name_node.byte_range(), message, None, fix);
}

/// Remove `async ` from `async def`, when the body uses no async syntax.
fn remove_async(f: &Function) -> Option<Edit> {
    if !f.scope.awaits.is_empty() || uses_async_syntax(f) {
        return None;
    }
    let keyword = f.node.child(0).filter(|c| c.kind() == "async")?;
    let def = keyword.next_sibling()?;
    Some(Edit::replace(keyword.start_byte()..def.start_byte(), ""))
}

/// `async for` / `async with` (including in comprehensions) in `f`'s own scope.
fn uses_async_syntax(f: &Function) -> bool {
    syntax::descendants(f.body, true).any(|n| {
        matches!(
            n.kind(),
            "for_statement" | "with_statement" | "for_in_clause"
        ) && n.child(0).is_some_and(|c| c.kind() == "async")
    })
}
