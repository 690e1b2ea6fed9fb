"""Per-app in-memory LRU caches (the week views, the load records), behind one lock.

`lru(name)` is an OrderedDict kept in the app's extensions (in a module dict outside an app),
so two apps (or two test databases) in one process never see each other's users. `recall`
reads an entry (None when absent), `remember` adds one and drops the oldest past `size`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from flask import current_app, has_app_context

lock = threading.Lock()
_outside_app: dict[str, OrderedDict] = {}


def lru(name: str) -> OrderedDict:
    """The cache called `name` of the current app (created empty on first use)."""
    store = current_app.extensions if has_app_context() else _outside_app
    with lock:
        cache = store.get(name)
        if cache is None:
            cache = store[name] = OrderedDict()
    return cache


def recall(cache: OrderedDict, key: Hashable) -> Any | None:
    with lock:
        if key not in cache:
            return None
        cache.move_to_end(key)
        return cache[key]


def remember(cache: OrderedDict, key: Hashable, value: Any, size: int) -> None:
    with lock:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > size:
            cache.popitem(last=False)
