"""mp_table: Apache's case-insensitive, multi-valued string table (spec §4.2).

Entries keep their insertion order and the case they were stored with; lookups ignore case.
``t[k] = v`` replaces every entry for k, ``t.add(k, v)`` appends a duplicate. A table built
from wire pairs stays unmaterialised until touched (most requests never read most tables),
and ``_dirty`` tells the sync code whether Python changed it.
"""

from typing import Any, Iterator


def _to_str(value: Any) -> str:
    """Values going into Apache must be ISO-8859-1 (stored as Latin-1 bytes upstream)."""
    if isinstance(value, str):
        s = value
    elif isinstance(value, (bytes, bytearray)):
        raw = bytes(value)
        try:
            s = raw.decode("utf-8")
        except UnicodeDecodeError:
            s = raw.decode("latin-1")
        return s
    else:
        # Upstream refuses non-strings here (update() converts with str() first).
        raise TypeError("not an ISO-8859-1 string")
    if not s.isascii():
        try:
            s.encode("latin-1")
        except UnicodeEncodeError:
            raise TypeError("not an ISO-8859-1 string") from None
    return s


def _key(key: Any) -> str:
    if isinstance(key, str):
        k = key
    elif isinstance(key, (bytes, bytearray)):
        k = bytes(key).decode("latin-1")
    else:
        raise TypeError("not an ISO-8859-1 string")
    return k


_REPLACED = ("",)  # marks a key of _set_many whose first entry took the new value


class table:  # noqa: N801 - the public name upstream code uses (apache.table)
    """A free-standing or request-bound mp_table."""

    __hash__ = None  # type: ignore[assignment]  # mutable, like upstream: unhashable

    def __init__(self, source: Any = None) -> None:
        # Each entry is a (lowercased key, key, value) tuple; entries are replaced, never
        # changed, so tables may share them (see _from_entries).
        self._e: list[tuple[str, str, str]] = []
        self._pairs: Any = None
        self._dirty = False
        if source is not None:
            self.update(source)
            self._dirty = False

    # --- lazy wire form -------------------------------------------------------------
    @classmethod
    def _from_pairs(cls, pairs: Any) -> "table":
        """A table over trusted wire pairs, materialised on first use."""
        t = cls.__new__(cls)
        t._e = None  # type: ignore[assignment]
        t._pairs = pairs
        t._dirty = False
        return t

    @classmethod
    def _from_entries(cls, entries: list) -> "table":
        """A table owning `entries` (a list of entry tuples, e.g. a copy of another's)."""
        t = cls.__new__(cls)
        t._e = entries
        t._pairs = None
        t._dirty = False
        return t

    @property
    def _entries(self) -> list[tuple[str, str, str]]:
        e = self._e
        if e is None:
            e = self._e = [(k.lower(), k, v) for k, v in self._pairs]
            self._pairs = None
        return e

    def _to_pairs(self) -> list[list[str]]:
        if self._e is None:
            return [list(p) for p in self._pairs]
        return [[k, v] for _, k, v in self._e]

    def _replace_from_wire(self, pairs: Any) -> None:
        """Node changed the table: take its content without marking it dirty."""
        self._e = None  # type: ignore[assignment]
        self._pairs = pairs
        self._dirty = False

    # --- mapping protocol ---------------------------------------------------------------
    def __getitem__(self, key: Any) -> Any:
        lk = (key if key.__class__ is str else _key(key)).lower()
        entries = self._e if self._e is not None else self._entries
        found = [v for k, _, v in entries if k == lk]
        if not found:
            raise KeyError(key)
        return found[0] if len(found) == 1 else found

    def __setitem__(self, key: Any, value: Any) -> None:
        k = key if key.__class__ is str else _key(key)
        v = value if value.__class__ is str and value.isascii() else _to_str(value)
        lk = k.lower()
        entries = self._e if self._e is not None else self._entries
        for i, e in enumerate(entries):
            if e[0] == lk:
                entries[i] = (lk, k, v)
                entries[i + 1:] = [x for x in entries[i + 1:] if x[0] != lk]
                break
        else:
            entries.append((lk, k, v))
        self._dirty = True

    def __delitem__(self, key: Any) -> None:
        lk = _key(key).lower()
        entries = self._entries
        # Deleting an absent key is silently accepted, as upstream does.
        entries[:] = [e for e in entries if e[0] != lk]
        self._dirty = True

    def __contains__(self, key: Any) -> bool:
        if key.__class__ is not str:
            if not isinstance(key, (str, bytes, bytearray)):
                return False
            key = _key(key)
        lk = key.lower()
        for e in self._e if self._e is not None else self._entries:
            if e[0] == lk:
                return True
        return False

    def has_key(self, key: Any) -> int:
        return 1 if key in self else 0

    def __len__(self) -> int:
        return len(self._e) if self._e is not None else len(self._pairs)

    def __iter__(self) -> Iterator[str]:
        return iter([k for _, k, _ in self._entries])

    def add(self, key: Any, value: Any) -> None:
        k = key if key.__class__ is str else _key(key)
        v = value if value.__class__ is str and value.isascii() else _to_str(value)
        self._entries.append((k.lower(), k, v))
        self._dirty = True

    def get(self, key: Any, default: Any = None) -> Any:
        lk = (key if key.__class__ is str else _key(key)).lower()
        for k, _, v in self._e if self._e is not None else self._entries:
            if k == lk:
                return v
        return default

    def keys(self) -> list[str]:
        return [k for _, k, _ in self._entries]

    def values(self) -> list[str]:
        return [v for _, _, v in self._entries]

    def items(self) -> list[tuple[str, str]]:
        return [(k, v) for _, k, v in self._entries]

    def iterkeys(self) -> Iterator[str]:
        return iter(self.keys())

    def itervalues(self) -> Iterator[str]:
        return iter(self.values())

    def iteritems(self) -> Iterator[tuple[str, str]]:
        return iter(self.items())

    def update(self, source: Any = None, **kw: Any) -> None:
        """Sets str(key) → str(value) for a mapping, a table or a sequence of pairs."""
        if source is not None:
            if hasattr(source, "items") and not isinstance(source, (list, tuple)):
                pairs = list(source.items())
            else:
                pairs = list(source)
            for pair in pairs:
                k, v = pair
                self[k if isinstance(k, (str, bytes)) else str(k)] = (
                    v if isinstance(v, (str, bytes)) else str(v)
                )
        for k, v in kw.items():
            self[k] = v

    def _set_many(self, pairs: Any) -> None:
        """``for k, v in pairs: self[k] = v`` in one pass over the entries instead of one per
        key (the CGI/WSGI environment sets ~25 keys into subprocess_env at once)."""
        new: dict = {}
        try:
            for key, value in pairs:
                k = key if key.__class__ is str else _key(key)
                lk = k.lower()
                if value.__class__ is not str or not value.isascii():
                    value = _to_str(value)
                new[lk] = (lk, k, value)  # a later value wins, at the first one's place
        except TypeError:
            # Apply them one by one, so the error comes at the same key with the same effect.
            for key, value in pairs:
                self[key] = value
            return
        if not new:
            return
        out = []
        for e in self._entries:
            repl = new.get(e[0])
            if repl is None:
                out.append(e)
            elif repl is not _REPLACED:
                out.append(repl)  # the first entry of the key takes the new value …
                new[e[0]] = _REPLACED  # … and its later duplicates go
        out.extend(e for e in new.values() if e is not _REPLACED)
        self._e = out
        self._dirty = True

    def copy(self) -> "table":
        return table._from_entries(list(self._entries))

    def clear(self) -> None:
        self._entries.clear()
        self._dirty = True

    def setdefault(self, key: Any, default: Any = "") -> Any:
        if key in self:
            return self.get(key)
        self[key] = "" if default is None else default
        return self.get(key)

    def pop(self, key: Any, *default: Any) -> Any:
        if key in self:
            value = self[key]
            del self[key]
            return value
        if default:
            return default[0]
        raise KeyError(key)

    def popitem(self) -> tuple[str, str]:
        """Returns and removes the first entry (upstream removed the last one: a C bug)."""
        entries = self._entries
        if not entries:
            raise KeyError("popitem(): table is empty")
        _, k, v = entries.pop(0)
        self._dirty = True
        return (k, v)

    # --- comparison and display ---------------------------------------------------------
    def _as_dict(self) -> dict[str, str]:
        return {k: v for _, k, v in self._entries}

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, table):
            return self._as_dict() == other._as_dict()
        if isinstance(other, dict):
            return self._as_dict() == other
        return NotImplemented

    def __ne__(self, other: Any) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __repr__(self) -> str:
        # mod_python prints the entries last-first (its C loop walks the array backwards).
        return "{" + ", ".join(f"{k!r}: {v!r}" for _, k, v in reversed(self._entries)) + "}"


make_table = table
