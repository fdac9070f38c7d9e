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
# Header name → its CGI variable (_SKIP for the ones CGI never sees), worked out once per name.
_HEADER_VARS: dict = {}
_HEADER_VARS_MAX = 1024


def _header_var(name: str) -> str:
    lname = name.lower()
    if lname in _SKIPPED_HEADERS:
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


class RequestEnv:
    """Mixin of Request."""

    _h: dict
    _s: dict

    def add_common_vars(self) -> None:
        env = self.subprocess_env  # type: ignore[attr-defined]
        values: dict = {}
        self._common_vars(env, values)
        env._set_many(values.items())

    def _common_vars(self, env: Any, values: dict) -> None:
        """What add_common_vars sets, into `values` (in order; set into env by the caller):
        one pass over subprocess_env instead of one per variable."""
        global _SOFTWARE
        h = self._h
        conn = h.get("connection") or {}
        srv = h.get("server") or {}
        t = self.__dict__.get("_t_headers_in")
        for name, value in (t._to_pairs() if t is not None else self._s["headers_in"]):
            key = _HEADER_VARS.get(name)
            if key is None:
                key = _header_var(name)
            if key is _SKIP:
                continue
            if key.startswith("HTTP_"):
                # Repeated headers are joined, also with a value already in subprocess_env.
                # (Header names are ASCII tokens, so `values` keys compare as env's do.)
                prev = values.get(key)
                if prev is None and key in env:
                    prev = env[key]
                if prev is not None:
                    value = prev + ", " + value
            values[key] = value
        if _SOFTWARE is None:
            _SOFTWARE = _server_software()
        https = bool(h.get("is_https"))
        values["PATH"] = os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin")
        values["SERVER_SIGNATURE"] = ""
        values["SERVER_SOFTWARE"] = _SOFTWARE
        values["SERVER_NAME"] = h.get("hostname") or srv.get("server_hostname", "")
        values["SERVER_ADDR"] = conn.get("local_ip", "")
        values["SERVER_PORT"] = str(conn.get("local_port") or srv.get("port") or "")
        values["REMOTE_ADDR"] = conn.get("client_ip", "")
        values["DOCUMENT_ROOT"] = h.get("document_root") or ""
        values["REQUEST_SCHEME"] = "https" if https else "http"
        values["CONTEXT_PREFIX"] = ""
        values["CONTEXT_DOCUMENT_ROOT"] = h.get("document_root") or ""
        values["SERVER_ADMIN"] = srv.get("server_admin") or "[no address given]"
        values["REMOTE_PORT"] = str(conn.get("client_port", ""))
        if conn.get("remote_host"):
            values["REMOTE_HOST"] = conn["remote_host"]
        s = self._s
        if s.get("filename"):
            values["SCRIPT_FILENAME"] = s["filename"]
        if s.get("user"):
            values["REMOTE_USER"] = s["user"]
        if s.get("ap_auth_type"):
            values["AUTH_TYPE"] = s["ap_auth_type"]
        if https:
            values["HTTPS"] = "on"

    def add_cgi_vars(self) -> None:
        env = self.subprocess_env  # type: ignore[attr-defined]
        h = self._h
        s = self._s
        values = {
            "GATEWAY_INTERFACE": "CGI/1.1",
            "SERVER_PROTOCOL": h.get("protocol", "HTTP/1.1"),
            "REQUEST_METHOD": h.get("method", "GET"),
            "QUERY_STRING": s.get("args") or "",
            # With the query string, as Apache's CGI sets it (mod_python 3.5 dropped it).
            "REQUEST_URI": h.get("unparsed_uri") or s.get("uri", ""),
        }
        uri = s.get("uri") or ""
        pi = s.get("path_info")
        if pi and uri.endswith(pi):
            values["SCRIPT_NAME"] = uri[: -len(pi)]
            values["PATH_INFO"] = pi
        else:
            values["SCRIPT_NAME"] = uri
        self._common_vars(env, values)
        env._set_many(values.items())

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
        self.path_info = path_info  # type: ignore[attr-defined]
        self.add_cgi_vars()
        env = dict(self.subprocess_env.items())  # type: ignore[attr-defined]
        env["SCRIPT_NAME"] = base
        if path_info:
            # PEP 3333: the environ carries the URL bytes mapped one-to-one (latin-1).
            env["PATH_INFO"] = path_info.encode("utf-8").decode("latin-1")
        else:
            # The application root itself: mod_python leaves PATH_INFO out (PEP 3333 allows
            # omitting an empty value), and applications test for it with environ.get().
            env.pop("PATH_INFO", None)
        auth = self.headers_in.get("authorization")  # type: ignore[attr-defined]
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
