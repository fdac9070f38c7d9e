"""The worker's side of the link to the server: what dispatch code uses to talk to Node.

One Channel per worker process. It owns the frame reader/writer on fd 3, buffers request bodies,
and implements blocking calls into the server. While a call (or a body read, or a wait for the
client to drain) is outstanding, the channel keeps serving frames of requests this worker has
already begun — and child requests opened by internal_redirect — because the server may need
them to answer; frames of requests not begun yet are kept, in order, for the main loop.

Deadline safety: the SIGALRM handler in main.py must never raise while a frame is half read or
half written, so every I/O section here is bracketed by _enter/_leave; an alarm that arrives
inside one is remembered and raised when the outermost section ends. The only place a deadline
may interrupt directly is the wait for the socket to become readable, where nothing is consumed.
"""

import collections
import mmap
import os
import select
import struct
from time import monotonic

from . import frames
from .frames import BODY, END, FILTER, JSON, decode_json, phase_done_text, response_head_text

# Above this many unacknowledged response bytes the worker waits for the client to drain.
WINDOW = 2 * 1024 * 1024
# Request bodies are pulled from the server in chunks of at least this size.
PULL_SIZE = 1024 * 1024
# Output that handler code asks to flush leaves at the latest this long after (seconds); sooner
# when the worker runs out of work or blocks, so that a batch of pipelined requests costs one
# sendmsg (and one wake-up of the server) instead of two per request.
FLUSH_DELAY = 0.001


class RequestTimeout(BaseException):
    """Raised inside a handler when its request's deadline passes (BaseException, so a plain
    ``except Exception`` in user code does not swallow it)."""


class ServerCallError(Exception):
    """A call into the server failed; the message is the server's."""


class _Body:
    __slots__ = ("chunks", "size", "eof", "asked")

    def __init__(self):
        self.chunks = collections.deque()
        self.size = 0
        self.eof = False
        self.asked = False


class _Scoreboard:
    """An 8-byte shared page where the worker records the newest request whose code it started,
    so the server can tell, after a crash, which queued requests never ran and can run elsewhere
    (requests are started in id order; children of a running request are never recorded)."""

    def __init__(self, path):
        self._map = None
        if path:
            fd = os.open(path, os.O_RDWR)
            try:
                self._map = mmap.mmap(fd, 8)
            finally:
                os.close(fd)

    def record(self, rid: int) -> None:
        if self._map is not None:
            struct.pack_into(">Q", self._map, 0, rid)


# The server keeps REF_CAPACITY (4096) definitions per worker and names only those; the worker
# keeps twice as many, so a message that waited in the backlog while later definitions were
# taken still finds its own (a backlog holds a few requests, each defining at most four).
REFS_KEPT = 2 * 4096


class Channel:
    def __init__(self, sock, scoreboard_path=None, inbox=None, direct_min=0, spin=0.0):
        self.sock = sock
        # Where lent client sockets arrive (lent_socket.py); None: no direct writes.
        self.inbox = inbox
        if inbox is not None:
            inbox.on_answer = self._note_socket_answer
        # Body writes of at least this many bytes go straight to the client (0: never).
        self.direct_min = direct_min if inbox is not None and direct_min > 0 else 1 << 62
        self.reader = frames.FrameReader(sock)
        self.writer = frames.FrameWriter(sock)
        self.scoreboard = _Scoreboard(scoreboard_path)
        self.begun = set()
        # Values the server sends once and names by number later (docs/protocol.md, References).
        self.refs = {}
        self.current = []  # stack of rids whose code is running (nested requests push)
        self.serve_frame = None  # set by main: handles request/phase/... frames
        # Set by main: arms a timer that calls flush_due() within `seconds` (None: flush at once).
        self.schedule_flush = None
        # Set by main: called when the main loop is about to block with its output sent.
        self.on_idle = None
        # True while the timer behind schedule_flush is armed to fire within FLUSH_DELAY (main's
        # Deadlines keeps it): asking again would change nothing, so it is not asked.
        self.flush_scheduled = False
        # Seconds the main loop last waited for the server (read by main's Deadlines.idle).
        self.last_wait = float("inf")
        # ModpyPool spin= (seconds): how long the main loop polls for the next frame before it
        # blocks. 0: it blocks at once.
        self.spin = spin
        self.pending_timeout = False
        self._pending_flush = False
        self._io = 0
        self._bodies = {}
        self._filter_input = {}
        self._backlog = collections.deque()
        self._replies = {}
        self._drained = set()
        self._unacked = {}
        self._next_call = 0
        self.started = 0  # the newest rid mark_started recorded

    # --- deadline-safe sections ---------------------------------------------------------------
    @property
    def in_io(self) -> bool:
        return self._io > 0

    def _enter(self) -> None:
        self._io += 1

    # The hot sections below spell _enter/_leave out (`self._io += 1` … `self._io -= 1` and the
    # _settle check): two method calls per section were a tenth of a hello's loop cost.
    def _leave(self) -> None:
        self._io -= 1
        if not self._io and (self._pending_flush or self.pending_timeout):
            self._settle()

    def _settle(self) -> None:
        """The outermost I/O section ended: what the alarm left for its end happens now."""
        if self._pending_flush:
            self._pending_flush = False
            self._io = 1
            try:
                self.writer.flush()
            finally:
                self._io = 0
        if self.pending_timeout:
            self.pending_timeout = False
            raise RequestTimeout("request deadline reached")

    def io_section(self, fn) -> None:
        """Runs `fn` where a deadline cannot interrupt it (it is raised when the section ends)."""
        self._enter()
        try:
            fn()
        finally:
            self._leave()

    # --- request bookkeeping (main loop) ------------------------------------------------------
    def begin(self, rid: int) -> None:
        # The body buffer is made when body bytes or a read come (_body): most requests have none.
        self.begun.add(rid)

    def _body(self, rid: int):
        """The body buffer of a begun request or connection (made on first use), else None."""
        body = self._bodies.get(rid)
        if body is None and rid in self.begun:
            body = self._bodies[rid] = _Body()
        return body

    def mark_started(self, rid: int) -> None:
        """Request code is about to run for `rid`: from now on the server must not run this
        request anywhere else, even if this worker dies."""
        if rid > self.started:
            self.started = rid
            self.scoreboard.record(rid)

    def end(self, rid: int) -> None:
        self.begun.discard(rid)
        # Most requests leave nothing in these: a membership test is cheaper than a pop.
        if rid in self._bodies:
            del self._bodies[rid]
        if rid in self._filter_input:
            del self._filter_input[rid]
        if rid in self._unacked:
            del self._unacked[rid]
        self._drained.discard(rid)

    def take_filter_input(self, rid: int):
        return self._filter_input.pop(rid, b"")

    # --- sending --------------------------------------------------------------------------------
    def send_json(self, message: dict) -> None:
        # Not on a request's path (errors, logs, filter and connection ends): plain sections.
        self._enter()
        try:
            self.writer.add_json(message)
        finally:
            self._leave()

    def _add_text(self, text: str) -> None:
        """One control message already encoded (frames' fixed text), in its own I/O section."""
        self._io += 1
        try:
            self.writer.add_text(text)
        finally:
            self._io -= 1
            if not self._io and (self._pending_flush or self.pending_timeout):
                self._settle()

    def send_phase_done(self, rid: int, result: dict) -> None:
        """phase.done, from frames' fixed text (as send() writes response.head)."""
        self._add_text(phase_done_text(rid, result))

    def send(self, kind: str, rid: int, obj) -> None:
        """Control message for request `rid`: "headers" (the ResponseHead dict) or "flush"."""
        if kind == "headers":
            self._add_text(response_head_text(rid, obj))
        elif kind == "flush":
            self._enter()
            try:
                self.writer.add_json({"type": "response.flush", "rid": rid})
                self.writer.flush()
            finally:
                self._leave()
        else:
            raise ValueError("unknown channel message kind %r" % (kind,))

    def send_end(self, rid: int) -> None:
        """Tells the server request `rid` is over in this worker (after its cleanups)."""
        self._io += 1
        try:
            self.writer.add_end(rid)
        finally:
            self._io -= 1
            if not self._io and (self._pending_flush or self.pending_timeout):
                self._settle()

    def send_filter_data(self, rid: int, data) -> None:
        self.send_data(rid, data, FILTER)

    def send_data(self, rid: int, data, kind: int = BODY) -> None:
        """Response body bytes (or connection output) for `rid`, with backpressure."""
        if not isinstance(data, bytes):
            data = bytes(data)
        if not data:
            return
        writer = self.writer
        self._io += 1
        try:
            writer.add_data(kind, rid, data)
            if writer.pending_bytes >= 256 * 1024:
                writer.flush()
            unacked = self._unacked.get(rid, 0) + len(data)
            if unacked > WINDOW:
                writer.add_json({"type": "response.drain", "rid": rid})
                self._wait(lambda: rid in self._drained)
                self._drained.discard(rid)
                unacked = 0
            self._unacked[rid] = unacked
        finally:
            self._io -= 1
            if not self._io and (self._pending_flush or self.pending_timeout):
                self._settle()

    def flush(self) -> None:
        """Sends what is pending.

        While request code runs, the send is deferred by at most FLUSH_DELAY: it then leaves
        with the phase's end (and the next requests' output) in one sendmsg, or from the
        timer when the code keeps running (streaming output stays timely)."""
        if self.current and self.schedule_flush is not None:
            self.defer_flush()
            return
        self._enter()
        try:
            self.writer.flush()
        finally:
            self._leave()

    def defer_flush(self) -> None:
        """Pending output must leave within FLUSH_DELAY (or when the worker blocks first)."""
        if self.writer.urgent and not self.flush_scheduled and self.schedule_flush is not None:
            self.schedule_flush(FLUSH_DELAY)

    def flush_due(self) -> None:
        """The flush timer fired (signal handler): send pending output now, or as soon as the
        I/O section it interrupted ends (a frame must never be sent half written)."""
        if not self.writer.urgent:
            return
        if self._io:
            self._pending_flush = True
            return
        self._enter()
        try:
            self.writer.flush()
        finally:
            self._io -= 1

    def log(self, level: int, message: str, rid=None, scope=None) -> None:
        """A line for the error log; `scope` is "request", "server" or "connection"."""
        if scope is None:
            scope = "request" if rid is not None else "server"
        # Urgent, so a line logged by code that keeps running (a slow handler) reaches the error
        # log within FLUSH_DELAY instead of with the end of the phase.
        self.send_json({"type": "log", "level": int(level), "message": str(message), "rid": rid, "scope": scope})
        if self.current:
            self.defer_flush()

    # --- receiving ------------------------------------------------------------------------------
    def read_body(self, rid: int, max_bytes: int):
        """Up to `max_bytes` of the request body (or connection input) of `rid`; None at the end.
        A non-positive `max_bytes` means "whatever is available"."""
        body = self._body(rid)
        if body is None:
            raise ValueError("request %r is not active in this worker" % (rid,))
        self._enter()
        try:
            if not body.chunks and not body.eof:
                want = max(max_bytes, PULL_SIZE)
                self.writer.add_json({"type": "body.read", "rid": rid, "max": want})
                body.asked = True
                self._wait(lambda: bool(body.chunks) or body.eof)
            if not body.chunks:
                return None
            return _take(body, max_bytes)
        finally:
            self._leave()

    def call(self, rid, method: str, args: dict):
        """Calls `method` in the server for request `rid` (None: for the worker) and returns its
        value; raises ServerCallError with the server's message when it fails."""
        self._enter()
        try:
            self._next_call += 1
            ident = self._next_call
            self.writer.add_json({"type": "call", "id": ident, "rid": rid, "method": method, "args": args})
            self._wait(lambda: ident in self._replies)
            reply = self._replies.pop(ident)
        finally:
            self._leave()
        if reply.get("ok"):
            return reply.get("value")
        raise ServerCallError(reply.get("error") or "server call %s failed" % method)

    def notify(self, rid, method: str, args: dict) -> None:
        """Like call() for a method whose answer nobody needs (a lock release): the request goes
        on at once instead of waiting a round trip; a failure is logged by the server. Sent
        within FLUSH_DELAY (another worker may be waiting for what it releases)."""
        self._enter()
        try:
            self.writer.add_json({"type": "call", "id": 0, "rid": rid, "method": method, "args": args})
        finally:
            self._leave()
        self.flush()

    def next_frame(self):
        """Main loop: the next frame to serve (backlog first); None when the server is gone."""
        while self._backlog:
            # A queued BODY/body.end belongs to a request that was not begun when it arrived;
            # once the main loop has begun it (the request.begin queued before them), they feed
            # its body like any other: handing them to the main loop would lose the body.
            frame = self._backlog.popleft()
            if not self._absorb(frame):
                return frame
        reader = self.reader
        while True:
            self._io += 1
            try:
                frame = reader.read_buffered()
                if frame is None:
                    self.writer.flush()
                    if self.inbox is not None:
                        self.inbox.pay_acks()
                    if self.on_idle is not None:
                        self.on_idle()
                    waited_from = monotonic()
                    if self.spin:
                        reader.poll_until(waited_from + self.spin)
                    frame = reader.read()
                    self.last_wait = monotonic() - waited_from
                    if frame is None:
                        return None
                kind = frame[0]
                if kind == JSON:
                    frame = (JSON, frame[1], decode_json(frame[2]))
                    if frame[2]["type"] not in _ABSORBED:
                        return frame
                elif kind == END:
                    return frame
                if not self._absorb(frame):
                    return frame
            finally:
                self._io -= 1
                if not self._io and (self._pending_flush or self.pending_timeout):
                    self._settle()

    def _wait(self, done) -> None:
        """Serves frames until done() is true (called inside an I/O section)."""
        reader = self.reader
        while not done():
            raw = reader.read_buffered()
            if raw is None:
                self.writer.flush()
                if not self._wait_readable(done):
                    continue  # done through the inbox: a socket brought the answer
                raw = reader.read()
            if raw is None:
                raise ConnectionError("the server closed the worker channel")
            frame = _decode(raw)
            if self._absorb(frame):
                continue
            if self._servable(frame):
                self._serve_nested(frame)
            else:
                self._backlog.append(frame)

    def _wait_readable(self, done) -> bool:
        """Waits until the worker channel is readable (True), or until done() holds after a lent
        socket came (False: a take_socket answer travels with its socket, nothing to read)."""
        # The one spot where a deadline may interrupt directly: nothing has been consumed.
        saved, self._io = self._io, 0
        try:
            if self.pending_timeout:
                self.pending_timeout = False
                raise RequestTimeout("request deadline reached")
            inbox = self.inbox
            if inbox is None or inbox.closed:
                select.select([self.sock], [], [])
                return True
            # The server sends the next socket (possibly the one this wait is for) only after
            # the last one was acknowledged: what is owed leaves now, with what was just flushed.
            inbox.pay_acks()
            while True:
                ready = select.select([self.sock, inbox], [], [])[0]
                if inbox in ready:
                    # Not interruptible while it reads; an alarm during the pump stayed pending
                    # (it is not re-armed) and is raised when the section ends.
                    self.io_section(inbox.pump)
                    if done():
                        return False
                if self.sock in ready:
                    return True
                if inbox.closed:
                    select.select([self.sock], [], [])
                    return True
        finally:
            self._io = saved

    def _note_socket_answer(self, ident, value) -> None:
        """A lent socket came with the answer to take_socket call `ident` (lent_socket.py)."""
        self._replies[ident] = {"ok": True, "value": value}

    def _serve_nested(self, frame) -> None:
        saved, self._io = self._io, 0
        try:
            self.serve_frame(frame)
        finally:
            self._io = saved

    def _absorb(self, frame) -> bool:
        """Handles the frames that only feed state here; True when it did."""
        kind, ident, obj = frame
        if kind == BODY:
            body = self._body(ident)
            if body is not None:
                if obj:
                    body.chunks.append(obj)
                    body.size += len(obj)
                return True
            return False  # not begun yet: keep it in order with its request
        if kind == FILTER:
            if ident in self.begun:
                self._filter_input[ident] = self._filter_input.get(ident, b"") + obj
                return True
            return False
        if kind == END:
            return False
        t = obj["type"]
        if t == "ref.define":
            # Taken at once, even while a call waits: a nested request may name it next.
            refs = self.refs
            refs[obj["ref"]] = obj["value"]
            if len(refs) > REFS_KEPT:
                del refs[next(iter(refs))]
            return True
        if t == "call.result":
            self._replies[obj["id"]] = obj
            return True
        if t == "response.drained":
            self._drained.add(obj["rid"])
            return True
        if t == "body.end":
            body = self._body(obj["rid"])
            if body is not None:
                body.eof = True
                return True
            return False
        return False

    def _servable(self, frame) -> bool:
        kind, ident, obj = frame
        if kind != JSON:
            return ident in self.begun  # BODY/FILTER already absorbed; END of a begun request
        if obj["type"] == "request.begin":
            return obj.get("parent") is not None
        rid = obj.get("rid", obj.get("cid"))
        return rid in self.begun


# The control messages _absorb takes (the main loop hands every other one on without asking it).
_ABSORBED = frozenset(("ref.define", "call.result", "response.drained", "body.end"))


def _decode(raw):
    kind, ident, payload = raw
    if kind == JSON:
        return kind, ident, frames.decode_json(payload)
    return kind, ident, payload


def _take(body: _Body, max_bytes: int) -> bytes:
    if max_bytes <= 0 or max_bytes >= body.size:
        out = b"".join(body.chunks) if len(body.chunks) > 1 else body.chunks[0]
        body.chunks.clear()
        body.size = 0
        return out
    parts = []
    need = max_bytes
    while need:
        chunk = body.chunks[0]
        if len(chunk) <= need:
            parts.append(body.chunks.popleft())
            need -= len(chunk)
        else:
            parts.append(chunk[:need])
            body.chunks[0] = chunk[need:]
            need = 0
    body.size -= max_bytes
    return b"".join(parts)


# --- calls from library code that has no channel/rid at hand --------------------------------------
_active = None


def activate(channel: Channel) -> None:
    global _active
    _active = channel


def server_notify(method: str, args: dict) -> None:
    """server_call without waiting for (or getting) the answer; see Channel.notify."""
    channel = _active
    if channel is None:
        raise RuntimeError("server_notify used outside a modpy worker")
    rid = channel.current[-1] if channel.current else None
    channel.notify(rid, method, args)


def server_call(method: str, args: dict):
    """Calls the server on behalf of the request now running in this worker (or for the worker
    itself when none is); used by session stores and _apache._global_lock."""
    channel = _active
    if channel is None:
        raise RuntimeError("server_call used outside a modpy worker")
    rid = channel.current[-1] if channel.current else None
    return channel.call(rid, method, args)
