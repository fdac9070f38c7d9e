"""CGI and WSGI environments of the request: add_common_vars / add_cgi_vars (Apache's
ap_add_common_vars / ap_add_cgi_vars) and build_wsgi_env / wsgi_start_response (spec §4.13).

Deliberate differences from mod_python 3.5 (listed in docs/compat.md): REQUEST_URI keeps the
query string, as Apache's own CGI does; the WSGI status IS applied to the response (upstream
issue #53); PATH_INFO in the WSGI environ is latin-1 per PEP 3333; a Content-Type given to
start_response wins over the type Apache guessed; wsgi.run_once is present.
"""

import os
import sys
from typing import Any, Optional

_SKIPPED_HEADERS = ("authorization", "proxy-authorization")


def _server_software() -> str:
    import mod_python
    v = sys.version_info
    return "Apache/2.4 (Unix) modpy/%s mod_python/%s Python/%d.%d.%d" % (
        mod_python.modpy_version, mod_python.mp_version, v[0], v[1], v[2])


_SOFTWARE: Optional[str] = None
_SKIP = ""
# The Authorization header: not a CGI variable either, but the WSGI environ carries it, so
# the pass over the headers keeps its value (_SKIP would lose it).
_AUTH = "authorization"
# Header name → its CGI variable (_SKIP/_AUTH for the ones CGI never sees), worked out once
# per name.
_HEADER_VARS: dict = {}
_HEADER_VARS_MAX = 1024


def _header_var(name: str) -> str:
    lname = name.lower()
    if lname == "authorization":
        key = _AUTH
    elif lname in _SKIPPED_HEADERS:
        key = _SKIP
    elif lname == "content-type":
        key = "CONTENT_TYPE"
    elif lname == "content-length":
        key = "CONTENT_LENGTH"
    else:
        key = "HTTP_" + "".join(c if c.isalnum() else "_" for c in name.upper())
    if len(_HEADER_VARS) >= _HEADER_VARS_MAX:
        _HEADER_VARS.clear()  # many distinct names (a hostile client): start over
    _HEADER_VARS[name] = key
    return key


# The sync key that carries variables stored into an empty subprocess_env (docs/protocol.md,
# "What a phase changed"): two strings, the names and the values, each joined by _SEP.
PACKED_KEY = "subprocess_env_packed"
_SEP = "\n"


def _store(req: Any, env: Any, values: dict) -> bool:
    """``env[k] = v`` for every item of `values`; True when env now holds exactly `values`, in
    its order (so a copy of `values` is a copy of env).

    An empty env (no SetEnv, the common case) takes the pairs as they are, as a table built
    from trusted wire pairs: the same entries _set_many would make, without lower-casing and
    checking ~30 keys and values one by one — valid when every key and value is an ASCII str
    (nothing to convert or refuse; distinct upper-case ASCII names stay distinct ignoring
    case). Anything else goes through _set_many, which converts or raises as before.

    Such a table also travels back to the server packed: the names joined into one string and
    the values into another (the joins the ASCII check needs anyway), under PACKED_KEY instead
    of as ~30 pairs in the table's own key. That was ~4 µs of the worker's JSON encoding per
    WSGI request, and ~1–3 µs of the server's parsing. The server unpacks it into the pairs at
    once, so every reader there sees what the pairs would have given. It is used only while the
    server's view of the table is known to be empty too (env not changed since the last sync)
    and when no name or value contains _SEP; any later change of env in the same phase sends
    the whole table as before, which the server takes over the packed form."""
    if len(env) == 0:
        try:
            names = _SEP.join(values)
            texts = _SEP.join(values.values())
        except TypeError:  # a value that is not a str: _set_many says what is wrong
            plain = False
        else:
            plain = names.isascii() and texts.isascii()
        if plain:
            unsynced = env._dirty  # emptied by Python since the last sync: the server's is not
            env._replace_from_wire(list(values.items()))
            n = len(values) - 1
            if unsynced or n < 0 or names.count(_SEP) != n or texts.count(_SEP) != n:
                env._dirty = True
            else:
                req._s[PACKED_KEY] = [names, texts]
                req._dirty.add(PACKED_KEY)
            return True
    env._set_many(values.items())
    return False


class RequestEnv:
    """Mixin of Request."""

    _h: dict
    _s: dict

    def add_common_vars(self) -> None:
        env = self.subprocess_env  # type: ignore[attr-defined]
        values: dict = {}
        self._common_vars(env, values)
        _store(self, env, values)

    def _common_vars(self, env: Any, values: dict) -> Optional[str]:
        """What add_common_vars sets, into `values` (in order; set into env by the caller):
        one pass over subprocess_env instead of one per variable. Returns the first
        Authorization header's value (headers_in.get("authorization")), or None."""
        global _SOFTWARE
        h = self._h
        conn = h.get("connection") or {}
        srv = h.get("server") or {}
        t = self.__dict__.get("_t_headers_in")
        auth = None
        # An empty env has no earlier value to join with (the usual case: no SetEnv).
        env_has = len(env) != 0
        for name, value in (t._to_pairs() if t is not None else self._s["headers_in"]):
            key = _HEADER_VARS.get(name)
            if key is None:
                key = _header_var(name)
            if key is _SKIP:
                continue
            if key is _AUTH:
                if auth is None:
                    auth = value
                continue
            if key.startswith("HTTP_"):
                # Repeated headers are joined, also with a value already in subprocess_env.
                # (Header names are ASCII tokens, so `values` keys compare as env's do.)
                prev = values.get(key)
                if prev is None and env_has and key in env:
                    prev = env[key]
                if prev is not None:
                    value = prev + ", " + value
            values[key] = value
        if _SOFTWARE is None:
            _SOFTWARE = _server_software()
        https = h.get("is_https")
        docroot = h.get("document_root") or ""
        values["PATH"] = os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin")
        values["SERVER_SIGNATURE"] = ""
        values["SERVER_SOFTWARE"] = _SOFTWARE
        values["SERVER_NAME"] = h.get("hostname") or srv.get("server_hostname", "")
        values["SERVER_ADDR"] = conn.get("local_ip", "")
        values["SERVER_PORT"] = str(conn.get("local_port") or srv.get("port") or "")
        values["REMOTE_ADDR"] = conn.get("client_ip", "")
        values["DOCUMENT_ROOT"] = docroot
        values["REQUEST_SCHEME"] = "https" if https else "http"
        values["CONTEXT_PREFIX"] = ""
        values["CONTEXT_DOCUMENT_ROOT"] = docroot
        values["SERVER_ADMIN"] = srv.get("server_admin") or "[no address given]"
        values["REMOTE_PORT"] = str(conn.get("client_port", ""))
        remote_host = conn.get("remote_host")
        if remote_host:
            values["REMOTE_HOST"] = remote_host
        s = self._s
        v = s.get("filename")
        if v:
            values["SCRIPT_FILENAME"] = v
        v = s.get("user")
        if v:
            values["REMOTE_USER"] = v
        v = s.get("ap_auth_type")
        if v:
            values["AUTH_TYPE"] = v
        if https:
            values["HTTPS"] = "on"
        return auth

    def _cgi_vars(self, env: Any) -> tuple:
        """(values of add_cgi_vars, in order; the Authorization header or None)."""
        h = self._h
        s = self._s
        uri = s.get("uri") or ""
        values = {
            "GATEWAY_INTERFACE": "CGI/1.1",
            "SERVER_PROTOCOL": h.get("protocol", "HTTP/1.1"),
            "REQUEST_METHOD": h.get("method", "GET"),
            "QUERY_STRING": s.get("args") or "",
            # With the query string, as Apache's CGI sets it (mod_python 3.5 dropped it).
            "REQUEST_URI": h.get("unparsed_uri") or s.get("uri", ""),
        }
        pi = s.get("path_info")
        if pi and uri.endswith(pi):
            values["SCRIPT_NAME"] = uri[: -len(pi)]
            values["PATH_INFO"] = pi
        else:
            values["SCRIPT_NAME"] = uri
        return values, self._common_vars(env, values)

    def add_cgi_vars(self) -> None:
        env = self.subprocess_env  # type: ignore[attr-defined]
        _store(self, env, self._cgi_vars(env)[0])

    # --- WSGI -----------------------------------------------------------------------------
    def build_wsgi_env(self) -> Optional[dict]:
        """The environ of a WSGI call, or None when the URI is outside the base URI."""
        options = self.get_options()  # type: ignore[attr-defined]
        base = options.get("mod_python.wsgi.base_uri")
        if base is not None:
            if base.endswith("/"):
                raise ValueError("mod_python.wsgi.base_uri must not end with '/': %r" % base)
        else:
            hl = self._hlist  # type: ignore[attr-defined]
            base = ""
            if hl is not None and hl.is_location and hl.directory:
                base = hl.directory.rstrip("/")
        uri = self._s.get("uri") or ""
        if not uri.startswith(base):
            return None
        path_info = uri[len(base):]
        if path_info != self._s.get("path_info"):
            # (The same value again would only be synced back to the server unchanged.)
            self.path_info = path_info  # type: ignore[attr-defined]
        senv = self.subprocess_env  # type: ignore[attr-defined]
        values, auth = self._cgi_vars(senv)  # add_cgi_vars, keeping what it computed
        env = dict(values) if _store(self, senv, values) else dict(senv.items())
        env["SCRIPT_NAME"] = base
        if path_info:
            # PEP 3333: the environ carries the URL bytes mapped one-to-one (latin-1).
            env["PATH_INFO"] = path_info.encode("utf-8").decode("latin-1")
        else:
            # The application root itself: mod_python leaves PATH_INFO out (PEP 3333 allows
            # omitting an empty value), and applications test for it with environ.get().
            env.pop("PATH_INFO", None)
        if auth is not None:
            env["HTTP_AUTHORIZATION"] = auth
        env["wsgi.input"] = self
        env["wsgi.errors"] = sys.stderr
        env["wsgi.version"] = (1, 0)
        env["wsgi.multithread"] = False
        env["wsgi.multiprocess"] = True
        env["wsgi.run_once"] = False
        env["wsgi.url_scheme"] = "https" if self._h.get("is_https") else "http"
        return env

    def wsgi_start_response(self, status: str, response_headers: Any,
                            exc_info: Any = None) -> Any:
        # PEP 3333: exc_info re-raises only once the head is out; before that it replaces the
        # status and headers (an error page after a failed start). mod_python 3.5 re-raised
        # at once, which turns every framework error page into a traceback.
        if exc_info is not None:
            try:
                if self._head_sent:  # type: ignore[attr-defined]
                    raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None
        if not isinstance(status, str) or len(status) < 3 or not status[:3].isdigit():
            raise ValueError("invalid WSGI status %r" % (status,))
        code = int(status[:3])
        if not 100 <= code <= 599:
            raise ValueError("invalid WSGI status %r" % (status,))
        if not isinstance(response_headers, list):
            raise TypeError("response_headers must be a list")
        out = self.headers_out  # type: ignore[attr-defined]
        for item in response_headers:
            if type(item) is not tuple or len(item) != 2:
                raise TypeError("each response header must be a (name, value) tuple")
            name, value = item
            if name.__class__ is str and value.__class__ is str:
                lname = name.lower()  # (the usual case, without the isinstance checks)
            else:
                if not isinstance(name, (str, bytes)) or not isinstance(value, (str, bytes)):
                    raise TypeError("header names and values must be str or bytes")
                lname = (name.decode("latin-1") if isinstance(name, bytes) else name).lower()
            if lname == "content-type":
                self.content_type = value  # type: ignore[attr-defined]
            else:
                out.add(name, value)
        self.status = code  # type: ignore[attr-defined]
        self.status_line = status  # type: ignore[attr-defined]
        return self.write  # type: ignore[attr-defined]
