"""Entities identified by primary key; subclassed in shop.products."""


class Entity:
    def __init__(self, pk):
        self.pk = pk

    def __eq__(self, other):
        if not isinstance(other, Entity):
            return NotImplemented
        return self.pk == other.pk

    def __hash__(self):
        return hash(self.pk)
