"""A numeric type used with NumPy arrays (scenario: NumPy interop)."""
import numpy as np


class Price:
    def __init__(self, value):
        self.value = value

    def __mul__(self, other):
        if isinstance(other, (int, float)):
            return Price(self.value * other)
        return NotImplemented

    __rmul__ = __mul__

    def __array__(self, dtype=None):
        return np.asarray(self.value, dtype=dtype)


def scale(prices: np.ndarray, factor: Price):
    # ndarray * Price: NumPy broadcasts element by element and returns an
    # object array instead of calling Price.__rmul__ on the array.
    return prices * factor
