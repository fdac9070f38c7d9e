"""The request object (mp_request, spec §4.3): one Python object per request, shared by all
its phases and filters, with a __dict__ for handler data.

State lives in three places: ``_h`` (RequestHead, read-only facts), ``_s`` (RequestSync,
fields both sides may change; Python's writes are recorded in ``_dirty``) and plain
attributes for what only Python sees. I/O, HTTP helpers and CGI/WSGI environments are
mixins in request_io / request_http / request_env.
"""

from types import MappingProxyType
from typing import Any, Optional

from mod_python._worker import state
from mod_python._worker.finfo import finfo as _finfo
from mod_python._worker.request_env import RequestEnv
from mod_python._worker.request_fields import (
    _not_writable, head_field, local_int, sync_int, sync_readonly, sync_str, sync_table,
)
from mod_python._worker.request_http import RequestHTTP
from mod_python._worker.request_io import RequestIO
from mod_python._worker.table import table

# Default RequestSync values, before Node sends its first sync.
_SYNC_DEFAULTS = {
    "filename": None, "canonical_filename": None, "path_info": None, "used_path_info": 2,
    "handler": None, "content_type": None, "content_encoding": None, "content_languages": [],
    "status": 200, "status_line": None, "user": None, "ap_auth_type": None, "no_cache": 0,
    "no_local_copy": 0, "mtime": 0.0, "clength": 0, "finfo": None, "allowed_methods": [],
    "allowed_methods_reset": False, "headers_out": [], "err_headers_out": [],
    "subprocess_env": [], "notes": [], "auth_type": None, "auth_name": None, "requires": [],
    "config": {}, "options": {}, "output_filters": [], "input_filters": [],
}
_TABLES = ("headers_in", "headers_out", "err_headers_out", "subprocess_env", "notes")
_METHOD_NUMBERS = {m: i for i, m in enumerate((
    "GET", "PUT", "POST", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "PROPFIND",
    "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "VERSION-CONTROL", "CHECKOUT",
    "UNCHECKOUT", "CHECKIN", "UPDATE", "LABEL", "REPORT", "MKWORKSPACE", "MKACTIVITY",
    "BASELINE-CONTROL", "MERGE"))}


_CONTENT_TYPE = sync_str("content_type", nullable=False)


class _NoCleanups(tuple):
    """The shared, immutable "no cleanups yet" of every request: iterable and clear()-able like
    the list register_cleanup puts in its place, but nothing can be added to it."""

    __slots__ = ()

    def clear(self) -> None:
        pass


_SYNC_SLOTS = tuple((k, "_t_" + k) for k in _TABLES)


class Request(RequestIO, RequestHTTP, RequestEnv):
    """mp_request."""

    # Defaults read through the class until a request sets its own value (into __dict__):
    # most requests never change most of them, and building a request is on every request's
    # path. Only immutable values can be shared like this.
    _prev = _next = _main = None
    _phase = None
    _hlist = None
    _extension = None
    _ct_set = 0
    _filters = None  # FilterSet, created when a Python filter is in play
    _added = MappingProxyType({})  # add_handler entries for later phases, returned once
    _cleanups = _NoCleanups()
    _has_tables = False  # a table attribute (headers_out …) was built: see sync_table

    def __init__(self, channel: Any, rid: int, head: dict, server: Any, connection: Any) -> None:
        d = self.__dict__
        d["_ch"] = channel
        d["_rid"] = rid
        d["_h"] = head
        s = _SYNC_DEFAULTS.copy()
        pu = head.get("parsed_uri")
        if pu and len(pu) > 6:
            uri = pu[6]
            s["uri"] = uri if uri is not None else head.get("unparsed_uri", "")
            s["args"] = pu[7] if len(pu) > 7 else None
        else:
            s["uri"] = head.get("unparsed_uri", "")
            s["args"] = None
        # Starts as the head has it; RequestHeader (sync) and the handler may change it.
        s["headers_in"] = head.get("headers_in") or []
        d["_s"] = s
        d["_dirty"] = set()
        d["_server"] = server
        d["_connection"] = connection
        d["_out"] = []  # response bytes queued, not yet flushed (request_io)

    # --- sync with Node ----------------------------------------------------------------
    def _apply_sync(self, sync: Optional[dict]) -> None:
        if not sync:
            return
        self._s.update(sync)
        d = self.__dict__
        if self._has_tables:
            for k, slot in _SYNC_SLOTS:
                if k in sync:
                    t = d.get(slot)
                    if t is not None:
                        t._replace_from_wire(sync[k])
        if "finfo" in sync:
            d.pop("_finfo_obj", None)
        if self._filters is not None or sync.get("python_filters"):
            if "python_filters" in sync or "output_filters" in sync or "input_filters" in sync:
                self._filter_set().on_sync()

    def _collect_sync(self) -> dict:
        out: dict = {}
        dirty = self._dirty
        s = self._s
        if dirty:
            for k in dirty:
                out[k] = s[k]
            dirty.clear()
        if self._has_tables:
            d = self.__dict__
            for k, slot in _SYNC_SLOTS:
                t = d.get(slot)
                if t is not None and t._dirty:
                    out[k] = s[k] = t._to_pairs()
                    t._dirty = False
        return out

    # --- head facts (read-only) -------------------------------------------------------
    the_request = head_field("the_request")
    method = head_field("method")
    method_number = head_field("method_number")
    protocol = head_field("protocol")
    proto_num = head_field("proto_num")
    unparsed_uri = head_field("unparsed_uri")
    hostname = head_field("hostname")
    request_time = head_field("request_time")
    range = head_field("range")

    @property
    def header_only(self) -> int:
        return 1 if self._h.get("header_only") else 0

    @property
    def expecting_100(self) -> int:
        return 1 if self._h.get("expecting_100") else 0

    @property
    def read_chunked(self) -> int:
        return 1 if self._h.get("read_chunked") else 0

    @property
    def parsed_uri(self) -> tuple:
        return tuple(self._h.get("parsed_uri") or (None,) * 9)


    # --- synced fields -----------------------------------------------------------------
    uri = sync_str("uri", nullable=False)
    args = sync_str("args", nullable=True)
    filename = sync_str("filename", nullable=False)
    canonical_filename = sync_str("canonical_filename", nullable=False)
    path_info = sync_str("path_info", nullable=False)
    handler = sync_str("handler", nullable=True)
    status_line = sync_str("status_line", nullable=False)
    ap_auth_type = sync_str("ap_auth_type", nullable=True)
    status = sync_int("status")
    used_path_info = sync_int("used_path_info")
    no_cache = sync_int("no_cache")
    no_local_copy = sync_int("no_local_copy")
    content_encoding = sync_readonly("content_encoding")
    content_languages = sync_readonly("content_languages", lambda v: tuple(v or ()))
    mtime = sync_readonly("mtime", lambda v: float(v or 0))
    clength = sync_readonly("clength", lambda v: int(v or 0))
    # Apache keeps the methods it knows in the r->allowed bitmask; only the others (HEAD,
    # extension methods) are in the method list mod_python shows as allowed_methods.
    allowed_methods = sync_readonly(
        "allowed_methods", lambda v: tuple(m for m in v or () if m not in _METHOD_NUMBERS))
    headers_in = sync_table("headers_in")
    headers_out = sync_table("headers_out")
    err_headers_out = sync_table("err_headers_out")
    subprocess_env = sync_table("subprocess_env")
    notes = sync_table("notes")

    @property
    def content_type(self) -> Optional[str]:
        return self._s.get("content_type")

    @content_type.setter
    def content_type(self, value: Any) -> None:
        # sync_str's setter, inlined (every content handler sets it): a plain ASCII str is
        # stored as it is, anything else goes through the same checks.
        if value.__class__ is not str or not value.isascii():
            _CONTENT_TYPE.fset(self, value)  # type: ignore[misc]
        else:
            d = self.__dict__
            d["_s"]["content_type"] = value
            d["_dirty"].add("content_type")
        self.__dict__["_ct_set"] = 1

    @property
    def _content_type_set(self) -> int:
        return self._ct_set

    @property
    def user(self) -> Optional[str]:
        return self._s.get("user")

    @user.setter
    def user(self, value: Any) -> None:
        if value is None or not isinstance(value, (str, bytes)):
            raise TypeError("not an ISO-8859-1 string")
        # Latin-1 on the way in and out for req.user (spec §4: the exception to UTF-8).
        v = value.decode("latin-1") if isinstance(value, bytes) else value
        try:
            v.encode("latin-1")
        except UnicodeEncodeError:
            raise TypeError("not an ISO-8859-1 string") from None
        self._s["user"] = v
        self._dirty.add("user")

    @property
    def finfo(self) -> _finfo:
        fi = self.__dict__.get("_finfo_obj")
        if fi is None:
            fi = self.__dict__["_finfo_obj"] = _finfo.from_tuple(self._s.get("finfo"))
        return fi

    @finfo.setter
    def finfo(self, value: Any) -> None:
        if not isinstance(value, _finfo):
            raise TypeError("finfo must be a finfoobject")
        self.__dict__["_finfo_obj"] = value
        self._s["finfo"] = list(value.as_tuple()) if value.filetype else None
        self._dirty.add("finfo")

    # --- Python-only state ---------------------------------------------------------------
    assbackwards = local_int("assbackwards")
    proxyreq = local_int("proxyreq")
    chunked = local_int("chunked")

    connection = property(lambda self: self._connection, _not_writable("connection"))
    server = property(lambda self: self._server, _not_writable("server"))
    next = property(lambda self: self._next, _not_writable("next"))
    prev = property(lambda self: self._prev, _not_writable("prev"))
    main = property(lambda self: self._main, _not_writable("main"))
    phase = property(lambda self: self._phase, _not_writable("phase"))
    hlist = property(lambda self: self._hlist, _not_writable("hlist"))
    extension = property(lambda self: self._extension, _not_writable("extension"))
    interpreter = property(lambda self: state.interpreter, _not_writable("interpreter"))
    vlist_validator = property(lambda self: None, _not_writable("vlist_validator"))
    _request_rec = property(lambda self: None, _not_writable("_request_rec"))

    @property
    def allowed(self) -> int:
        mask = 0
        for m in self._s.get("allowed_methods") or ():
            n = _METHOD_NUMBERS.get(m)
            if n is not None:
                mask |= 1 << n
        return mask

    @property
    def allowed_xmethods(self) -> tuple:
        return tuple(m for m in self._s.get("allowed_methods") or () if m not in _METHOD_NUMBERS)

    @property
    def useragent_ip(self) -> str:
        return self._h["connection"]["client_ip"]

    @property
    def useragent_addr(self) -> tuple:
        c = self._h["connection"]
        return (c["client_ip"], c["client_port"])

    def __repr__(self) -> str:
        return "<mp_request %s %s>" % (self._h.get("method"), self._s.get("uri"))


def _refuse_writes_like_upstream(cls: type) -> None:
    """Read-only properties answer an assignment with mp_request's own AttributeError."""
    for name in dir(cls):
        attr = getattr(cls, name, None)
        if isinstance(attr, property) and attr.fset is None:
            setattr(cls, name, property(attr.fget, _not_writable(name), None, attr.__doc__))


_refuse_writes_like_upstream(Request)
