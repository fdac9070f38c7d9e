"""The entry points the worker loop (main.py) calls; see docs/architecture.md.

worker_init → begin_request → run_phase* (+ filter_output*) → end_request … worker_exit,
and serve_connection for PythonConnectionHandler. Requests are kept by rid so internal
redirects (prev_rid/main_rid) link the same Python objects, as mod_python does.
"""

import sys
import traceback
from typing import Any, Optional

from mod_python import _apache
from mod_python._worker import state
from mod_python._worker.connection import Connection, connection_for
from mod_python._worker.errors import report_error
from mod_python._worker.handlers import Settings, call_for_result, find_object, split_handler
from mod_python._worker.hlist import single
from mod_python._worker.importer import apply_python_path, import_module
from mod_python._worker.phase import dispatch_phase
from mod_python._worker.request import Request
from mod_python._worker.server import server_for

APLOG_ERR, APLOG_NOTICE = 3, 5
OK, DECLINED = 0, -1
HTTP_UNAUTHORIZED, HTTP_INTERNAL_SERVER_ERROR = 401, 500
_ENDS_RESPONSE_UNLESS = (OK, DECLINED)

_requests: dict = {}


def worker_init(channel: Any, init: dict) -> None:
    state.channel = channel
    state.interpreter = init.get("interpreter") or "main_interpreter"
    state.main_server = server_for(init.get("server") or {})
    state.config_tree = init.get("config_tree") or []
    state.defines = frozenset(init.get("defines") or ())
    state.server_root = init.get("server_root") or ""
    state.mpm = init.get("mpm") or {}
    state.optimize = bool(init.get("python_optimize", init.get("optimize")))
    sys.modules.setdefault("_apache", _apache)
    sys.argv = ["mod_python"]
    import mod_python.apache  # noqa: F401 - importing it registers names old code expects
    # PythonImport sees the main server's PythonPath (upstream's ImportDispatch).
    python_path = init.get("python_path") or state.main_server.get_config().get("PythonPath")
    if python_path:
        apply_python_path(python_path)
    for entry in init.get("imports") or ():
        if entry.get("interpreter", state.interpreter) == state.interpreter:
            _run_import(entry["module"])


def _run_import(spec: str) -> None:
    """PythonImport module[::function]: errors are logged, never fatal."""
    module_name, function = split_handler(spec, "")
    try:
        debug = state.main_server.get_config().get("PythonDebug") == "1"
        module = import_module(module_name, log=debug)
        if function:
            getattr(module, function)()
    except (Exception, SystemExit):
        state.log(APLOG_ERR, "directive_PythonImport: error importing %s" % spec)
        for line in traceback.format_exception(*sys.exc_info()):
            state.log(APLOG_ERR, "PythonImport %s: %s" % (spec, line[:-1]))


def begin_request(channel: Any, rid: int, head: dict) -> None:
    server = server_for(head["server"])
    conn = connection_for(head["connection"], server)
    req = Request(channel, rid, head, server, conn)
    d = req.__dict__
    prev = _requests.get(head.get("prev_rid"))
    if prev is not None:
        d["_prev"] = prev
        prev.__dict__["_next"] = req
    main = _requests.get(head.get("main_rid"))
    if main is not None:
        d["_main"] = main
    _requests[rid] = req


def _request(rid: int) -> Request:
    req = _requests.get(rid)
    if req is None:
        raise KeyError("no request %r in this worker (begin_request missing?)" % rid)
    return req


def run_phase(channel: Any, rid: int, call: dict) -> dict:
    req = _requests.get(rid)
    if req is None:
        req = _request(rid)  # raises
    sync = call.get("sync")
    if sync:
        req._apply_sync(sync)
    phase = call["phase"]
    d = req.__dict__
    d["_extension"] = call.get("extension")
    result = dispatch_phase(req, phase, list(call.get("hlist") or ()))
    if phase == "PythonAuthenHandler":
        result = _authen_rules(req, result)
    try:
        if phase == "PythonHandler" or result not in _ENDS_RESPONSE_UNLESS:
            req._finish_output()
    except (Exception, SystemExit):
        # A failing output filter at EOS: already reported by the filter; keep the result.
        state.log(APLOG_ERR, "output failed at end of %s: %s" % (phase, sys.exc_info()[1]), rid)
    d["_phase"] = None
    out: dict = {"status": result, "sync": req._collect_sync()}
    added = req._added
    if added:
        out["addedHandlers"] = added
        d["_added"] = {}
    return out


def _authen_rules(req: Request, result: int) -> int:
    if result == OK and not req._s.get("user"):
        req.log_error("python_handler: After PythonAuthenHandler req.user is NULL. "
                      "Assign something to req.user if returning OK to avoid this error.")
        return HTTP_INTERNAL_SERVER_ERROR
    if result == HTTP_UNAUTHORIZED and (req._s.get("auth_type") or "").lower() == "basic":
        # ap_note_basic_auth_failure: always, not only when mod_auth_basic runs later.
        req.err_headers_out["WWW-Authenticate"] = 'Basic realm="%s"' % (
            req._s.get("auth_name") or "")
    return result


def filter_output(channel: Any, rid: int, name: str, data: Optional[bytes]) -> list:
    req = _request(rid)
    return req._filter_set().call_output(name, data or b"", data is None)


def end_quietly(channel: Any, rid: int) -> bool:
    """Ends `rid` and returns True when that runs no request code (no req.register_cleanup
    callbacks): the worker then skips the deadline bookkeeping end_request needs. False, with
    nothing done, when there are cleanups to run."""
    req = _requests.get(rid)
    if req is None:
        return True
    if req._cleanups:
        return False
    del _requests[rid]
    if req._next is not None:
        _unlink(req)
    return True


def end_request(channel: Any, rid: int) -> None:
    req = _requests.pop(rid, None)
    if req is None:
        return
    for callback, data in req._cleanups:
        try:
            callback(data)
        except (Exception, SystemExit):
            for line in traceback.format_exception(*sys.exc_info()):
                channel.log(APLOG_ERR, "req.register_cleanup: %s" % line[:-1], rid)
    req._cleanups.clear()
    _unlink(req)


def _unlink(req: Request) -> None:
    nxt = req._next
    if nxt is not None and nxt._prev is req and nxt._rid not in _requests:
        nxt.__dict__["_prev"] = None


def serve_connection(channel: Any, cid: int, handler: dict, conn: dict, server: dict) -> int:
    srv = server_for(server)
    c = Connection(conn, srv, channel, cid)
    c.hlist = single(handler)
    config = dict(srv.get_config().items())
    settings = Settings(config)
    hname = handler.get("handler")
    try:
        # Connection handlers only honour a server-level PythonPath (no directory prepend).
        obj = find_object(hname, "connectionhandler", settings, None, True, c, 0)
        result = call_for_result(obj, c, None, settings.pdb)
    except (Exception, SystemExit):
        result = report_error(sys.exc_info(), "ConnectionHandler", hname, settings.debug,
                              log=lambda level, msg: channel.log(level, msg, cid, scope="connection"))
    return result


def worker_exit(channel: Any) -> None:
    cleanups = list(state.exit_cleanups)
    state.exit_cleanups.clear()
    for callback, data in cleanups:
        try:
            callback(data)
        except (Exception, SystemExit):
            for line in traceback.format_exception(*sys.exc_info()):
                state.log(APLOG_ERR, "register_cleanup: %s" % line[:-1])
