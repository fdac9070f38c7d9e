"""Session counter: one MemorySession per client, shared by every worker process."""

import os
import time

from mod_python import Session, apache


def handler(req):
    session = Session.Session(req)
    n = session.get('n', 0)
    time.sleep(0.02)  # widen the race window: only the session lock keeps counts exact
    session['n'] = n + 1
    session.save()
    req.content_type = 'text/plain'
    req.write('%d %d' % (session['n'], os.getpid()))
    return apache.OK
