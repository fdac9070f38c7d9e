"""HandlerDispatch: runs one phase's handler list (spec §2.3, §3.4).

The list may grow while it runs (req.add_handler for the running phase). The phase result is
the last handler's result; the next handler runs only when that result is in the phase's
continue set below. Silent entries (PythonHandlerModule) whose callable is missing are
skipped — upstream 3.5 answered 500 there, a bug."""

import sys
from typing import Any

from mod_python._worker.errors import report_error
from mod_python._worker.handlers import call_for_result, find_object, settings_for
from mod_python._worker.hlist import HList

OK, DECLINED = 0, -1
HTTP_INTERNAL_SERVER_ERROR = 500

# Phase directive → (default object name, results that let the next handler run).
PHASE_RULES = {
    "PythonPostReadRequestHandler": ("postreadrequesthandler", (DECLINED, OK)),
    "PythonTransHandler": ("transhandler", (DECLINED,)),
    "PythonHeaderParserHandler": ("headerparserhandler", (DECLINED, OK)),
    "PythonInitHandler": ("inithandler", (DECLINED, OK)),
    "PythonAccessHandler": ("accesshandler", (DECLINED, OK)),
    "PythonAuthenHandler": ("authenhandler", (DECLINED,)),
    "PythonAuthzHandler": ("authzhandler", (DECLINED,)),
    "PythonTypeHandler": ("typehandler", (DECLINED,)),
    "PythonFixupHandler": ("fixuphandler", (DECLINED, OK)),
    "PythonHandler": ("handler", (OK,)),
    "PythonLogHandler": ("loghandler", (DECLINED, OK)),
    "PythonCleanupHandler": ("cleanuphandler", (OK,)),
}


def dispatch_phase(req: Any, phase: str, entries: list) -> int:
    default_obj, continue_on = PHASE_RULES[phase]
    settings = settings_for(req._s.get("config") or {})
    hlist = HList(entries)
    d = req.__dict__
    d["_hlist"] = hlist
    d["_phase"] = phase
    result = None
    handler = None
    try:
        # hlist.next() (here: hlist._i += 1) and req.add_handler (appending to `entries`) move
        # this on.
        while hlist._i < len(entries):
            entry = entries[hlist._i]
            handler = entry["handler"]
            obj = find_object(handler, default_obj, settings, entry.get("directory"),
                              entry.get("isLocation"), req, entry.get("silent"))
            if obj is None:
                hlist._i += 1
                continue
            result = call_for_result(obj, req, req, settings.pdb)
            if result not in continue_on:
                break
            hlist._i += 1
    except (Exception, SystemExit):
        result = report_error(sys.exc_info(), phase, handler, settings.debug, req=req)
    if result is None:
        # Nothing ran (every entry was a silent one without its callable).
        result = DECLINED
    return result
