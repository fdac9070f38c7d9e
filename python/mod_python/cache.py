"""mod_python.cache — small thread-safe caches with per-entry locks and optional LRU bound.

Written for modpy. ``ModuleCache`` is the publisher's page cache (a file executed into a
private module object, not in sys.modules, rebuilt when the file changes). ``HTTPCache``
works on Python 3 (upstream used urllib.request without importing it).
"""

import re
import types
import urllib.error
import urllib.request
import weakref
from calendar import timegm
from collections import OrderedDict
from email.utils import parsedate
from os import stat
from threading import Lock
from time import time

NOT_INITIALIZED = object()


class Entry(object):
    """One cache slot: the value (or NOT_INITIALIZED), its lock and free-form metadata."""

    def __init__(self, key):
        self._key = key
        self._value = NOT_INITIALIZED
        self._lock = Lock()


class Cache(object):
    """Abstract cache: subclasses define check() (stale?) and build() (make the value).

    With max_size > 0 the least recently used entry is dropped beyond max_size entries.
    """

    def __init__(self, max_size=0):
        self._maxsize = max_size
        self._dict = OrderedDict()  # key → Entry, least recently used first
        self._lock = Lock()

    # -- overridables ----------------------------------------------------------------------
    def key(self, name):
        return name

    def check(self, key, name, entry):
        """None when the entry is fresh, else an opened resource passed to build()."""
        return None

    def build(self, key, name, opened, entry):
        raise NotImplementedError()

    def commit(self):
        """Called whenever a value was (re)built or set (e.g. to persist the cache)."""

    def _pack(self, entry, value):
        entry._value = value

    def _unpack(self, entry):
        return entry._value

    # -- mapping -----------------------------------------------------------------------------
    def __getitem__(self, name):
        return self._checkitem(name)[2]

    def __setitem__(self, name, value):
        entry = self._get_entry(self.key(name))
        with entry._lock:
            self._pack(entry, value)
            self.commit()

    def __delitem__(self, name):
        with self._lock:
            del self._dict[self.key(name)]

    def _discard(self, key):
        with self._lock:
            self._dict.pop(key, None)

    def clear(self):
        with self._lock:
            self._dict.clear()

    def mru(self):
        """Most recently used key (None when unbounded or empty)."""
        with self._lock:
            return next(reversed(self._dict), None) if self._maxsize else None

    def lru(self):
        """Least recently used key (None when unbounded or empty)."""
        with self._lock:
            return next(iter(self._dict), None) if self._maxsize else None

    def _get_entry(self, key):
        with self._lock:
            entry = self._dict.get(key)
            if entry is None:
                entry = self._dict[key] = Entry(key)
                if self._maxsize and len(self._dict) > self._maxsize:
                    self._dict.popitem(last=False)
            elif self._maxsize:
                self._dict.move_to_end(key)
            return entry

    def _checkitem(self, name):
        """(is_new, key, value, entry), rebuilding the value when missing or stale."""
        key = self.key(name)
        entry = self._get_entry(key)
        with entry._lock:
            value = self._unpack(entry)
            opened = self.check(key, name, entry)
            if value is NOT_INITIALIZED or opened is not None:
                value = self.build(key, name, opened, entry)
                self._pack(entry, value)
                self.commit()
                return True, key, value, entry
            return False, key, value, entry


class WeakCache(Cache):
    """Holds weak references: a value leaves the cache when nobody else uses it."""

    def _pack(self, entry, value):
        entry._value = weakref.ref(value, lambda ref, key=entry._key: self._discard(key))

    def _unpack(self, entry):
        if entry._value is NOT_INITIALIZED:
            return NOT_INITIALIZED
        value = entry._value()
        return NOT_INITIALIZED if value is None else value


class FileCache(Cache):
    """File name → content, re-read when the file's modification time or size changes."""

    def __init__(self, max_size=0, mode='rb'):
        Cache.__init__(self, max_size)
        self.mode = mode

    def check(self, key, name, entry):
        return self.reopen_if_changed(key, stat(key), entry)

    def reopen_if_changed(self, key, st, entry):
        """The file opened anew when `st` (its stat) differs from what the entry was built
        from, else None."""
        stamp = (st.st_mtime_ns, st.st_size)
        if entry._value is NOT_INITIALIZED or getattr(entry, '_stamp', None) != stamp:
            entry._stamp = stamp
            entry._timestamp = st.st_mtime
            return open(key, self.mode)
        return None

    def build(self, key, name, opened, entry):
        with opened:
            return opened.read()


_not_word = re.compile(r'\W+')


class ModuleCache(FileCache):
    """File name → module object from executing the file; never placed in sys.modules."""

    def __init__(self, max_size=0):
        FileCache.__init__(self, max_size, 'rb')

    def build(self, key, name, opened, entry):
        with opened:
            source = opened.read()
        # Compiled from bytes so a `# -*- coding: … -*-` line is honoured (upstream #120).
        code = compile(source, key, 'exec')
        module = types.ModuleType(_not_word.sub('_', key))
        module.__file__ = key
        exec(code, module.__dict__)
        return module


def parseRFC822Time(t):  # noqa: N802 — upstream's name
    return timegm(parsedate(t))


_max_age = re.compile(r'max-age\s*=\s*(\d+)', re.I)


class HTTPEntity(object):
    def __init__(self, entity, metadata):
        self.entity = entity
        self.metadata = metadata

    def __repr__(self):
        return 'HTTPEntity(%r, %r)' % (self.entity, self.metadata)

    def __str__(self):
        return self.entity.decode('utf-8', 'replace') if isinstance(self.entity, bytes) else self.entity


class HTTPCache(Cache):
    """URL → HTTPEntity; honours max-age/Expires and revalidates with ETag/Last-Modified."""

    def check(self, key, name, entry):
        if entry._value is not NOT_INITIALIZED and time() < getattr(entry, '_expires', 0):
            return None
        request = urllib.request.Request(key)
        validator = getattr(entry, '_validator', None)
        if validator and entry._value is not NOT_INITIALIZED:
            request.add_header(*validator)
        try:
            opened = urllib.request.urlopen(request)
        except urllib.error.HTTPError as error:
            if error.code == 304 and entry._value is not NOT_INITIALIZED:
                error.close()
                return None
            raise
        headers = opened.info()
        match = _max_age.search(headers.get('cache-control', '') or '')
        if match:
            entry._expires = time() + int(match.group(1))
        elif headers.get('date') and headers.get('expires'):
            try:
                entry._expires = time() + (parseRFC822Time(headers['expires'])
                                           - parseRFC822Time(headers['date']))
            except (TypeError, ValueError):
                pass
        if headers.get('etag'):
            entry._validator = ('If-None-Match', headers['etag'])
        elif headers.get('last-modified'):
            entry._validator = ('If-Modified-Since', headers['last-modified'])
        return opened

    def build(self, key, name, opened, entry):
        with opened:
            return HTTPEntity(opened.read(), dict(opened.info()))


class HttpModuleCache(HTTPCache):
    """URL → module object from executing the Python source found there."""

    def build(self, key, name, opened, entry):
        with opened:
            source = opened.read()
        module = types.ModuleType(_not_word.sub('_', key))
        module.__file__ = key
        exec(compile(source, key, 'exec'), module.__dict__)
        return module


class FunctionCache(Cache):
    """Memoise a function by its (hashable) arguments."""

    def __init__(self, function, max_size=0):
        Cache.__init__(self, max_size)
        self.function = function

    def __call__(self, *args, **kw):
        return self[args, tuple(sorted(kw.items()))]

    def build(self, key, name, opened, entry):
        args, kw = key
        return self.function(*args, **dict(kw))
