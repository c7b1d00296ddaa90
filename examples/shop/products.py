"""A subclass in another module that loses its base's __hash__."""
from .entities import Entity


class Product(Entity):
    def __init__(self, pk, sku):
        super().__init__(pk)
        self.sku = sku

    def __eq__(self, other):
        # Overriding __eq__ alone sets Product.__hash__ = None: products can
        # no longer be put in a set, although Entity was hashable.
        return super().__eq__(other) and self.sku == other.sku
