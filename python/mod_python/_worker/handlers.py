"""Finding and calling handler code: "module::object" split, sys.path rules, import with
autoreload, object lookup, optional pdb, SERVER_RETURN forms. Shared by phases, filters,
connection handlers and PythonImport."""

import os
import sys
from typing import Any, Optional

from mod_python._apache import SERVER_RETURN
from mod_python._worker import state
from mod_python._worker.importer import (
    apply_python_path, import_module, prepend_directory, resolve_object,
)
from mod_python._worker.last_dict_cache import LastDictCache

_split_cache: dict = {}
_RESULT_WARNING = ("Handler has returned result or raised SERVER_RETURN exception with "
                   "argument having non integer type. Type of value returned was %s, whereas "
                   "expected " + str(int) + ".")


def split_handler(handler: str, default_obj: str) -> tuple:
    key = (handler, default_obj)
    parts = _split_cache.get(key)
    if parts is None:
        module_name, sep, obj = handler.partition("::")
        parts = _split_cache[key] = (module_name.strip(), obj.strip() if sep else default_obj)
    return parts


class Settings:
    """The mod_python directives of a get_config() table that dispatch reads."""

    __slots__ = ("debug", "autoreload", "python_path", "pdb")

    def __init__(self, config: dict) -> None:
        self.debug = config.get("PythonDebug") == "1"
        self.autoreload = config.get("PythonAutoReload", "1") != "0"
        self.python_path = config.get("PythonPath")
        self.pdb = config.get("PythonEnablePdb") == "1" and "ONE_PROCESS" in state.defines


_settings_of = LastDictCache(Settings)
_settings_defines: Any = None  # the defines _settings_of's value was worked out with


def settings_for(config: dict) -> Settings:
    """Settings(config), shared while the config (and the defines) stay the same."""
    global _settings_defines
    if _settings_defines is not state.defines:
        _settings_of.forget()
        _settings_defines = state.defines
    return _settings_of(config)


def find_object(handler: str, default_obj: str, settings: Settings, directory: Optional[str],
                is_location: Any, arg: Any, silent: Any) -> Any:
    """The callable named by ``handler``, or None for a silent entry that lacks it."""
    parts = _split_cache.get((handler, default_obj))
    module_name, obj_str = parts if parts is not None else split_handler(handler, default_obj)
    if settings.python_path:
        apply_python_path(settings.python_path)
    elif directory and not is_location:
        prepend_directory(directory)
    module = import_module(module_name, autoreload=settings.autoreload, log=settings.debug)
    if "." not in obj_str:
        obj = module.__dict__.get(obj_str)
        if obj is None and not silent:
            raise AttributeError("module '%s' contains no '%s'"
                                 % (getattr(module, "__file__", module_name), obj_str))
        return obj
    return resolve_object(module, obj_str, arg=arg, silent=silent)


def _terminal():
    """The controlling terminal of the server (modpy -X in a terminal), or None. A worker's own
    stdin/stdout are not a terminal: stdin is closed and stdout goes to the error log."""
    try:
        # A tty is not seekable, so reading and writing take one file object each.
        return open("/dev/tty", "r"), open("/dev/tty", "w", buffering=1)
    except OSError:
        return None


def call(obj: Any, arg: Any, use_pdb: bool) -> Any:
    if not use_pdb:
        return obj(arg)
    tty = _terminal()
    if tty is None:
        sys.stderr.write("PythonEnablePdb: no terminal to debug on (start modpy with -X in a "
                         "terminal); running the handler without the debugger\n")
        return obj(arg)
    import pdb
    tty_in, tty_out = tty
    debugger = pdb.Pdb(stdin=tty_in, stdout=tty_out)
    tty_out.write("modpy: PythonEnablePdb: stopping in the handler (pid %d); 'c' continues\n" % os.getpid())
    debugger.reset()
    debugger.set_step()  # stop at the handler's first line, as mod_python's pdb.runcall does
    sys.settrace(debugger.trace_dispatch)
    try:
        return obj(arg)
    finally:
        # Quitting the debugger propagates as an error instead of a bogus result.
        debugger.quitting = True
        sys.settrace(None)
        tty_in.close()
        tty_out.close()


def call_for_result(obj: Any, arg: Any, req: Any, use_pdb: bool) -> int:
    """Calls the handler; SERVER_RETURN(code) → code, SERVER_RETURN(code, status) → code with
    req.status = status when truthy. A non-int result (bool included) is an error."""
    try:
        result = call(obj, arg, use_pdb) if use_pdb else obj(arg)
    except SERVER_RETURN as e:
        result = server_return_value(e, req)
    if result.__class__ is not int:
        raise AssertionError(_RESULT_WARNING % result.__class__)
    return result


def server_return_value(e: SERVER_RETURN, req: Any) -> Any:
    args = e.args
    if len(args) == 2:
        result, status = args
        if status and req is not None:
            req.status = status
        return result
    # A bare SERVER_RETURN has no code: IndexError, as in mod_python (a 500 either way).
    return args[0]
