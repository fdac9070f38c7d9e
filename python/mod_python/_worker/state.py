"""Worker-wide state set by worker_init: the channel, the interpreter name, the main server
and the facts of the running configuration. One module so every API object reads the same."""

from typing import Any, Callable

channel: Any = None
interpreter: str = "main_interpreter"
main_server: Any = None
server_root: str = ""
config_tree: list = []
defines: frozenset = frozenset()
mpm: dict = {}
optimize: bool = False
# apache.register_cleanup / server.register_cleanup callbacks, run by worker_exit.
exit_cleanups: list[tuple[Callable[..., Any], Any]] = []


def log(level: int, message: str, rid: Any = None) -> None:
    """Error-log line through the channel; stderr before worker_init (unit use, imports)."""
    ch = channel
    if ch is None:
        import sys
        sys.stderr.write(message + "\n")
        return
    ch.log(level, message, rid)
