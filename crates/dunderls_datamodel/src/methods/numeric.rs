//! Binary operators (forward, reflected, in-place), unary operators and
//! numeric conversions.

use crate::SpecialMethod;

/// The regular binary operators: each expands to `__x__`, `__rx__`, `__ix__`.
#[rustfmt::skip]
pub(super) static BINARY: &[[SpecialMethod; 3]] = &[
    binop!("add", "+", true),
    binop!("sub", "-", false),
    binop!("mul", "*", true),
    binop!("matmul", "@", false),
    binop!("truediv", "/", false),
    binop!("floordiv", "//", false),
    binop!("mod", "%", false),
    binop!("lshift", "<<", false),
    binop!("rshift", ">>", false),
    binop!("and", "&", true),
    binop!("xor", "^", true),
    binop!("or", "|", true),
];

#[rustfmt::skip]
pub(super) static METHODS: &[SpecialMethod] = &[
    // divmod has no in-place form; pow is ternary.
    sm!("__divmod__", Numeric, 2..=2, ValueOrNotImplemented, "(self, other)")
        .on("divmod(a, b)").twins("__rdivmod__", None)
        .says("Called for `divmod(a, b)` on the left operand; should equal `(a // b, a % b)`."),
    sm!("__rdivmod__", Numeric, 2..=2, ValueOrNotImplemented, "(self, other)")
        .on("divmod(a, b) (on b)").forward_of("__divmod__")
        .says("Called on `b` for `divmod(a, b)` when `a` does not support it."),
    sm!("__pow__", Numeric, 2..=3, ValueOrNotImplemented, "(self, other, modulo=None)")
        .on("a ** b, pow(a, b), pow(a, b, m)").twins("__rpow__", Some("__ipow__"))
        .says("Called for `a ** b` and `pow(a, b[, m])`; accept the optional modulo to support three-argument pow()."),
    sm!("__rpow__", Numeric, 2..=3, ValueOrNotImplemented, "(self, other, modulo=None)")
        .on("a ** b, pow(a, b) (on b)").forward_of("__pow__")
        .says("Called on `b` for `a ** b` when `a` does not support it; three-argument pow() calls it only since Python 3.14."),
    sm!("__ipow__", Numeric, 2..=2, ValueOrNotImplemented, "(self, other)")
        .on("a **= b").forward_of("__pow__")
        .says("Called for `a **= b`; its result is bound to `a`. Falls back to `a ** b` when missing or NotImplemented."),
    // --- unary ---------------------------------------------------------------
    sm!("__neg__", Unary, 1..=1, Any, "(self)").on("-x").says("Unary minus."),
    sm!("__pos__", Unary, 1..=1, Any, "(self)").on("+x").says("Unary plus."),
    sm!("__abs__", Unary, 1..=1, Any, "(self)").on("abs(x)").says("Absolute value for `abs()`."),
    sm!("__invert__", Unary, 1..=1, Any, "(self)").on("~x").says("Bitwise inversion."),
    // --- conversions -----------------------------------------------------------
    sm!("__complex__", Conversion, 1..=1, Complex, "(self) -> complex")
        .on("complex(x)").says("Conversion for `complex()`; must return a complex."),
    sm!("__int__", Conversion, 1..=1, Int, "(self) -> int")
        .on("int(x)").says("Conversion for `int()`; must return an int."),
    sm!("__float__", Conversion, 1..=1, Float, "(self) -> float")
        .on("float(x)").says("Conversion for `float()`; must return a float (an int is rejected)."),
    sm!("__index__", Conversion, 1..=1, Int, "(self) -> int")
        .on("operator.index(x), seq[x], slicing, bin/hex/oct, range(x)").says("Lossless integer conversion: marks the type as an integer usable as an index; must return an int."),
    sm!("__round__", Conversion, 1..=2, Any, "(self, ndigits=None)")
        .on("round(x), round(x, ndigits)").says("Rounding for `round()`; called with `ndigits` only when the caller passes it."),
    sm!("__trunc__", Conversion, 1..=1, Any, "(self)")
        .on("math.trunc(x)").says("Truncation toward zero for `math.trunc()`; `int()` stopped falling back to it in Python 3.14."),
    sm!("__floor__", Conversion, 1..=1, Any, "(self)").on("math.floor(x)").says("Floor for `math.floor()`."),
    sm!("__ceil__", Conversion, 1..=1, Any, "(self)").on("math.ceil(x)").says("Ceiling for `math.ceil()`."),
];
