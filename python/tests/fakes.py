"""A recording fake of the worker channel, for unit tests of the mod_python API layer.

It answers what channel.py would: send/send_data/log are recorded, read_body serves a
prepared body in pieces, call() dispatches to per-test answers. make_head()/make_server()
build wire dicts shaped like src/workers/types.ts."""

import os
import sys
import types
from typing import Any, Callable, Optional


def _ensure_channel_module() -> Any:
    """The real mod_python._worker.channel belongs to the bridge; when it is not there yet,
    give the API layer the two names it imports from it."""
    try:
        from mod_python._worker import channel  # type: ignore[attr-defined]
        return channel
    except ImportError:
        mod = types.ModuleType("mod_python._worker.channel")

        class ServerCallError(Exception):
            pass

        def server_call(method: str, args: dict) -> Any:
            raise ServerCallError("no server in unit tests: patch server_call")

        mod.ServerCallError = ServerCallError  # type: ignore[attr-defined]
        mod.server_call = server_call  # type: ignore[attr-defined]
        mod.server_notify = server_call  # type: ignore[attr-defined]
        sys.modules["mod_python._worker.channel"] = mod
        return mod


channel_module = _ensure_channel_module()


class FakeChannel:
    # No IPC channel: every body goes through send_data (lent_socket.py is tested on its own).
    inbox = None
    direct_min = 1 << 62

    def __init__(self, body: bytes = b"", piece: int = 5,
                 answers: Optional[dict] = None) -> None:
        self.sent: list = []  # (kind, rid, obj)
        self.data: list = []  # (rid, bytes)
        self.logs: list = []  # (level, message, rid)
        self.calls: list = []  # (rid, method, args)
        self.flushes = 0  # socket-level flushes
        self.body = body
        self.piece = piece
        self.body_reads = 0
        self.answers: dict = answers or {}

    def send(self, kind: str, rid: Any, obj: Any) -> None:
        self.sent.append((kind, rid, obj))

    def send_data(self, rid: Any, data: bytes) -> None:
        assert isinstance(data, bytes)
        self.data.append((rid, data))

    def read_body(self, rid: Any, max_bytes: int) -> Optional[bytes]:
        self.body_reads += 1
        if not self.body:
            return None
        n = min(self.piece, max_bytes)
        out, self.body = self.body[:n], self.body[n:]
        return out

    def call(self, rid: Any, method: str, args: dict) -> Any:
        self.calls.append((rid, method, args))
        answer: Callable[[dict], Any] = self.answers.get(method)  # type: ignore[assignment]
        if answer is None:
            raise channel_module.ServerCallError("unknown server call '%s'" % method)
        return answer(args)

    def flush(self) -> None:
        self.flushes += 1

    def log(self, level: int, message: str, rid: Any = None, scope: Any = None) -> None:
        self.logs.append((level, message, rid))

    # --- helpers for assertions ----------------------------------------------------------
    def heads(self) -> list:
        return [o for k, _, o in self.sent if k == "headers"]

    def body_bytes(self, rid: Any = None) -> bytes:
        return b"".join(d for r, d in self.data if rid is None or r == rid)

    def log_text(self) -> str:
        return "\n".join(m for _, m, _ in self.logs)


def make_server(**over: Any) -> dict:
    info = {
        "server_hostname": "example.test", "server_admin": "admin@example.test", "port": 8080,
        "is_virtual": False, "defn_name": "/etc/site.conf", "defn_line_number": 0,
        "error_fname": "logs/error_log", "loglevel": 4, "timeout": 60, "keep_alive_timeout": 5,
        "keep_alive_max": 100, "keep_alive": True, "names": [], "wild_names": [],
        "limit_req_line": 8190, "limit_req_fieldsize": 8190, "limit_req_fields": 100,
        "config": {}, "options": {},
    }
    info.update(over)
    return info


def make_head(uri: str = "/app/page.py", query: Optional[str] = None, method: str = "GET",
              headers: Optional[list] = None, clength: Optional[int] = None, **over: Any) -> dict:
    unparsed = uri + ("?" + query if query is not None else "")
    head = {
        "the_request": "%s %s HTTP/1.1" % (method, unparsed), "method": method,
        "method_number": {"GET": 0, "PUT": 1, "POST": 2}.get(method, 26),
        "protocol": "HTTP/1.1", "proto_num": 1001, "unparsed_uri": unparsed,
        "hostname": "example.test", "request_time": 1700000000.5,
        "headers_in": headers if headers is not None else [["Host", "example.test:8080"],
                                                           ["User-Agent", "test"]],
        "header_only": method == "HEAD", "expecting_100": False, "clength_in": clength,
        "read_chunked": False,
        "parsed_uri": [None, None, None, None, None, 8080, uri, query, None],
        "range": None, "document_root": "/srv/www", "is_https": False,
        "connection": {"id": 7, "client_ip": "127.0.0.1", "client_port": 50000,
                       "local_ip": "127.0.0.1", "local_port": 8080, "local_host": None,
                       "remote_host": None, "keepalives": 0, "keepalive": 2},
        "server": make_server(),
    }
    head.update(over)
    return head


def entry(handler: str, directory: Optional[str] = None, is_location: bool = False,
          silent: bool = False) -> dict:
    return {"handler": handler, "directory": directory, "isLocation": is_location,
            "silent": silent}


class Harness:
    """A worker in a test: writes handler modules into a temp directory (unique names, so
    sys.modules never mixes tests), runs worker_init with a FakeChannel and drives requests
    through the real dispatch entry points."""

    _counter = 0

    def __init__(self, body: bytes = b"", answers: Optional[dict] = None,
                 init: Optional[dict] = None) -> None:
        import tempfile
        from mod_python._worker import dispatch
        self.dispatch = dispatch
        self.tmp = tempfile.TemporaryDirectory(prefix="modpy-test-")
        self.dir = self.tmp.name + "/"
        self.ch = FakeChannel(body=body, answers=answers)
        base = {"interpreter": "test.interp", "server": make_server(), "config_tree": [],
                "defines": [], "server_root": "/srv", "mpm": {}, "imports": []}
        base.update(init or {})
        dispatch.worker_init(self.ch, base)
        self.rid = 0

    def module(self, source: str, name: Optional[str] = None) -> str:
        """Writes a handler module; returns its (unique) name."""
        import textwrap
        Harness._counter += 1
        name = name or "h%d_%d" % (os.getpid(), Harness._counter)
        with open(self.dir + name + ".py", "w") as f:
            f.write(textwrap.dedent(source))
        return name

    def begin(self, **head: Any) -> int:
        self.rid += 1
        self.dispatch.begin_request(self.ch, self.rid, make_head(**head))
        return self.rid

    def run(self, phase: str, handlers: list, sync: Optional[dict] = None,
            rid: Optional[int] = None, directory: Any = "default",
            extension: Optional[str] = None) -> dict:
        d = self.dir if directory == "default" else directory
        hl = [h if isinstance(h, dict) else entry(h, d) for h in handlers]
        return self.dispatch.run_phase(self.ch, rid or self.rid, {
            "phase": phase, "hlist": hl, "extension": extension, "sync": sync or {}})

    def req(self, rid: Optional[int] = None) -> Any:
        return self.dispatch._requests[rid or self.rid]

    def end(self, rid: Optional[int] = None) -> None:
        self.dispatch.end_request(self.ch, rid or self.rid)

    def close(self) -> None:
        for rid in list(self.dispatch._requests):
            self.dispatch.end_request(self.ch, rid)
        while self.dir in sys.path:
            sys.path.remove(self.dir)
        self.tmp.cleanup()
