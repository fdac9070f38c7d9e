"""Handler for overload.test.ts: handler() sleeps for ?seconds (default 1) and answers "slept"."""
import time

from mod_python import apache


def handler(req):
    time.sleep(float(req.args or "1"))
    req.content_type = "text/plain"
    req.write("slept")
    return apache.OK
