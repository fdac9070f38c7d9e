"""A value worked out from a dict, kept for the last dict seen: the config and options dicts
of requests, which come by reference (ref.define) and so are one shared object, never changed
in place, for every request of the same configuration."""

from typing import Any, Callable


class LastDictCache:
    """make(d) for the last dict d seen. The same dict object again is a hit at the cost of an
    identity check; an equal other one (e.g. a fresh empty {}) costs a comparison; anything
    else is worked out anew. The dict itself is kept, not a copy: a copy would never be the
    same object, so every call would pay for the comparison."""

    __slots__ = ("_make", "_src", "_value")

    def __init__(self, make: Callable[[dict], Any]) -> None:
        self._make = make
        self._src: Any = None
        self._value: Any = None

    def __call__(self, src: dict) -> Any:
        if src is not self._src and src != self._src:
            self._value = self._make(src)
            self._src = src
        return self._value

    def forget(self) -> None:
        """The next call works its value out anew (what make() reads besides the dict changed)."""
        self._src = None
        self._value = None
