"""Descriptors for req attributes: read-only facts of the RequestHead, writable fields of the
RequestSync (a write records the field as dirty so run_phase sends it back to Node), and
lazily built tables. Error types and messages match upstream's mp_request."""

from typing import Any, Callable

from mod_python._worker.table import _to_str, table


def _not_writable(name: str) -> Callable[[Any, Any], None]:
    def refuse(self: Any, value: Any) -> None:
        raise AttributeError("attribute '%s' of 'mp_request' objects is not writable" % name)
    return refuse


def head_field(name: str) -> property:
    """A fact of the request head, read-only."""
    def get(self: Any) -> Any:
        return self._h.get(name)
    return property(get, _not_writable(name))


def sync_readonly(name: str, convert: Callable[[Any], Any] = lambda v: v) -> property:
    def get(self: Any) -> Any:
        return convert(self._s.get(name))
    return property(get, _not_writable(name))


def sync_str(name: str, nullable: bool) -> property:
    """A writable string field; None only where upstream accepts it (args, handler …)."""
    def get(self: Any) -> Any:
        return self._s.get(name)

    def set_(self: Any, value: Any) -> None:
        if value is None:
            if not nullable:
                raise TypeError("not an ISO-8859-1 string")
        else:
            value = _to_str(value)
        self._s[name] = value
        self._dirty.add(name)
    return property(get, set_)


def sync_int(name: str) -> property:
    def get(self: Any) -> Any:
        return self._s.get(name)

    def set_(self: Any, value: Any) -> None:
        if isinstance(value, bool):
            value = int(value)
        if not isinstance(value, int):
            raise TypeError("'%s' object cannot be interpreted as an integer"
                            % type(value).__name__)
        self._s[name] = value
        self._dirty.add(name)
    return property(get, set_)


def sync_table(name: str) -> property:
    """headers_out & co: the table object is fixed (read-only attribute), its content is
    mutable; built from the wire pairs only when first touched."""
    slot = "_t_" + name

    def get(self: Any) -> table:
        d = self.__dict__
        t = d.get(slot)
        if t is None:
            t = d[slot] = table._from_pairs(self._s.get(name) or ())
            # The sync (request.py) looks at table slots only once a table exists.
            d["_has_tables"] = True
        return t
    return property(get, _not_writable(name))


def local_int(name: str) -> property:
    """A writable int that only Python uses (assbackwards, proxyreq, chunked)."""
    slot = "_l_" + name

    def get(self: Any) -> int:
        return self.__dict__.get(slot, 0)

    def set_(self: Any, value: Any) -> None:
        if not isinstance(value, int):
            raise TypeError("'%s' object cannot be interpreted as an integer"
                            % type(value).__name__)
        self.__dict__[slot] = int(value)
    return property(get, set_)
