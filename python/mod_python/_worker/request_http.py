"""HTTP helpers of the request object: auth, URLs, config tables, conditional requests
(ETag / Last-Modified / meets_conditions as Apache's ap_meets_conditions), handler and filter
registration, internal_redirect, cleanups and logging."""

import base64
import os
import time
from email.utils import formatdate, parsedate_tz, mktime_tz
from typing import Any, Optional

from mod_python._worker.last_dict_cache import LastDictCache
from mod_python._worker.table import table

APLOG_ERR = 3
OK = 0
HTTP_NOT_MODIFIED = 304
HTTP_PRECONDITION_FAILED = 412
REMOTE_HOST, REMOTE_NAME, REMOTE_NOLOOKUP, REMOTE_DOUBLE_REV = 0, 1, 2, 3
# Phases req.add_handler accepts (upstream refuses PythonCleanupHandler with IndexError too).
PHASES = (
    "PythonPostReadRequestHandler", "PythonTransHandler", "PythonHeaderParserHandler",
    "PythonInitHandler", "PythonAccessHandler", "PythonAuthenHandler", "PythonAuthzHandler",
    "PythonTypeHandler", "PythonFixupHandler", "PythonHandler", "PythonLogHandler",
)


def canonical_dir(directory: Any) -> Optional[str]:
    if directory is None:
        return None
    d = os.path.normpath(os.path.abspath(os.fsdecode(directory)))
    return d if d.endswith("/") else d + "/"


def _parse_http_date(value: Optional[str]) -> Optional[float]:
    if not value:
        return None
    parsed = parsedate_tz(value)
    return float(mktime_tz(parsed)) if parsed else None


def _etag_list_matches(header: str, etag: str, weak_ok: bool) -> bool:
    def strip(t: str) -> str:
        return t[2:] if t.startswith("W/") else t
    if not weak_ok and etag.startswith("W/"):
        return False
    for candidate in header.split(","):
        c = candidate.strip()
        if not c:
            continue
        if weak_ok:
            if strip(c) == strip(etag):
                return True
        elif not c.startswith("W/") and c == etag:
            return True
    return False


def _entries_of(src: dict, drop_empty: bool) -> list:
    pairs = [(k, v) for k, v in src.items() if not (drop_empty and v == "")]
    if len({k.lower() for k, _ in pairs}) != len(pairs):
        # Names equal but for case: let table() merge them.
        return table(dict(pairs))._e
    return [(k.lower(), k, v) for k, v in pairs]


# The table entries of the last config and options dicts seen (get_options drops empty values).
_config_entries = LastDictCache(lambda src: _entries_of(src, False))
_options_entries = LastDictCache(lambda src: _entries_of(src, True))


class RequestHTTP:
    """Mixin of Request."""

    _ch: Any
    _rid: int
    _h: dict
    _s: dict
    _dirty: set

    # --- logging, cleanups ---------------------------------------------------------------
    def log_error(self, message: Any, level: int = APLOG_ERR) -> None:
        self._ch.log(level or APLOG_ERR, str(message), self._rid)

    def register_cleanup(self, callback: Any, data: Any = None) -> None:
        if not callable(callback):
            raise ValueError("first argument must be a callable object")
        cleanups = self.__dict__.get("_cleanups")
        if cleanups is None:  # still the class's shared empty default
            cleanups = self.__dict__["_cleanups"] = []
        cleanups.append((callback, data))

    # --- configuration -------------------------------------------------------------------
    def get_config(self) -> table:
        return self._directive_table("config", _config_entries)

    def get_options(self) -> table:
        return self._directive_table("options", _options_entries)

    def _directive_table(self, key: str, entries_of: LastDictCache) -> table:
        """A fresh table (callers may change it) over the config/options dict Node sent.
        Its entries are worked out once and shared (entries are immutable tuples) while the
        dict stays the same — requests of one configuration share it — not on every call
        (publisher, psp, wsgi and Session ask several times per request)."""
        return table._from_entries(list(entries_of(self._s.get(key) or {})))

    def document_root(self) -> str:
        return self._h.get("document_root") or ""

    def get_addhandler_exts(self) -> str:
        return self._s.get("addhandler_exts") or ""

    def send_http_header(self) -> None:
        """Kept for old scripts: headers go out with the first write."""

    # --- auth ----------------------------------------------------------------------------
    def auth_name(self) -> Optional[str]:
        return self._s.get("auth_name")

    def auth_type(self) -> Optional[str]:
        return self._s.get("auth_type")

    # No requires(): mod_python 3.5 built against httpd 2.4 has none (spec §4.3), and code
    # tells the two Apache generations apart with hasattr(req, 'requires').

    def get_basic_auth_pw(self) -> Optional[str]:
        """Password of the Basic credentials (Latin-1); sets req.user. None unless
        ``AuthType Basic`` and AuthName apply and Basic credentials came, as Apache's
        ap_get_basic_auth_pw refuses then; missing or non-Basic credentials also add the
        WWW-Authenticate challenge to err_headers_out, as Apache's auth-failure note does."""
        if (self._s.get("auth_type") or "").lower() != "basic" or self._s.get("auth_name") is None:
            return None
        header = self.headers_in.get("authorization")  # type: ignore[attr-defined]
        scheme, _, encoded = (header or "").strip().partition(" ")
        if scheme.lower() != "basic":
            self.err_headers_out["WWW-Authenticate"] = (  # type: ignore[attr-defined]
                'Basic realm="%s"' % self._s.get("auth_name"))
            return None
        try:
            decoded = base64.b64decode(encoded.strip(), validate=False).decode("latin-1")
        except ValueError:
            return None
        user, _, password = decoded.partition(":")
        self._s["user"] = user
        self._dirty.add("user")
        return password

    # --- URLs, hosts ---------------------------------------------------------------------
    def is_https(self) -> int:
        return 1 if self._h.get("is_https") else 0

    def ssl_var_lookup(self, name: str) -> Optional[str]:
        if not self._h.get("is_https"):
            return None
        try:
            value = self._ch.call(self._rid, "ssl_var_lookup", {"name": name})
        except Exception:  # noqa: BLE001 - an unknown variable or no TLS facts: None
            return None
        return None if value is None else str(value)

    def construct_url(self, uri: str) -> str:
        https = bool(self._h.get("is_https"))
        scheme = "https" if https else "http"
        host = self._h.get("hostname") or self._h["server"]["server_hostname"]
        default = 443 if https else 80
        # Apache (UseCanonicalName Off): the port the client named in Host, else the
        # server's own (ServerName's port), else the scheme's default.
        port = _host_header_port(self.headers_in.get("host")) or self._h["server"].get("port") or default  # type: ignore[attr-defined]
        if ":" in host and not host.startswith("["):
            host = "[%s]" % host  # an IPv6 literal, as ap_get_server_name_for_url writes it
        hostport = host if port == default else "%s:%s" % (host, port)
        return "%s://%s%s" % (scheme, hostport, uri)

    def get_remote_host(self, type: int = REMOTE_NAME, str_is_ip: Any = None) -> Any:  # noqa: A002
        conn = self._h.get("connection") or {}
        name = conn.get("remote_host")
        ip = conn.get("client_ip")
        if type in (REMOTE_HOST, REMOTE_DOUBLE_REV):
            result, is_ip = name, False
        elif name:
            result, is_ip = name, False
        else:
            result, is_ip = ip, True
        if str_is_ip is not None:
            return (result, 1 if is_ip and result is not None else 0)
        return result

    # --- response metadata ---------------------------------------------------------------
    def set_content_length(self, length: int) -> None:
        self._s["clength"] = int(length)
        self._dirty.add("clength")
        self.headers_out["Content-Length"] = str(int(length))  # type: ignore[attr-defined]

    def allow_methods(self, methods: Any, reset: Any = 0) -> None:
        if isinstance(methods, str) or not hasattr(methods, "__iter__"):
            raise TypeError("First argument must be a tuple or list of strings")
        names = [str(m).upper() for m in methods]
        current = [] if reset else list(self._s.get("allowed_methods") or ())
        current.extend(n for n in names if n not in current)
        self._s["allowed_methods"] = current
        self._dirty.add("allowed_methods")
        if reset:
            self._s["allowed_methods_reset"] = True
            self._dirty.add("allowed_methods_reset")

    def update_mtime(self, dependency_mtime: float) -> None:
        if dependency_mtime > (self._s.get("mtime") or 0):
            self._s["mtime"] = float(dependency_mtime)
            self._dirty.add("mtime")

    def _make_etag(self) -> str:
        mtime = float(self._s.get("mtime") or 0)
        fi = self._s.get("finfo")
        usec = int(mtime * 1_000_000)
        if fi and fi[6] is not None:
            etag = '"%x-%x"' % (fi[6], usec)
        else:
            etag = '"%x"' % usec
        # Apache marks the ETag weak when the file changed within the last second.
        if self._h.get("request_time", time.time()) - mtime < 1:
            etag = "W/" + etag
        return etag

    def set_etag(self) -> None:
        self.headers_out["ETag"] = self._make_etag()  # type: ignore[attr-defined]

    def set_last_modified(self) -> None:
        mtime = float(self._s.get("mtime") or 0)
        when = min(mtime, float(self._h.get("request_time") or time.time()))
        self.headers_out["Last-Modified"] = formatdate(when, usegmt=True)  # type: ignore[attr-defined]

    def meets_conditions(self) -> int:
        """Conditional-request check of Apache 2.4 (OK, 304 or 412)."""
        status = self._s.get("status") or 200
        if not 200 <= status < 300 or self._s.get("no_local_copy"):
            return OK
        hin = self.headers_in  # type: ignore[attr-defined]
        etag = self.headers_out.get("ETag")  # type: ignore[attr-defined]
        request_time = float(self._h.get("request_time") or time.time())
        mtime = float(self._s.get("mtime") or 0) or request_time
        safe = self._h.get("method") in ("GET", "HEAD")

        if_match = hin.get("If-Match")
        if if_match is not None:
            if if_match.strip() != "*" and (not etag or not _etag_list_matches(if_match, etag, False)):
                return HTTP_PRECONDITION_FAILED
        else:
            ius = _parse_http_date(hin.get("If-Unmodified-Since"))
            if ius is not None and mtime > ius:
                return HTTP_PRECONDITION_FAILED

        if_none = hin.get("If-None-Match")
        if if_none is not None:
            if if_none.strip() == "*" or (etag and _etag_list_matches(if_none, etag, safe)):
                return HTTP_NOT_MODIFIED if safe else HTTP_PRECONDITION_FAILED
        elif self._h.get("method") == "GET":
            ims = _parse_http_date(hin.get("If-Modified-Since"))
            if ims is not None and ims >= mtime and ims <= request_time:
                return HTTP_NOT_MODIFIED
        return OK

    # --- handlers, filters, redirects ----------------------------------------------------
    def add_handler(self, phase: str, handler: str, directory: Any = None) -> None:
        if phase not in PHASES:
            raise IndexError("Invalid phase: %s" % phase)
        entry = {"handler": str(handler), "directory": canonical_dir(directory),
                 "isLocation": False, "silent": False}
        hlist = self._hlist  # type: ignore[attr-defined]
        if phase == self._phase and hlist is not None:  # type: ignore[attr-defined]
            hlist._append(entry)
        else:
            added = self.__dict__.get("_added")
            if added is None:  # still the class's shared, read-only empty default
                added = self.__dict__["_added"] = {}
            added.setdefault(phase, []).append(entry)

    def internal_redirect(self, new_uri: str) -> None:
        # Output written so far goes first; an untouched response must stay unsent, since the
        # new request answers instead of this one.
        if self._out:  # type: ignore[attr-defined]
            self._push(final=False)  # type: ignore[attr-defined]
        args = {"uri": str(new_uri)}
        # What this phase changed so far goes along: the new request shares headers_in and
        # inherits subprocess_env (renamed REDIRECT_*), as in httpd.
        sync = self._collect_sync()  # type: ignore[attr-defined]
        if sync:
            args["sync"] = sync
        self._ch.call(self._rid, "internal_redirect", args)

    def _filter_set(self) -> Any:
        fs = self._filters  # type: ignore[attr-defined]
        if fs is None:
            from mod_python._worker.filter import FilterSet
            fs = self.__dict__["_filters"] = FilterSet(self)
        return fs

    def register_output_filter(self, name: str, handler: str, directory: Any = None) -> None:
        self._filter_set().register(name, handler, canonical_dir(directory), is_input=False)

    def register_input_filter(self, name: str, handler: str, directory: Any = None) -> None:
        self._filter_set().register(name, handler, canonical_dir(directory), is_input=True)

    def add_output_filter(self, name: str) -> None:
        self._add_filter_name("output_filters", name)

    def add_input_filter(self, name: str) -> None:
        self._add_filter_name("input_filters", name)

    def _add_filter_name(self, key: str, name: str) -> None:
        names = list(self._s.get(key) or ())
        names.append(str(name))
        self._s[key] = names
        self._dirty.add(key)
        fs = self._filters  # type: ignore[attr-defined]
        if fs is not None:
            fs.on_sync()
        else:
            self._filter_set()


def _host_header_port(host: Any) -> int:
    """The port in a Host header value ("name:port", "[v6]:port"), 0 when none is given."""
    if not host:
        return 0
    _, sep, port = host.rpartition(":")
    if sep and port.isdigit() and not host.endswith("]"):
        return int(port)
    return 0
