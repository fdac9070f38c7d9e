"""The server object (mp_server, spec §4.5), built from the ServerInfo dict of the wire.

One object per configured server, kept for the life of the worker, so identity holds across
requests and server.register_cleanup callbacks survive until worker exit."""

import time
from typing import Any, Callable

from mod_python._worker import state
from mod_python._worker.table import table

APLOG_ERR = 3
_WORKER_START = time.time()
_FIELDS = ("defn_name", "defn_line_number", "server_admin", "server_hostname", "port",
           "error_fname", "loglevel", "is_virtual", "keep_alive_max", "keep_alive",
           "limit_req_line", "limit_req_fieldsize", "limit_req_fields")


def _readonly(name: str, getter: Callable[[Any], Any]) -> property:
    def refuse(self: Any, value: Any) -> None:
        raise AttributeError("attribute '%s' of 'mp_server' objects is not writable" % name)
    return property(getter, refuse)


class Server:
    """mp_server."""

    def __init__(self, info: dict) -> None:
        self._info = info

    def get_config(self) -> table:
        return table(self._info.get("config") or {})

    def get_options(self) -> table:
        return table(self._info.get("options") or {})

    def log_error(self, message: Any, level: int = APLOG_ERR) -> None:
        state.log(level or APLOG_ERR, str(message))

    def register_cleanup(self, req: Any, callback: Any, data: Any = None) -> None:
        if not callable(callback):
            raise ValueError("second argument must be a callable object")
        state.exit_cleanups.append((callback, data))

    timeout = _readonly("timeout", lambda self: float(self._info.get("timeout") or 0))
    keep_alive_timeout = _readonly(
        "keep_alive_timeout", lambda self: float(self._info.get("keep_alive_timeout") or 0))
    names = _readonly("names", lambda self: tuple(self._info.get("names") or ()))
    wild_names = _readonly("wild_names", lambda self: tuple(self._info.get("wild_names") or ()))
    path = _readonly("path", lambda self: None)
    pathlen = _readonly("pathlen", lambda self: 0)
    next = _readonly("next", lambda self: None)
    my_generation = _readonly("my_generation", lambda self: 0)
    restart_time = _readonly("restart_time", lambda self: _WORKER_START)
    _server_rec = _readonly("_server_rec", lambda self: None)

    def __repr__(self) -> str:
        return "<mp_server %s>" % (self._info.get("server_hostname"),)


def _plain(value: Any) -> Any:
    return int(value) if isinstance(value, bool) else value


for _f in _FIELDS:
    setattr(Server, _f, _readonly(_f, lambda self, _k=_f: _plain(self._info.get(_k))))

_servers: dict = {}
# The ServerInfo dict of the last call and its Server: the worker keeps one dict per server
# (by reference, ref.define) and hands the same object to every request of that server, so the common
# case is answered by identity (the reference held here keeps the id from being reused).
_last: tuple = (None, None)


def server_for(info: dict) -> Server:
    """The one Server object of a configured server (keyed by where it was defined)."""
    global _last
    last_info, last_srv = _last
    if info is last_info:
        return last_srv
    key = (info.get("defn_name"), info.get("defn_line_number"), info.get("server_hostname"),
           info.get("port"))
    srv = _servers.get(key)
    if srv is None:
        srv = _servers[key] = Server(info)
    else:
        srv._info = info
    _last = (info, srv)
    return srv
