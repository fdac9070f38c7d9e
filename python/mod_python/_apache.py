"""_apache: the low-level module upstream implements in C, rebuilt over the worker channel.

Same names as upstream's C module, so code doing ``import _apache`` (Session, old handlers)
keeps working: the worker registers this module as ``sys.modules['_apache']``.
"""

import zlib
from typing import Any, Callable

from mod_python._worker import state
from mod_python._worker.finfo import (  # noqa: F401 - re-exported names
    APR_BLK, APR_CHR, APR_DIR, APR_LNK, APR_NOFILE, APR_PIPE, APR_REG, APR_SOCK, APR_UNKFILE,
    finfo, stat,
)
from mod_python._worker.qs import parse_qs, parse_qsl  # noqa: F401
from mod_python._worker.table import table  # noqa: F401

AP_CONN_UNKNOWN, AP_CONN_CLOSE, AP_CONN_KEEPALIVE = 0, 1, 2

# Apache 2.4's module magic number (what the Debian httpd this targets reports).
MODULE_MAGIC_NUMBER_MAJOR = 20120211
MODULE_MAGIC_NUMBER_MINOR = 127

APLOG_ERR = 3
_DEFAULT_MUTEX_LOCKS = 8


class SERVER_RETURN(Exception):  # noqa: N801 - upstream name
    """Raise SERVER_RETURN(code) or SERVER_RETURN(code, status) to end a handler early."""


def log_error(message: Any, level: int = APLOG_ERR, server: Any = None) -> None:
    """Main error log (the server argument only selects the vhost's log upstream)."""
    state.log(level or APLOG_ERR, str(message))


def config_tree() -> list:
    """Server-level configuration as nested lists of (name, args) tuples (a copy)."""
    return _copy_tree(state.config_tree)


def _copy_tree(nodes: Any) -> list:
    out: list = []
    for node in nodes:
        if isinstance(node, (list, tuple)) and len(node) == 2 and isinstance(node[0], str):
            out.append((node[0], node[1]))
        else:
            out.append(_copy_tree(node))
    return out


def server_root() -> str:
    return state.server_root


# Answers of a prefork-like server (workers are processes, never threads), unless the server
# sent its own facts in init["mpm"], keyed by the AP_MPMQ_* name lower-cased without prefix.
_MPM_DEFAULTS = {1: 256, 2: 0, 3: 2, 4: 256, 5: 1, 6: 1, 7: 1, 8: 0, 9: 1, 10: 0, 11: 0, 12: 256}
_MPM_NAMES = {
    1: "max_daemon_used", 2: "is_threaded", 3: "is_forked", 4: "hard_limit_daemons",
    5: "hard_limit_threads", 6: "max_threads", 7: "min_spare_daemons", 8: "min_spare_threads",
    9: "max_spare_daemons", 10: "max_spare_threads", 11: "max_requests_daemon",
    12: "max_daemons",
}


def mpm_query(code: int) -> int:
    if not isinstance(code, int):
        raise TypeError("an integer is required")
    name = _MPM_NAMES.get(code)
    if name is not None and name in state.mpm:
        return int(state.mpm[name])
    return _MPM_DEFAULTS.get(code, 0)


def exists_config_define(name: str) -> bool:
    return name in state.defines


def register_cleanup(interpreter: Any, server: Any, callback: Callable[..., Any],
                     data: Any = None) -> None:
    """Run callback(data) when this worker exits (upstream: child pool destruction)."""
    if not callable(callback):
        raise ValueError("first argument must be a callable object")
    state.exit_cleanups.append((callback, data))


def _lock_index(server: Any, key: Any, index: int) -> int:
    if index is not None and index >= 0:
        return index
    nlocks = _DEFAULT_MUTEX_LOCKS
    try:
        opts = state.main_server.get_options() if state.main_server is not None else {}
        nlocks = int(opts.get("mod_python.mutex_locks", nlocks))
    except (ValueError, TypeError):
        pass
    if key is None or nlocks < 2:
        return 0
    # Index 0 is reserved (dbm sessions); a key maps to 1..n-1 the same way in every worker.
    return zlib.crc32(str(key).encode("utf-8")) % (nlocks - 1) + 1


def _server_call(method: str, args: dict) -> Any:
    from mod_python._worker.channel import server_call
    return server_call(method, args)


def _global_lock(server: Any, key: Any, index: int = -1) -> None:
    """Cross-process lock, served by the modpy server (so every worker sees the same lock)."""
    _server_call("lock.acquire", {"index": _lock_index(server, key, index)})


def _global_trylock(server: Any, key: Any, index: int = -1) -> int:
    return 1 if _server_call("lock.try", {"index": _lock_index(server, key, index)}) else 0


def _global_unlock(server: Any, key: Any, index: int = -1) -> None:
    # Nothing waits for the answer: the request goes on at once (one round trip less per
    # session); releasing a lock that is not held is logged by the server.
    from mod_python._worker.channel import server_notify
    server_notify("lock.release", {"index": _lock_index(server, key, index)})
