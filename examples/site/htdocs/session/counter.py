"""Counts visits per browser with mod_python.Session (a cookie names the session)."""
from mod_python import Session, apache


def handler(req):
    session = Session.Session(req)
    session["hits"] = session.get("hits", 0) + 1
    session.save()
    req.content_type = "text/plain"
    req.write("You have visited this page %d time(s).\n" % session["hits"])
    return apache.OK
