from .base import Point


class LabelledPoint(Point):
    __slots__ = ("label",)

    def __init__(self, x, y, label):
        super().__init__(x, y)
        self.label = label
        self.colour = "black"  # AttributeError: no slot here or in Point (base.py)
