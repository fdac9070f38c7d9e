"""ReportError: what happens when handler code raises (spec §2.3 step 9).

Every element of the traceback is logged as "<Phase> <handler>: <text>" at APLOG_ERR. With
PythonDebug Off the phase answers 500; with PythonDebug On the HTML-escaped traceback is
written to the client (or into the filter), the status becomes 500 and the phase answers
DONE. A "Write failed" IOError is never echoed to the client (upstream's check for that only
worked on Python 2)."""

import os
import sys
import traceback
from html import escape
from typing import Any

_WORKER_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _user_frames(etb: Any) -> Any:
    """Drops the leading frames of modpy's own dispatch code, so the traceback starts where
    the handler's code does (upstream showed one HandlerDispatch frame there)."""
    tb = etb
    while tb is not None and tb.tb_next is not None and \
            tb.tb_frame.f_code.co_filename.startswith(_WORKER_DIR):
        tb = tb.tb_next
    return tb

APLOG_ERR = 3
DONE = -2
HTTP_INTERNAL_SERVER_ERROR = 500


def report_error(exc_info: Any, phase: str, hname: Any, debug: bool, req: Any = None,
                 filt: Any = None, log: Any = None) -> int:
    etype, evalue, etb = exc_info
    try:
        lines = traceback.format_exception(etype, evalue, _user_frames(etb))
        if isinstance(evalue, OSError) and str(evalue).startswith("Write"):
            debug = False
        for e in lines:
            message = "%s %s: %s" % (phase, hname, e[:-1])
            if req is not None:
                req.log_error(message, APLOG_ERR)
            elif log is not None:
                log(APLOG_ERR, message)
            else:
                from mod_python._worker import state
                state.log(APLOG_ERR, message)
        if not debug or req is None:
            return HTTP_INTERNAL_SERVER_ERROR
        page = ['\n<pre>\nMod_python error: "%s"\n\n' % escape("%s %s" % (phase, hname))]
        page.extend(escape(e) + "\n" for e in lines)
        page.append("</pre>\n")
        text = "".join(page)
        if filt is not None:
            filt.write(text)
            filt.flush()
        else:
            req.status = HTTP_INTERNAL_SERVER_ERROR
            if not req._head_sent:
                req.content_type = "text/html"
            req.write(text)
        return DONE
    except Exception:  # noqa: BLE001 - the report itself failed: last resort is stderr
        traceback.print_exc()
        sys.stderr.flush()
        return HTTP_INTERNAL_SERVER_ERROR
    finally:
        etb = None
