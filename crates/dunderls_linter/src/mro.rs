//! The method resolution order (C3 linearization, as CPython computes it)
//! of a class whose every ancestor resolves: user classes of this file or
//! the workspace, and the builtins whose own MRO is fixed. Anything else
//! (an unknown base, an ABC with registered mixins, typing's `Generic[T]`
//! and its `__mro_entries__`) gives `Mro::Unknown`: callers fall back to
//! the breadth-first ancestry and rules that need the order stay silent.

use std::collections::{HashMap, HashSet, VecDeque};

use dunderls_python::{Class, Module};

use crate::hierarchy::{self, Ancestor, ClassIndex};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mro {
    /// The linearization after the class itself, nearest first, as
    /// qualified names (`object` last).
    Linear(Vec<String>),
    /// C3 finds no order. The names are those CPython's `TypeError`
    /// lists: the heads of the sequences left to merge, in order.
    Inconsistent(Vec<String>),
    /// The same class appears twice among the bases.
    DuplicateBase(String),
    Unknown,
}

/// Builtins with a fixed MRO (from `__mro__` on CPython 3.11), without
/// the class itself. Final types (`bool`, `range`, `memoryview`) are left
/// out: subclassing them fails for another reason.
fn builtin_mro(name: &str) -> Option<&'static [&'static str]> {
    let bare = name.strip_prefix("builtins.").unwrap_or(name);
    Some(match bare {
        "object" => &[],
        "Exception" => &["BaseException", "object"],
        "dict" | "list" | "set" | "frozenset" | "tuple" | "str" | "bytes" | "bytearray" | "int"
        | "float" | "complex" | "type" | "property" | "staticmethod" | "classmethod"
        | "BaseException" | "abc.ABC" => &["object"],
        _ => return None,
    })
}

/// The MRO of `class` (see [`Mro`]).
pub fn mro(module: &Module, module_name: &str, class: &Class, index: &dyn ClassIndex) -> Mro {
    let custom_metaclass = class.keywords.iter().any(|k| {
        k.name == "metaclass"
            && !hierarchy::is_plain_metaclass(
                &module.qualified_name_in(module.text(k.value), module_name),
            )
    });
    if custom_metaclass {
        return Mro::Unknown;
    }
    let mut bases = Vec::new();
    for base in &class.bases {
        let Some(name) = base.name else {
            return Mro::Unknown;
        };
        bases.push(hierarchy::resolve_base_of(
            module,
            module_name,
            class,
            name,
            index,
        ));
    }
    let mut linearizer = Linearizer {
        module,
        module_name,
        index,
        memo: HashMap::new(),
        visiting: HashSet::new(),
    };
    let mut keys = Vec::new();
    for base in &bases {
        let Some(key) = key_of(base) else {
            return Mro::Unknown;
        };
        if keys.contains(&key) {
            return Mro::DuplicateBase(key);
        }
        keys.push(key);
    }
    let mut sequences = Vec::new();
    for base in &bases {
        match linearizer.linearize(base) {
            Some(Ok(l)) => sequences.push(l),
            // An ancestor's own MRO is inconsistent: that class already
            // fails where it is defined (and is reported there).
            Some(Err(())) | None => return Mro::Unknown,
        }
    }
    if keys.is_empty() {
        return Mro::Linear(vec!["object".into()]);
    }
    sequences.push(keys);
    match merge(sequences) {
        Ok(order) => Mro::Linear(order),
        Err(heads) => Mro::Inconsistent(heads),
    }
}

/// The name an ancestor goes by in the MRO; None when we cannot place it.
fn key_of(ancestor: &Ancestor) -> Option<String> {
    match ancestor {
        Ancestor::Class(c) => Some(c.qualified_name.clone()),
        Ancestor::Builtin(b) if builtin_mro(b).is_some() => {
            Some(b.strip_prefix("builtins.").unwrap_or(b).to_string())
        }
        _ => None,
    }
}

struct Linearizer<'m, 'a> {
    module: &'m Module<'a>,
    module_name: &'m str,
    index: &'m dyn ClassIndex,
    /// Qualified name -> its linearization (Err: inconsistent).
    memo: HashMap<String, Result<Vec<String>, ()>>,
    visiting: HashSet<String>,
}

impl Linearizer<'_, '_> {
    /// The ancestor's MRO including itself; None when something in it is
    /// unknown (or the hierarchy is cyclic or absurdly deep).
    fn linearize(&mut self, ancestor: &Ancestor) -> Option<Result<Vec<String>, ()>> {
        let key = key_of(ancestor)?;
        if let Some(done) = self.memo.get(&key) {
            return Some(done.clone());
        }
        let summary = match ancestor {
            Ancestor::Builtin(b) => {
                let mut l = vec![key];
                l.extend(builtin_mro(b)?.iter().map(|s| s.to_string()));
                return Some(Ok(l));
            }
            Ancestor::Class(c) => c.clone(),
            _ => return None,
        };
        if summary
            .metaclass
            .as_deref()
            .is_some_and(|m| !hierarchy::is_plain_metaclass(m))
            || self.visiting.len() > 64
            || !self.visiting.insert(key.clone())
        {
            return None;
        }
        let bases =
            hierarchy::bases_of_summary(self.module, self.module_name, &summary, self.index);
        let mut sequences = Vec::new();
        let mut keys = Vec::new();
        let mut result = Some(Ok(()));
        for base in &bases {
            match (key_of(base), self.linearize(base)) {
                (Some(k), Some(Ok(l))) => {
                    keys.push(k);
                    sequences.push(l);
                }
                (_, Some(Err(()))) => result = Some(Err(())),
                _ => {
                    result = None;
                    break;
                }
            }
        }
        self.visiting.remove(&key);
        let linear = match result? {
            Err(()) => Err(()),
            Ok(()) if keys.is_empty() => Ok(vec![key.clone(), "object".to_string()]),
            Ok(()) => {
                sequences.push(keys);
                merge(sequences)
                    .map(|rest| std::iter::once(key.clone()).chain(rest).collect())
                    .map_err(|_| ())
            }
        };
        self.memo.insert(key, linear.clone());
        Some(linear)
    }
}

/// C3's merge: repeatedly take the first head that is in no tail. On
/// failure, the heads left (deduplicated, in sequence order), which is
/// what CPython names in its error.
fn merge(sequences: Vec<Vec<String>>) -> Result<Vec<String>, Vec<String>> {
    let mut seqs: Vec<VecDeque<String>> = sequences.into_iter().map(VecDeque::from).collect();
    let mut out = Vec::new();
    loop {
        seqs.retain(|s| !s.is_empty());
        if seqs.is_empty() {
            return Ok(out);
        }
        let in_tail = |name: &str| seqs.iter().any(|s| s.iter().skip(1).any(|x| x == name));
        let Some(next) = seqs.iter().map(|s| &s[0]).find(|h| !in_tail(h)).cloned() else {
            let mut heads: Vec<String> = Vec::new();
            for s in &seqs {
                if !heads.contains(&s[0]) {
                    heads.push(s[0].clone());
                }
            }
            return Err(heads);
        };
        for s in &mut seqs {
            if s.front() == Some(&next) {
                s.pop_front();
            }
        }
        out.push(next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hierarchy::NoIndex;

    fn mro_of(source: &str, class: &str) -> Mro {
        let tree = dunderls_python::parse(source, None);
        let module = Module::build(source, &tree);
        let class = module.class_named(class).expect("class");
        mro(&module, "m", class, &NoIndex)
    }

    fn linear(names: &[&str]) -> Mro {
        Mro::Linear(names.iter().map(|n| n.to_string()).collect())
    }

    #[test]
    fn c3_orders_diamonds_like_cpython() {
        // O = object; the textbook example from the Python 2.3 MRO paper.
        let src = "class F: pass\nclass E: pass\nclass D: pass\nclass C(D, F): pass\nclass B(D, E): pass\nclass A(B, C): pass\n";
        assert_eq!(
            mro_of(src, "A"),
            linear(&["m.B", "m.C", "m.D", "m.E", "m.F", "object"])
        );
        assert_eq!(
            mro_of("class A(dict): pass\nclass B(A, Exception): pass\n", "B"),
            linear(&["m.A", "dict", "Exception", "BaseException", "object"])
        );
        assert_eq!(mro_of("class B(bool): pass\n", "B"), Mro::Unknown);
    }

    #[test]
    fn conflicts_name_the_bases_cpython_names() {
        assert_eq!(
            mro_of(
                "class B: pass\nclass A(B): pass\nclass C(B, A): pass\n",
                "C"
            ),
            Mro::Inconsistent(vec!["m.B".into(), "m.A".into()])
        );
        assert_eq!(
            mro_of("class C(object, int): pass\n", "C"),
            Mro::Inconsistent(vec!["object".into(), "int".into()])
        );
        assert_eq!(
            mro_of("class A: pass\nclass C(A, A): pass\n", "C"),
            Mro::DuplicateBase("m.A".into())
        );
    }

    #[test]
    fn unknown_ancestors_give_no_order() {
        assert_eq!(
            mro_of("from x import Y\nclass C(Y, int): pass\n", "C"),
            Mro::Unknown
        );
        assert_eq!(
            mro_of(
                "class M(type): pass\nclass C(int, metaclass=M): pass\n",
                "C"
            ),
            Mro::Unknown
        );
        assert_eq!(
            mro_of(
                "from typing import Generic\nclass C(Generic, int): pass\n",
                "C"
            ),
            Mro::Unknown
        );
    }
}
