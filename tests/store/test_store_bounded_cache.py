"""The bounded cache the .ics feeds and the public pages share: the least recently used value goes
first, a read counts as a use, and it never holds more than its capacity."""

from __future__ import annotations

import threading

from pia.store.bounded_cache import BoundedCache


def test_the_least_recently_used_value_is_dropped_first() -> None:
    cache: BoundedCache[str, int] = BoundedCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recently used
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)
    cache.put("a", 10)  # replacing a value keeps one entry for the key
    assert len(cache) == 2 and cache.get("a") == 10
    cache.clear()
    assert len(cache) == 0 and cache.get("a") is None


def test_it_holds_at_most_its_capacity_under_concurrent_writers() -> None:
    cache: BoundedCache[tuple[int, int], int] = BoundedCache(16)

    def write(worker: int) -> None:
        for n in range(500):
            cache.put((worker, n), n)
            cache.get((worker, n - 1))

    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(cache) == 16
