"""Measure what an attribute read costs, by mechanism.

The knowledge base quotes ratios from this script instead of folklore numbers
(the seed scenario's "500 ns / 50 ns / 10 ns" were never measured). Ratios are
relative to a plain instance-__dict__ hit on the same machine and
interpreter; absolute nanoseconds depend on the machine and are printed only
for context.

    python3 crates/dunderls_datamodel/measure/attribute_costs.py [--number N]
"""

import argparse
import functools
import platform
import sys
import timeit


class Plain:
    def __init__(self):
        self.x = 1


class WithGetattr:
    """__getattr__ with the cheapest possible body: no lookup, no I/O."""

    def __init__(self):
        self.x = 1

    def __getattr__(self, name):
        return 1


class WithProperty:
    def __init__(self):
        self._x = 1

    @property
    def x(self):
        return self._x


class Field:
    """A minimal data descriptor written in Python."""

    def __set_name__(self, owner, name):
        self.key = "_" + name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return instance.__dict__[self.key]

    def __set__(self, instance, value):
        instance.__dict__[self.key] = value


class WithDescriptor:
    x = Field()

    def __init__(self):
        self.x = 1


class WithCachedProperty:
    @functools.cached_property
    def x(self):
        return 1


class WithSlots:
    __slots__ = ("x",)

    def __init__(self):
        self.x = 1


def cached_hit():
    o = WithCachedProperty()
    o.x  # first access computes and stores into o.__dict__
    return o


CASES = [
    ("instance __dict__ hit", Plain, "o.x"),
    ("__slots__ hit", WithSlots, "o.x"),
    ("functools.cached_property hit (after first access)", cached_hit, "o.x"),
    ("@property", WithProperty, "o.x"),
    ("Python data descriptor (__get__)", WithDescriptor, "o.x"),
    ("instance __dict__ hit on a class with __getattr__", WithGetattr, "o.x"),
    ("__getattr__ miss (body: return 1)", WithGetattr, "o.missing"),
]


def measure(make, expr, number, repeat):
    o = make()
    timer = timeit.Timer(expr, globals={"o": o})
    best = min(timer.repeat(repeat=repeat, number=number))
    return best / number * 1e9


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    print(f"Python {platform.python_version()} ({platform.python_implementation()}) on {platform.machine()}")
    print(f"best of {args.repeat} x {args.number} reads\n")
    results = [(label, measure(make, expr, args.number, args.repeat)) for label, make, expr in CASES]
    base = results[0][1]
    width = max(len(label) for label, _ in results)
    for label, ns in results:
        print(f"{label:<{width}}  {ns:7.1f} ns  {ns / base:5.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
