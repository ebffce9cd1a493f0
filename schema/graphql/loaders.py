"""Per-request batch loading for sync resolvers: the first lookup loads every sibling key at once (no N+1)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BatchLoader(Generic[K, V]):
    """Loads values for a set of keys in one call; keys announced with :meth:`expect` are loaded together."""

    def __init__(self, load_many: Callable[[list[K]], dict[K, V]], default: Callable[[], V]) -> None:
        self._load_many = load_many
        self._default = default
        self._expected: set[K] = set()
        self._values: dict[K, V] = {}

    def expect(self, keys: Iterable[K]) -> None:
        """Announce keys that siblings will ask for, so the first ``load`` fetches them all."""
        self._expected.update(k for k in keys if k not in self._values)

    def load(self, key: K) -> V:
        """The value for ``key``, loading every expected key in the same round trip."""
        if key not in self._values:
            keys = list(self._expected | {key})
            found = self._load_many(keys)
            for k in keys:
                self._values[k] = found.get(k, self._default())
            self._expected.clear()
        return self._values[key]
