"""Handlers for phases.test.ts.

record / record_declined    note req.phase in req.notes['order'] (OK / DECLINED)
authen                      sets req.user = 'bob' (OK)
authen_no_user              OK without req.user (the server must answer 500)
authen_denied               401 (the server adds WWW-Authenticate)
content                     writes the order noted so far
after                       appends "<uri> <order>" to order.log (log and cleanup phases)
declined                    DECLINED from the content phase: the static file is served
not_found                   returns HTTP_NOT_FOUND
own_404                     sets req.status = 404, writes its own page, returns OK
redirect                    req.internal_redirect('/static/page.txt')
hello                       "Hello" plus whether req.filename is None (Location short-cut)
early                       req.headers_out["X-Early"] as set by `Header … early`
"""
import os

from mod_python import apache

ORDER_LOG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "order.log")


def _note(req):
    name = req.phase.replace("Python", "").replace("Handler", "") or "Content"
    req.notes["order"] = req.notes.get("order", "") + name + " "


def record(req):
    _note(req)
    return apache.OK


def record_declined(req):
    _note(req)
    return apache.DECLINED


def authen(req):
    _note(req)
    req.user = "bob"
    return apache.OK


def authen_no_user(req):
    return apache.OK


def authen_denied(req):
    return apache.HTTP_UNAUTHORIZED


def content(req):
    _note(req)
    req.content_type = "text/plain"
    req.write(req.notes["order"].strip())
    return apache.OK


def after(req):
    _note(req)
    with open(ORDER_LOG, "a") as f:
        f.write("%s %s\n" % (req.uri, req.notes["order"].strip()))
    return apache.OK


def declined(req):
    return apache.DECLINED


def not_found(req):
    return apache.HTTP_NOT_FOUND


def own_404(req):
    req.status = apache.HTTP_NOT_FOUND
    req.content_type = "text/plain"
    req.write("my own 404")
    return apache.OK


def redirect(req):
    req.internal_redirect("/static/page.txt")
    return apache.OK


def hello(req):
    req.content_type = "text/plain"
    req.write("Hello filename=%s interpreter=%s" % (req.filename, req.interpreter))
    return apache.OK


def early(req):
    req.content_type = "text/plain"
    req.write("X-Early=%s" % req.headers_out.get("X-Early"))
    return apache.OK
