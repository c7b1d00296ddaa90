//! The view of a class's bases that hierarchy-dependent rules read.
//!
//! Bases resolve to a class of the same file, a class of another module
//! (through a `ClassIndex` the workspace provides), a builtin, a
//! collections.abc ABC, or Unknown. Unknown makes "missing method" rules
//! stay silent rather than guess.

use std::collections::HashSet;
use std::sync::Arc;

use dunderls_datamodel::AbcInfo;
use dunderls_python::{syntax, Class, Module};

/// What a rule needs to know about a class defined anywhere.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClassSummary {
    /// `package.module.Class` (just `Class` when the module is unknown).
    pub qualified_name: String,
    pub name: String,
    /// Base names qualified through the defining module's imports.
    pub bases: Vec<String>,
    /// The module that defines it (for resolving its bases).
    pub module: String,
    pub methods: Vec<String>,
    /// Class-level assignments: (name, value source text).
    pub attributes: Vec<(String, String)>,
    /// `None`: no `__slots__`; `Some(None)`: dynamic; `Some(Some(names))`.
    pub slots: Option<Option<Vec<String>>>,
    pub decorators: Vec<String>,
    pub metaclass: Option<String>,
    /// Parameters of its own `__init_subclass__`, when defined:
    /// keyword names and whether it takes `**kwargs`.
    pub init_subclass: Option<(Vec<String>, bool)>,
    /// `__enter__` returns `self` on every return (None: no `__enter__`).
    pub enter_returns_value: Option<bool>,
}

impl ClassSummary {
    pub fn from_class(module: &Module, module_name: &str, class: &Class) -> ClassSummary {
        let qualify = |n: &str| module.qualified_name_in(n, module_name);
        let init_subclass = module.method(class, "__init_subclass__").map(|f| {
            let names = f
                .params
                .iter()
                .skip(1)
                .map(|p| p.name.to_string())
                .collect();
            let var_kw = f
                .params
                .iter()
                .any(|p| p.kind == dunderls_python::ParamKind::VarKeyword);
            (names, var_kw)
        });
        let enter_returns_value = module.method(class, "__enter__").map(|f| {
            !f.scope.returns.is_empty()
                && f.scope.returns.iter().all(|r| r.named_child(0).is_some())
        });
        ClassSummary {
            qualified_name: match public_module(module_name) {
                "" => class.name.to_string(),
                m => format!("{m}.{}", class.name),
            },
            name: class.name.to_string(),
            bases: class
                .bases
                .iter()
                .filter_map(|b| b.name)
                .map(|n| {
                    // A base defined in this module is qualified with it.
                    if module.import_of(n.split('.').next().unwrap_or(n)).is_none()
                        && module.class_named(n).is_some()
                        && !module_name.is_empty()
                    {
                        format!("{}.{n}", public_module(module_name))
                    } else {
                        qualify(n)
                    }
                })
                .collect(),
            module: module_name.to_string(),
            methods: module.methods(class).map(|f| f.name.to_string()).collect(),
            attributes: class
                .attributes
                .iter()
                .map(|a| {
                    (
                        a.name.to_string(),
                        a.value
                            .map(|v| module.text(v).to_string())
                            .unwrap_or_default(),
                    )
                })
                .collect(),
            slots: class.slots.as_ref().map(|s| {
                s.names
                    .as_ref()
                    .map(|ns| ns.iter().map(|(n, _)| n.clone()).collect())
            }),
            decorators: class
                .decorators
                .iter()
                .map(|d| d.name.to_string())
                .collect(),
            metaclass: class
                .keywords
                .iter()
                .find(|k| k.name == "metaclass")
                .map(|k| qualify(syntax::text(module.source, k.value))),
            init_subclass,
            enter_returns_value,
        }
    }

    pub fn defines(&self, name: &str) -> bool {
        self.methods.iter().any(|m| m == name) || self.attributes.iter().any(|(a, _)| a == name)
    }
}

/// Classes of other modules, by qualified name.
pub trait ClassIndex: Sync {
    fn lookup(&self, qualified_name: &str) -> Option<Arc<ClassSummary>>;

    /// Where other modules bind an instance with `with X(...) as name` (and
    /// read `name`) such that `X.__enter__` is the `__enter__` of the class
    /// `provider`: `module:line` strings.
    fn with_as_sites(&self, provider: &str) -> Vec<String> {
        let _ = provider;
        Vec::new()
    }
}

/// No cross-file knowledge: bases from other modules are Unknown.
pub struct NoIndex;

impl ClassIndex for NoIndex {
    fn lookup(&self, _: &str) -> Option<Arc<ClassSummary>> {
        None
    }
}

#[derive(Debug, Clone)]
pub enum Ancestor {
    /// A user class (same file or workspace).
    Class(Arc<ClassSummary>),
    /// A builtin or standard-library class known to the data model
    /// (`dict`, `object`, `collections.UserDict`, `Exception`, ...).
    Builtin(String),
    Abc(&'static AbcInfo),
    /// Typing constructs that add no behaviour (`Generic`, `Protocol`).
    Transparent(String),
    Unknown(String),
}

/// All ancestors of a class, each once: in MRO order when every ancestor
/// resolves (see `mro`), else breadth-first, nearest first.
#[derive(Debug, Clone, Default)]
pub struct Ancestry {
    pub ancestors: Vec<Ancestor>,
}

impl Ancestry {
    /// Every base resolved to something we know.
    pub fn complete(&self) -> bool {
        !self
            .ancestors
            .iter()
            .any(|a| matches!(a, Ancestor::Unknown(_)))
    }

    pub fn user_classes(&self) -> impl Iterator<Item = &Arc<ClassSummary>> {
        self.ancestors.iter().filter_map(|a| match a {
            Ancestor::Class(c) => Some(c),
            _ => None,
        })
    }

    pub fn builtins(&self) -> impl Iterator<Item = &str> {
        self.ancestors.iter().filter_map(|a| match a {
            Ancestor::Builtin(b) => Some(b.as_str()),
            _ => None,
        })
    }

    pub fn abcs(&self) -> impl Iterator<Item = &'static AbcInfo> + '_ {
        self.ancestors.iter().filter_map(|a| match a {
            Ancestor::Abc(b) => Some(*b),
            _ => None,
        })
    }

    /// A user-class ancestor defines `name` (method or class attribute).
    pub fn user_class_defines(&self, name: &str) -> bool {
        self.user_classes().any(|c| c.defines(name))
    }

    /// Any ancestor other than `object` is a builtin or an ABC, or unknown:
    /// it may provide special methods we do not model.
    pub fn has_non_object_base(&self) -> bool {
        self.ancestors.iter().any(|a| match a {
            Ancestor::Builtin(b) => b != "object",
            Ancestor::Abc(_) | Ancestor::Unknown(_) => true,
            _ => false,
        })
    }
}

/// Names usable as bases without an import.
const BUILTIN_CLASSES: &[&str] = &[
    "object",
    "dict",
    "list",
    "set",
    "frozenset",
    "tuple",
    "str",
    "bytes",
    "bytearray",
    "int",
    "float",
    "complex",
    "bool",
    "type",
    "memoryview",
    "range",
    "property",
    "staticmethod",
    "classmethod",
    "BaseException",
    "Exception",
];

const KNOWN_STDLIB_CLASSES: &[&str] = &[
    "collections.UserDict",
    "collections.UserList",
    "collections.UserString",
    "collections.OrderedDict",
    "collections.defaultdict",
    "collections.Counter",
    "collections.deque",
    "collections.ChainMap",
    "enum.Enum",
    "enum.IntEnum",
    "enum.Flag",
    "enum.IntFlag",
    "enum.StrEnum",
    "abc.ABC",
    "typing.NamedTuple",
    "typing.TypedDict",
];

const TRANSPARENT: &[&str] = &[
    "typing.Generic",
    "typing.Protocol",
    "typing_extensions.Protocol",
    "typing_extensions.Generic",
];

/// Resolve one base name (as written in `module`) to what it denotes.
pub fn resolve_base(
    module: &Module,
    module_name: &str,
    name: &str,
    index: &dyn ClassIndex,
) -> Ancestor {
    let head = name.split('.').next().unwrap_or(name);
    let imported = module.import_of(head).is_some();
    if !imported && !name.contains('.') {
        if let Some(class) = module.class_named(name) {
            return Ancestor::Class(Arc::new(ClassSummary::from_class(
                module,
                module_name,
                class,
            )));
        }
        if BUILTIN_CLASSES.contains(&name)
            || name.ends_with("Error") && !imported && is_builtin_exception(name)
        {
            return Ancestor::Builtin(name.to_string());
        }
        return Ancestor::Unknown(name.to_string());
    }
    resolve_qualified(&module.qualified_name_in(name, module_name), index)
}

/// `type` and `abc.ABCMeta`: metaclasses that add no methods to their
/// classes and keep the default `mro()`. Any other may do either.
pub fn is_plain_metaclass(qualified: &str) -> bool {
    matches!(
        qualified,
        "abc.ABCMeta" | "ABCMeta" | "type" | "builtins.type"
    )
}

/// Resolve a base of `class` as written in its class statement. A class
/// defined in a function may name a class local to that function or to an
/// enclosing one, which `Module::class_named` does not see (it would find a
/// module-level namesake): such names stay unknown.
pub fn resolve_base_of(
    module: &Module,
    module_name: &str,
    class: &Class,
    name: &str,
    index: &dyn ClassIndex,
) -> Ancestor {
    let head = name.split('.').next().unwrap_or(name);
    let mut scopes = Vec::new();
    let mut current = class.function;
    while let Some(id) = current.filter(|_| scopes.len() < 64) {
        scopes.push(id);
        let f = &module.functions[id];
        current = f
            .parent_function
            .or_else(|| module.class_of(f).and_then(|c| c.function));
    }
    let shadowed = module
        .classes_named(head)
        .any(|c| c.function.is_some_and(|f| scopes.contains(&f)));
    if shadowed {
        return Ancestor::Unknown(name.to_string());
    }
    resolve_base(module, module_name, name, index)
}

fn is_builtin_exception(name: &str) -> bool {
    matches!(
        name,
        "ValueError"
            | "TypeError"
            | "KeyError"
            | "IndexError"
            | "AttributeError"
            | "RuntimeError"
            | "LookupError"
            | "OSError"
            | "ArithmeticError"
            | "NotImplementedError"
    )
}

/// `typing.List` -> `list`, ... (the bare name after `typing.`).
pub fn typing_builtin_alias(name: &str) -> Option<&'static str> {
    Some(match name {
        "List" => "list",
        "Dict" => "dict",
        "Set" => "set",
        "FrozenSet" => "frozenset",
        "Tuple" => "tuple",
        "Type" => "type",
        "Text" => "str",
        "DefaultDict" => "collections.defaultdict",
        "OrderedDict" => "collections.OrderedDict",
        "Counter" => "collections.Counter",
        "ChainMap" => "collections.ChainMap",
        "Deque" => "collections.deque",
        _ => return None,
    })
}

/// Resolve an already-qualified name.
pub fn resolve_qualified(qualified: &str, index: &dyn ClassIndex) -> Ancestor {
    if TRANSPARENT.contains(&qualified) {
        return Ancestor::Transparent(qualified.to_string());
    }
    // typing's aliases of concrete builtins are the builtins, not ABCs
    // (`typing.Set` is `set`; `typing.AbstractSet` is the ABC).
    if let Some(builtin) = qualified
        .strip_prefix("typing.")
        .or_else(|| qualified.strip_prefix("typing_extensions."))
        .and_then(typing_builtin_alias)
    {
        return Ancestor::Builtin(builtin.to_string());
    }
    // collections.abc / typing / contextlib / os ABCs, by qualified name.
    if let Some(abc) = dunderls_datamodel::abc(qualified).filter(|_| qualified.contains('.')) {
        return Ancestor::Abc(abc);
    }
    if KNOWN_STDLIB_CLASSES.contains(&qualified)
        || qualified
            .strip_prefix("builtins.")
            .is_some_and(|b| BUILTIN_CLASSES.contains(&b))
    {
        return Ancestor::Builtin(qualified.to_string());
    }
    match index.lookup(qualified) {
        Some(summary) => Ancestor::Class(summary),
        None => Ancestor::Unknown(qualified.to_string()),
    }
}

/// The ancestors of `class`, breadth-first, each visited once.
pub fn ancestry(
    module: &Module,
    module_name: &str,
    class: &Class,
    index: &dyn ClassIndex,
) -> Ancestry {
    let mut out = Ancestry::default();
    let mut seen: HashSet<String> = HashSet::new();
    seen.insert(class.name.to_string());
    let mut queue: std::collections::VecDeque<Ancestor> = class
        .bases
        .iter()
        .map(|b| match b.name {
            Some(n) => resolve_base_of(module, module_name, class, n, index),
            None => Ancestor::Unknown(syntax::text(module.source, b.node).to_string()),
        })
        .collect();
    while let Some(anc) = queue.pop_front() {
        if out.ancestors.len() > 256 {
            out.ancestors
                .push(Ancestor::Unknown("<hierarchy too deep>".into()));
            break;
        }
        let key = match &anc {
            Ancestor::Class(c) => c.qualified_name.clone(),
            Ancestor::Builtin(n) | Ancestor::Transparent(n) | Ancestor::Unknown(n) => n.clone(),
            Ancestor::Abc(a) => format!("collections.abc.{}", a.name),
        };
        if !seen.insert(key) {
            continue;
        }
        if let Ancestor::Class(c) = &anc {
            queue.extend(bases_of_summary(module, module_name, c, index));
        }
        out.ancestors.push(anc);
    }
    // Where the real order is known, "the first ancestor that defines X"
    // must follow it (diamonds differ from breadth-first).
    if let crate::mro::Mro::Linear(order) = crate::mro::mro(module, module_name, class, index) {
        let position = |a: &Ancestor| match a {
            Ancestor::Class(c) => order.iter().position(|k| *k == c.qualified_name),
            Ancestor::Builtin(b) => {
                let bare = b.strip_prefix("builtins.").unwrap_or(b);
                order.iter().position(|k| k == bare)
            }
            _ => None,
        };
        out.ancestors
            .sort_by_key(|a| position(a).unwrap_or(usize::MAX));
    }
    out
}

/// The resolved bases of a summarized class. A class of the module being
/// checked resolves its bases through this module (they may be local
/// classes); others through the index.
pub fn bases_of_summary(
    module: &Module,
    module_name: &str,
    class: &ClassSummary,
    index: &dyn ClassIndex,
) -> Vec<Ancestor> {
    class
        .bases
        .iter()
        .map(|base| {
            if class.module == module_name {
                let prefix = format!("{}.", public_module(module_name));
                let local = base.strip_prefix(&prefix).unwrap_or(base);
                resolve_base(module, module_name, local, index)
            } else {
                resolve_qualified(base, index)
            }
        })
        .collect()
}

/// The name other modules import a module by: a package's `__init__`
/// module (`pkg.__init__`) is imported as `pkg`.
pub fn public_module(module_name: &str) -> &str {
    module_name.strip_suffix(".__init__").unwrap_or(module_name)
}

/// The qualified name other modules use for a top-level class of this
/// module (None for nested or function-local classes, or an unnamed module).
pub fn qualified_class_name(module_name: &str, class: &Class) -> Option<String> {
    let module = public_module(module_name);
    (!module.is_empty() && class.parent.is_none() && !class.in_function)
        .then(|| format!("{module}.{}", class.name))
}
