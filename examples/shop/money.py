"""Money arithmetic (scenario: NotImplemented and reflected operators)."""
from decimal import Decimal


class Money:
    def __init__(self, amount, currency):
        self.amount = Decimal(amount)
        self.currency = currency

    def __eq__(self, other):
        # Should return NotImplemented for foreign types; also no __hash__.
        if not isinstance(other, Money):
            return False
        return (self.amount, self.currency) == (other.amount, other.currency)

    def __add__(self, other):
        if isinstance(other, (int, Decimal)):
            return Money(self.amount + other, self.currency)
        if isinstance(other, Money):
            if other.currency != self.currency:
                raise ValueError("currency mismatch")
            return Money(self.amount + other.amount, self.currency)
        # Falls off the end: `money + "x"` evaluates to None.

    def __sub__(self, other):
        if not isinstance(other, Money):
            raise TypeError("can only subtract Money")
        return Money(self.amount - other.amount, self.currency)

    __rsub__ = __sub__  # b - a silently computes a - b

    def __lt__(self, other):
        return self.amount < other.amount

    def __iadd__(self, other):
        self.amount += other.amount
        # forgot `return self`: `total += m` rebinds total to None

    def __repr__(self):
        return f"Money({self.amount!r}, {self.currency!r})"


def total(prices):
    return sum(prices)  # sum() starts at 0: needs Money.__radd__
