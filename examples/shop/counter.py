"""A Counter-like container (scenario: partial container protocols)."""


class TagCounter:
    """Counts tags; users report len() failing and iteration breaking."""

    def __init__(self):
        self._counts = {}

    def __getitem__(self, tag):
        return self._counts.get(tag, 0)

    def __setitem__(self, tag, count):
        self._counts[tag] = count

    def __missing__(self, tag):
        # Never called: only dict.__getitem__ consults __missing__.
        return 0


class Batch:
    def __init__(self, items):
        self._items = list(items)

    def __iter__(self):
        return self._items  # iter() needs an iterator, not a list

    def __len__(self):
        return len(self._items)


def first_nonempty(batch: "Batch | None"):
    if batch:  # an empty Batch is falsy too
        return batch
    return None
