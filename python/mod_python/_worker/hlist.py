"""req.hlist: the handler list of the running phase (mod_python's hlist object).

Attributes describe the current entry (handler, directory, is_location, silent); next()
moves on. req.add_handler for the running phase appends, so the list can grow while
HandlerDispatch walks it."""

from typing import Any, Optional


class HList:
    __slots__ = ("_entries", "_i")

    def __init__(self, entries: list) -> None:
        self._entries = entries
        self._i = 0

    def _current(self) -> Optional[dict]:
        e = self._entries
        return e[self._i] if self._i < len(e) else None

    @property
    def handler(self) -> Optional[str]:
        c = self._current()
        return c["handler"] if c is not None else None

    @property
    def directory(self) -> Optional[str]:
        c = self._current()
        return c.get("directory") if c is not None else None

    @property
    def is_location(self) -> int:
        c = self._current()
        return 1 if c is not None and c.get("isLocation") else 0

    @property
    def silent(self) -> int:
        c = self._current()
        return 1 if c is not None and c.get("silent") else 0

    def next(self) -> None:
        self._i += 1

    def _append(self, entry: dict) -> None:
        self._entries.append(entry)

    def __repr__(self) -> str:
        return "<hlist %r>" % (self.handler,)


def single(entry: Any) -> HList:
    """An hlist with one entry (connection handlers)."""
    return HList([entry])
