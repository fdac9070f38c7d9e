"""Handler modules: apache.import_module with real reload on change, resolve_object, and the
PythonPath / directory rules of sys.path (spec §3.5, §3.6).

Unlike mod_python 3.5 (whose importlib-based re-import returned the cached module), a module
whose file changed is re-executed in place, checked at most once a second per module.
"""

import importlib
import importlib.machinery
import importlib.util
import inspect
import os
import sys
import threading
import time
from typing import Any, Optional

from mod_python._worker import state

APLOG_NOTICE = 5
# One lock for sys.path edits and imports: handler code may run threads.
import_lock = threading.RLock()
_path_seen: set = set()


def apply_python_path(pathstring: str) -> None:
    """PythonPath: sys.path[:] = eval(value), once per distinct string per interpreter."""
    if pathstring in _path_seen:
        return
    with import_lock:
        if pathstring in _path_seen:
            return
        newpath = eval(pathstring, {"sys": sys, "os": os})  # noqa: S307 - the directive IS an expression
        _path_seen.add(pathstring)
        sys.path[:] = list(newpath)


def prepend_directory(directory: str) -> None:
    if directory not in sys.path:
        with import_lock:
            if directory not in sys.path:
                sys.path.insert(0, directory)


def module_mtime(module: Any) -> float:
    """Newest mtime of the module's file and of the .py next to a .pyc; 0 without a file."""
    path = getattr(module, "__file__", None)
    mtime = 0.0
    if path:
        for candidate in (path, path[:-1] if path.endswith((".pyc", ".pyo")) else None):
            if candidate:
                try:
                    mtime = max(mtime, os.stat(candidate).st_mtime)
                except OSError:
                    pass
        module.__dict__["__mtime_check__"] = time.time()
    return mtime


def _outside(path_list: Any, module: Any) -> bool:
    f = getattr(module, "__file__", None)
    return not f or not any(f.startswith(p) for p in path_list)


def _load_from(name: str, path_list: list) -> Any:
    spec = importlib.machinery.PathFinder.find_spec(name, path_list)
    if spec is None or spec.loader is None:
        raise ImportError("No module named '%s' in %r" % (name, path_list), name=name)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def import_module(module_name: str, autoreload: Any = 1, log: Any = 0,
                  path: Optional[list] = None) -> Any:
    """Returns the module, importing it, or re-executing it when its file changed."""
    module = sys.modules.get(module_name)
    if module is not None:
        if not autoreload:
            return module
        if path and _outside(path, module):
            return _reimport(module_name, module, log, path, fresh=True)
        d = module.__dict__
        if time.time() - d.get("__mtime_check__", 0) <= 1:
            return module
        old = d.get("__mtime__", 0)
        if module_mtime(module) == old:
            return module
        return _reimport(module_name, module, log, path, fresh=False)
    return _reimport(module_name, None, log, path, fresh=True)


def _reimport(name: str, module: Any, log: Any, path: Optional[list], fresh: bool) -> Any:
    if log:
        msg = "mod_python: (Re)importing module '%s'" % name
        if path:
            msg += " with path set to '%s'" % (path,)
        state.log(APLOG_NOTICE, msg)
    with import_lock:
        if path:
            module = _load_from(name, list(path))
        elif module is None or fresh:
            module = importlib.import_module(name)
        else:
            _reexecute(module)
        module.__mtime__ = module_mtime(module)
    return module


def _reexecute(module: Any) -> None:
    """Runs the changed source again in the module's namespace (old names survive, as with
    3.5.0's imp.load_module). Compiled from source: a .pyc written in the same second as the
    edit could otherwise be taken as fresh."""
    source_path = getattr(module, "__file__", "") or ""
    if source_path.endswith(".py") and os.path.isfile(source_path):
        with open(source_path, "rb") as f:
            code = compile(f.read(), source_path, "exec", dont_inherit=True)
        exec(code, module.__dict__)  # noqa: S102 - re-running the module is the point
    else:
        importlib.invalidate_caches()
        importlib.reload(module)


def resolve_object(module: Any, obj_str: str, arg: Any = None, silent: Any = 0) -> Any:
    """Walks a dotted name; whenever the parent is a class it is instantiated with ``arg``."""
    obj = module
    for part in obj_str.split("."):
        parent = obj
        if not hasattr(obj, part):
            if silent:
                return None
            if obj is module:
                raise AttributeError("module '%s' contains no '%s'"
                                     % (getattr(module, "__file__", module), part))
        obj = getattr(obj, part)
        if inspect.isclass(parent):
            obj = getattr(parent(arg), part)
    return obj
