"""Entry point of a modpy Python worker: ``python -m mod_python._worker.main``.

The server spawns this with the protocol socket on fd 3 and the handler's stdout/stderr on fd 1/2
(captured into the error log line by line), so nothing a handler prints can corrupt the protocol.
The loop reads frames, runs the dispatch functions (``mod_python._worker.dispatch``, or the module
named by MODPY_DISPATCH_MODULE — a test seam), enforces per-request deadlines with SIGALRM, and
exits when fd 3 closes (the server is gone) or when the server asks it to.
"""

import importlib
import os
import signal
import socket
import sys
import time
import traceback

from . import channel as channel_mod
from .channel import Channel, RequestTimeout
from .frames import END, JSON, PROTOCOL_VERSION
from .lent_socket import SocketInbox
from .wire_head import HEAD_FIELDS

APLOG_ERR = 3
SOCKET_BUFFER = 4 * 1024 * 1024


class Deadlines:
    """Per-request deadlines, enforced with one interval timer for whatever code is running.

    The timer is re-armed only when a sooner deadline appears, not around every phase (two
    system calls per phase otherwise). An alarm that comes early — for a request that already
    finished, or while the worker is idle — re-arms for the next deadline and returns.

    The same timer bounds how long deferred output may wait (Channel.defer_flush): at most one
    alarm per FLUSH_DELAY, and only while output is actually held back.

    The code that runs is the channel's `current` stack (Worker._run pushes and pops it)."""

    def __init__(self, channel: Channel):
        self._channel = channel
        # rid -> monotonic time of its deadline (Worker adds and drops entries itself on its
        # hot path, as start()/drop() do).
        self.due = {}
        self._running = channel.current
        self._armed = None  # monotonic time the timer fires at, None when disarmed
        self._flush_armed = False  # the timer was last armed for a deferred flush

    def start(self, rid: int, ms) -> None:
        if ms:
            self.due[rid] = time.monotonic() + ms / 1000.0

    def drop(self, rid: int) -> None:
        if rid in self.due:
            del self.due[rid]

    def enter(self, rid: int) -> None:
        """Code of `rid` is about to run (and is on the channel's current stack)."""
        due = self.due.get(rid)
        if due is not None and (self._armed is None or due < self._armed):
            self._arm(due)

    def idle(self) -> None:
        """The worker is about to block with its output sent: a timer armed only to flush would
        just interrupt the wait, so it is disarmed. Not put back on a deadline: an alarm only
        acts on running code, and enter() arms the timer for the request that runs next.

        Except when the worker is busy — its last wait was shorter than what is left of the
        timer: the next batch most likely comes before the timer fires, and then finds it armed
        (no system call here, and none for that batch's first deferred flush). A timer that
        short is costly to set under a hypervisor (~5 µs per setitimer, against ~1 µs for a
        deadline's), and it was set and cleared once per batch. Should it fire in the wait
        after all, that wait was long, and the next idle() disarms."""
        if not self._flush_armed or self._running:
            return
        if self._channel.last_wait < self._armed - time.monotonic():
            return
        self._flush_armed = False
        self._armed = None
        self._channel.flush_scheduled = False
        signal.setitimer(signal.ITIMER_REAL, 0)

    def stop(self) -> None:
        """The loop is over. A timer kept armed across a wait (idle) must not fire during
        interpreter shutdown: SIGALRM's default action would kill the worker, which the server
        reads as a crash."""
        if self._armed is not None:
            self._armed = None
            self._flush_armed = False
            self._channel.flush_scheduled = False
            signal.setitimer(signal.ITIMER_REAL, 0)

    def flush_soon(self, seconds: float) -> None:
        """Pending output must leave within `seconds`: the channel asks only when it has not
        asked since the last alarm (channel.flush_scheduled), always with FLUSH_DELAY, so a
        timer armed since then fires soon enough."""
        due = time.monotonic() + seconds
        if self._armed is None or due < self._armed:
            self._arm(due)
            self._flush_armed = True
        self._channel.flush_scheduled = True

    def _arm(self, due: float) -> None:
        self._armed = due
        self._flush_armed = False
        # Never 0, which would disarm: a request already late gets its exception at once.
        signal.setitimer(signal.ITIMER_REAL, max(due - time.monotonic(), 0.0005))

    def _next_due(self):
        due = [self.due[r] for r in self._running if r in self.due]
        return min(due) if due else None

    def on_alarm(self, _signum, _frame) -> None:
        self._armed = None
        self._flush_armed = False
        self._channel.flush_scheduled = False
        self._channel.flush_due()
        due = self._next_due()
        if due is None:
            return
        if due > time.monotonic():
            self._arm(due)
            return
        if self._channel.in_io:
            self._channel.pending_timeout = True
            return
        raise RequestTimeout("request deadline reached")


class Worker:
    def __init__(self, channel: Channel, dispatch):
        self.channel = channel
        self.dispatch = dispatch
        self.deadlines = Deadlines(channel)
        self._due = self.deadlines.due
        self.failed = {}  # rid -> why begin_request failed
        self.children = set()  # rids of nested (internal redirect) requests
        self.exiting = False
        self._handlers = {
            "worker.init": self.on_init,
            "request.begin": self.on_request_begin,
            "phase.run": self.on_phase_run,
            "filter.run": self.on_filter_run,
            "conn.begin": self.on_conn_begin,
            "worker.exit": self.on_exit,
        }
        channel.serve_frame = self.serve
        # Optional in a dispatch module (the MODPY_DISPATCH_MODULE seam may not have it).
        self._end_quietly = getattr(dispatch, "end_quietly", None)

    def run(self) -> None:
        try:
            self._loop()
        finally:
            self.deadlines.stop()

    def _loop(self) -> None:
        next_frame = self.channel.next_frame
        handlers = self._handlers
        while not self.exiting:
            frame = next_frame()
            if frame is None:
                return
            # serve(), spelled out for the two frames of every request (END, request.begin).
            if frame[0] == END:
                self.end_request(frame[1])
                continue
            if frame[0] == JSON:
                handler = handlers.get(frame[2]["type"])
                if handler is not None:
                    handler(frame[2])
                    continue
            self.serve(frame)
        self.channel.flush()

    def serve(self, frame) -> None:
        kind, ident, obj = frame
        if kind != JSON:
            if kind == END:
                self.end_request(ident)
            # Else data for a request that already ended (a body chunk after the handler gave up).
            return
        handler = self._handlers.get(obj["type"])
        if handler is None:
            self.log("modpy worker: unexpected message %r from the server" % obj["type"])
            return
        handler(obj)

    def log(self, message: str, rid=None) -> None:
        self.channel.log(APLOG_ERR, message, rid)

    def log_traceback(self, what: str, rid=None) -> None:
        for line in traceback.format_exc().rstrip("\n").split("\n"):
            self.log("%s: %s" % (what, line), rid)

    # --- messages ------------------------------------------------------------------------------
    def on_init(self, msg) -> None:
        try:
            self.dispatch.worker_init(self.channel, msg["init"])
        except Exception:
            self.log_traceback("worker_init")
        self.channel.send_json({"type": "worker.initialized"})
        self.channel.flush()

    def on_request_begin(self, msg) -> None:
        rid = msg["rid"]
        head = dict(zip(HEAD_FIELDS, msg["head"]))  # the names back on the values: wire_head.py
        refs = self.channel.refs
        server = head["server"]
        if type(server) is int:
            head["server"] = refs[server]
        conn = head["connection"]
        if type(conn) is int:
            conn = refs[conn]
        # The connection's fixed facts are shared by its requests; the count is this request's.
        conn = dict(conn)
        conn["keepalives"] = head.pop("keepalives", 0)
        head["connection"] = conn
        self.channel.begin(rid)
        parent = msg.get("parent")
        if parent is not None:
            self.children.add(rid)
            # A child request is an internal redirect of its parent: req.prev is the parent's req.
            if head.get("prev_rid") is None:
                head["prev_rid"] = parent
        ms = msg.get("deadlineMs")
        if ms:
            self._due[rid] = time.monotonic() + ms / 1000.0  # deadlines.start(rid, ms)
        try:
            self.dispatch.begin_request(self.channel, rid, head)
        except Exception:
            self.log_traceback("begin_request", rid)
            self.failed[rid] = "the request could not be set up in the worker"
        call = msg.get("call")
        if call is not None:
            self.run_phase(rid, call)

    def _resolve_call(self, call: dict) -> dict:
        """Puts back what the server sent by reference: shared values, never changed in place."""
        refs = self.channel.refs
        hlist = call.get("hlist")
        if hlist.__class__ is int:
            call["hlist"] = refs[hlist]
        sync = call.get("sync")
        if sync:
            value = sync.get("config")
            if value.__class__ is int:
                sync["config"] = refs[value]
            value = sync.get("options")
            if value.__class__ is int:
                sync["options"] = refs[value]
        return call

    def _run(self, rid: int, fn, *args, flush=True):
        """Runs request code for `rid` under its deadline; returns (ok, value_or_reason)."""
        channel = self.channel
        if flush and channel.writer.urgent and not channel.flush_scheduled:
            # What earlier requests produced leaves when this batch of work is done, or within
            # FLUSH_DELAY if the new work takes longer: never held behind a slow handler.
            channel.defer_flush()
        if rid > channel.started and rid not in self.children:
            channel.mark_started(rid)
        current = channel.current
        current.append(rid)
        self.deadlines.enter(rid)
        try:
            try:
                return True, fn(*args)
            finally:
                current.pop()
                if not current:
                    # A timeout noticed inside an I/O section belongs to code that has finished.
                    channel.pending_timeout = False
        except RequestTimeout:
            return False, "timeout"
        except Exception:
            self.log_traceback("modpy worker", rid)
            return False, "exception"

    def on_phase_run(self, msg) -> None:
        self.run_phase(msg["rid"], msg["call"])

    def run_phase(self, rid: int, call: dict) -> None:
        """A phase.run, or the first phase that rode in request.begin."""
        if rid in self.failed:
            self.channel.send_json({"type": "phase.error", "rid": rid, "reason": "exception", "message": self.failed[rid]})
            return
        ok, value = self._run(rid, self.dispatch.run_phase, self.channel, rid, self._resolve_call(call))
        if ok:
            self.channel.send_phase_done(rid, value)
        else:
            self.channel.send_json({"type": "phase.error", "rid": rid, "reason": value, "message": ""})

    def on_filter_run(self, msg) -> None:
        rid = msg["rid"]
        data = None if msg.get("eos") else self.channel.take_filter_input(rid)
        ok, value = self._run(rid, self.dispatch.filter_output, self.channel, rid, msg["name"], data)
        if ok:
            for chunk in value or ():
                self.channel.send_filter_data(rid, chunk)
            self.channel.send_json({"type": "filter.done", "rid": rid})
        else:
            self.channel.send_json({"type": "filter.error", "rid": rid, "reason": value})

    def end_request(self, rid: int) -> None:
        channel = self.channel
        # channel.begun also holds running connections, but the server never ends one with END.
        if rid not in channel.begun:
            return
        failed = self.failed
        if rid in failed:
            del failed[rid]
        else:
            quiet = self._end_quietly
            if quiet is None or not quiet(channel, rid):
                # No flush first: cleanups are short, and the request's own response is already out.
                ok, _ = self._run(rid, self.dispatch.end_request, channel, rid, flush=False)
                if not ok:
                    self.log("request cleanups of request %d failed" % rid, rid)
        self.children.discard(rid)
        due = self._due
        if rid in due:
            del due[rid]  # deadlines.drop(rid)
        channel.end(rid)
        channel.send_end(rid)

    def on_conn_begin(self, msg) -> None:
        cid = msg["cid"]
        self.channel.begin(cid)
        self.deadlines.start(cid, msg.get("deadlineMs"))
        ok, value = self._run(
            cid, self.dispatch.serve_connection, self.channel, cid, msg["handler"], msg["conn"], msg["server"]
        )
        self.deadlines.drop(cid)
        self.channel.end(cid)
        if ok:
            self.channel.send_json({"type": "conn.done", "cid": cid, "result": value})
        else:
            self.channel.send_json({"type": "conn.error", "cid": cid, "reason": value})

    def on_exit(self, _msg) -> None:
        try:
            self.dispatch.worker_exit(self.channel)
        except Exception:
            self.log_traceback("worker_exit")
        self.channel.send_json({"type": "worker.exited"})
        self.exiting = True


def _ready_message() -> dict:
    return {
        "type": "worker.ready",
        "pid": os.getpid(),
        # As started (a venv's bin/python names the venv) and with symlinks resolved.
        "executable": os.path.abspath(sys.executable) if sys.executable else "",
        "resolved": os.path.realpath(sys.executable) if sys.executable else "",
        "version": sys.version,
        "protocol": PROTOCOL_VERSION,
    }


def main() -> int:
    # mod_python's apache.init sets this before any user code runs; code checks it.
    sys.argv = ["mod_python"]
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(line_buffering=True)
        except (AttributeError, ValueError):
            pass
    sock = socket.socket(fileno=3)
    # A large socket buffer lets a 1 MiB response leave in one sendmsg instead of a ping-pong of
    # 200 KiB pieces with the server (the kernel caps it at net.core.wmem_max).
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SOCKET_BUFFER)
    except OSError:
        pass
    # ModpyPool direct-write= (bytes) and spin= (µs), which the server always passes (0: off).
    channel = Channel(sock, os.environ.get("MODPY_SCOREBOARD"), SocketInbox.from_environment(),
                      int(os.environ.get("MODPY_DIRECT_WRITE") or 0),
                      int(os.environ.get("MODPY_SPIN_US") or 0) / 1e6)
    channel_mod.activate(channel)
    channel.send_json(_ready_message())
    channel.flush()
    name = os.environ.get("MODPY_DISPATCH_MODULE") or "mod_python._worker.dispatch"
    try:
        dispatch = importlib.import_module(name)
    except Exception:
        traceback.print_exc()
        sys.stderr.write("modpy worker: cannot import the dispatch module %s\n" % name)
        return 3
    worker = Worker(channel, dispatch)
    signal.signal(signal.SIGALRM, worker.deadlines.on_alarm)
    channel.schedule_flush = worker.deadlines.flush_soon
    channel.on_idle = worker.deadlines.idle
    # The server stops workers itself; a terminal's Ctrl-C must not kill them mid-request.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    worker.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
