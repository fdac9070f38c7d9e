"""CGI emulation helpers of mod_python.apache: build_cgi_env, setup_cgi / restore_nocgi and
the stdin/stdout stand-ins cgihandler swaps in (spec §4.1, §4.15)."""

import io
import os
import sys
from typing import Any


def build_cgi_env(req: Any) -> dict:
    """CGI variables of req as a plain dict, with SCRIPT_NAME and HTTP_AUTHORIZATION."""
    req.add_cgi_vars()
    env = dict(req.subprocess_env.items())
    pi = req.path_info
    env["SCRIPT_NAME"] = req.uri[: -len(pi)] if pi else req.uri
    env["GATEWAY_INTERFACE"] = "Python-CGI/1.1"
    auth = req.headers_in.get("authorization")
    if auth is not None:
        env["HTTP_AUTHORIZATION"] = auth
    return env


class CGIStdin(io.RawIOBase):
    """sys.stdin for a CGI script: the request body, as text and through .buffer as bytes."""

    def __init__(self, req: Any) -> None:
        super().__init__()
        self.req = req
        self.buffer = self

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:  # type: ignore[override]
        return self.req.read(n if n is not None and n >= 0 else -1)

    def readline(self, n: int = -1) -> bytes:  # type: ignore[override]
        return self.req.readline(n) if n is not None and n >= 0 else self.req.readline()

    def readlines(self, hint: int = -1) -> list:  # type: ignore[override]
        return self.req.readlines(hint if hint and hint > 0 else 0)


class CGIStdout(io.TextIOBase):
    """sys.stdout for a CGI script: parses the CGI header block (Status, Content-Type, the
    rest into headers_out), then writes the body through req.write."""

    def __init__(self, req: Any) -> None:
        super().__init__()
        self.req = req
        self.headers_sent = 0
        self._head = b""
        self.pos = 0
        self.buffer = _BinaryOut(self)

    def writable(self) -> bool:
        return True

    def write(self, s: Any) -> int:  # type: ignore[override]
        data = s.encode("utf-8") if isinstance(s, str) else bytes(s)
        self._write_bytes(data)
        return len(s)

    def _write_bytes(self, data: bytes) -> None:
        if not data:
            return
        self.pos += len(data)
        if self.headers_sent:
            self.req.write(data)
            return
        self._head += data
        for sep in (b"\r\n\r\n", b"\n\n"):
            head, found, body = self._head.partition(sep)
            if found:
                self._apply_headers(head.decode("latin-1"))
                self.headers_sent = 1
                self._head = b""
                if body:
                    self.req.write(body)
                return

    def _apply_headers(self, block: str) -> None:
        for line in block.replace("\r\n", "\n").split("\n"):
            if ":" not in line:
                continue
            name, _, value = line.partition(":")
            value = value.strip()
            lname = name.strip().lower()
            if lname == "status":
                self.req.status = int(value.split()[0])
            elif lname == "content-type":
                self.req.content_type = value
            else:
                self.req.headers_out.add(name.strip(), value)

    def tell(self) -> int:
        return self.pos

    def flush(self) -> None:
        pass


class _BinaryOut(io.RawIOBase):
    def __init__(self, owner: CGIStdout) -> None:
        super().__init__()
        self._owner = owner

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:  # type: ignore[override]
        self._owner._write_bytes(bytes(b))
        return len(b)


def setup_cgi(req: Any) -> tuple:
    """Swaps os.environ, sys.stdin and sys.stdout for CGI emulation; returns what
    restore_nocgi needs to undo it."""
    saved_env = os.environ.copy()
    si, so = sys.stdin, sys.stdout
    os.environ.update(build_cgi_env(req))
    sys.stdout = CGIStdout(req)  # type: ignore[assignment]
    sys.stdin = CGIStdin(req)  # type: ignore[assignment]
    sys.argv = []
    return saved_env, si, so


def restore_nocgi(saved_env: Any, si: Any, so: Any) -> None:
    os.environ.clear()
    os.environ.update(saved_env)
    sys.stdin = si
    sys.stdout = so
