from abc import abstractmethod
from collections.abc import MutableMapping


class Store(MutableMapping):
    """A tag-count store over some backend; subclasses choose the backend."""

    @abstractmethod
    def backend_name(self):
        ...

    def __getitem__(self, key):
        return self._data[key]

    def __len__(self):
        return len(self._data)

    def __iter__(self):
        return iter(self._data)
