"""Handlers for worker-api.test.ts.

hello            writes with flush=0 (→ Content-Length), sets notes
fixup_declined / fixup_ok / show_trail   stacking and attributes kept across phases
boom             raises ValueError('<bad>')
echo_lines       readline twice, then the length of the rest
streamed / upper_filter                  output filter over flushed writes
locked_section   apache._global_lock around a logged critical section
echo_conn        connection handler: reads a line, answers PONG
"""
import os
import time

from mod_python import apache


def hello(req):
    req.content_type = "text/plain"
    req.notes["seen"] = "yes"
    req.write("hello %s %s" % (req.uri, req.args), 0)
    return apache.OK


def _trail(req):
    if not hasattr(req, "trail"):
        req.trail = []
    return req.trail


def fixup_declined(req):
    _trail(req).append("declined")
    return apache.DECLINED


def fixup_ok(req):
    _trail(req).append("ok")
    return apache.OK


def show_trail(req):
    req.write(",".join(_trail(req)) + "|")
    return apache.OK


def boom(req):
    raise ValueError("<bad>")


def echo_lines(req):
    first = req.readline()
    second = req.readline()
    rest = req.read()
    req.write(first + b"|" + second + b"|" + str(len(rest)).encode())
    return apache.OK


def streamed(req):
    req.write("one ")
    req.write("two ")
    return apache.OK


def upper_filter(filter):
    s = filter.read()
    while s:
        filter.write(s.upper())
        s = filter.read()
    if s is None:
        filter.write("<EOS>")
        filter.close()


def locked_section(req):
    log = os.environ["PYAPI_LOCK_LOG"]
    apache._global_lock(req.server, "pyapi-key")
    try:
        with open(log, "a") as f:
            f.write("in %d\n" % os.getpid())
        time.sleep(0.3)
        with open(log, "a") as f:
            f.write("out %d\n" % os.getpid())
    finally:
        apache._global_unlock(req.server, "pyapi-key")
    return apache.OK


def echo_conn(conn):
    line = conn.readline()
    conn.write(b"PONG " + line)
    return apache.OK
