"""Handlers for head-sync.test.ts: each changes a request field, then writes (the response head
leaves with the first bytes) — the server must build that head from the field as the handler
left it, as Apache's header filter reads r->subprocess_env / r->headers_in when the first bytes
leave."""
from mod_python import apache


def _env(req):
    req.subprocess_env["HEAD_VAR"] = "1"
    req.subprocess_env["HEAD_VAL"] = "from-handler"


def env_write(req):
    # Written and flushed at once: the head leaves before the handler returns.
    _env(req)
    req.content_type = "text/plain"
    req.write("streamed")
    req.write(" more")
    return apache.OK


def env_return(req):
    # Written unflushed: the head leaves at the end of the phase, with a known length.
    _env(req)
    req.content_type = "text/plain"
    req.write("buffered", 0)
    return apache.OK


def env_late(req):
    # Set after the head left: too late for this response (as in Apache), but later phases
    # and the access log still see it.
    req.content_type = "text/plain"
    req.write("early")
    _env(req)
    return apache.OK


def headers_in(req):
    # A Range the handler removes before writing: the server must not cut the body.
    del req.headers_in["Range"]
    req.headers_in["X-Echo-Me"] = "echoed"
    req.content_type = "text/plain"
    req.write("0123456789", 0)
    return apache.OK


def notes_user(req):
    # Fields the head does not read itself: they still reach the server before the head,
    # and the log phase (a later phase) sees them.
    req.notes["head-note"] = "n1"
    req.user = "alice"
    req.content_type = "text/plain"
    req.write("noted")
    return apache.OK
