"""Measure the attribute-access costs that the DUN101 and DUN106 docs quote.

Run with `python3 attribute_access.py`. It prints the Python version and, for
each access path, its time relative to a plain instance-`__dict__` hit (the
cheapest path, = 1.0). The docs quote only these ratios, with the version
they were measured on; absolute times depend on the machine.

Access paths, each read of `obj.<name>` in a loop:
- dict hit: the value is in the instance `__dict__` (also what a
  `__getattr__` that caches into `__dict__` costs after the first miss);
- slot: a `__slots__` member descriptor;
- property: a `@property` that returns a stored field;
- cached_property hit: `functools.cached_property` after the first read
  (the value sits in the instance `__dict__`);
- getattr miss: a `__getattr__` that answers every read from a dict
  without caching (the lookup fails first, raises AttributeError
  internally, then calls the Python-level `__getattr__`);
- getattribute hit: a class whose `__getattribute__` delegates to
  `super().__getattribute__`, reading an attribute that exists in the
  instance `__dict__`: the hit itself pays for the Python-level call.
"""
import functools
import platform
import sys
import timeit


class DictHit:
    def __init__(self):
        self.name = "x"


class Slot:
    __slots__ = ("name",)

    def __init__(self):
        self.name = "x"


class Prop:
    def __init__(self):
        self._name = "x"

    @property
    def name(self):
        return self._name


class Cached:
    @functools.cached_property
    def name(self):
        return "x"


class GetattrMiss:
    _values = {"name": "x"}

    def __getattr__(self, attr):
        try:
            return self._values[attr]
        except KeyError:
            raise AttributeError(attr) from None


class GetattributeHit:
    def __init__(self):
        self.name = "x"

    def __getattribute__(self, attr):
        return super().__getattribute__(attr)


CASES = [
    ("dict hit", DictHit),
    ("slot", Slot),
    ("property", Prop),
    ("cached_property hit", Cached),
    ("getattr miss (uncached)", GetattrMiss),
    ("getattribute hit", GetattributeHit),
]


def main():
    number, rounds = 100_000, 15
    if "--quick" in sys.argv:
        number, rounds = 1_000, 1
    timers = []
    for label, cls in CASES:
        obj = cls()
        obj.name  # warm caches (and fill the cached_property)
        timers.append((label, timeit.Timer("o.name", globals={"o": obj})))
    # Interleave the cases and keep each one's best round: machine noise
    # then hits every case alike instead of skewing one of them.
    best = {label: float("inf") for label, _ in timers}
    for _ in range(rounds):
        for label, timer in timers:
            best[label] = min(best[label], timer.timeit(number) / number)
    base = best["dict hit"]
    print(f"{platform.python_implementation()} {platform.python_version()}")
    for label, _ in timers:
        print(f"{label:26} {best[label] / base:6.1f}x dict hit")


if __name__ == "__main__":
    main()
