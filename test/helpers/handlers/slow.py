"""A slow handler shared by integration tests (signals, overload): handler() sleeps for ?seconds (default 1) and answers "slept".

Before sleeping it creates the file "started-<seconds>" next to itself, which the test waits for
instead of guessing when the request reached a worker (a log line would not do: lines logged by
running Python code reach the error log only when the handler's phase ends). It also logs
"slow handler started: <seconds>", a line the server writes to its error log."""
import os
import time

from mod_python import apache


def handler(req):
    seconds = req.args or "1"
    open(os.path.join(os.path.dirname(__file__), "started-" + seconds), "w").close()
    req.log_error("slow handler started: " + seconds, apache.APLOG_NOTICE)
    time.sleep(float(seconds))
    req.content_type = "text/plain"
    req.write("slept")
    return apache.OK
