from .base import Store


class MemoryStore(Store):
    """TypeError on instantiation: MutableMapping also needs __delitem__,
    which neither this class nor Store (in base.py) defines."""

    def __init__(self):
        self._data = {}

    def backend_name(self):
        return "memory"

    def __setitem__(self, key, value):
        self._data[key] = value
