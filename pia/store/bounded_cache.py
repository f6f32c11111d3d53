"""A small least-recently-used cache for values that never change under their key.

It sits in the store so that both the store (the built .ics feeds, pia.store.ical) and the web
(the public pages, pia.web.public.caching) can use it: layers import only downward. It keeps
values per process; a caller must key each value by something that changes whenever the value
would (a digest or fingerprint computed from the database), so a hit is never stale whatever
other processes have written.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """At most `capacity` values, the least recently used dropped first; safe across threads."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
