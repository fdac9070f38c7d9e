"""Request body in, response out (spec §4.3, §8 points 9-10).

Output: write(data, flush=1) queues bytes; a flush pushes them through the request's Python
output filters (if any) to Node. The response head goes out with the first bytes that leave;
when nothing left before the end of the content phase, the head carries the exact length, so
Node can send Content-Length. Input: read/readline/readlines share one buffer fed by
channel.read_body, optionally through Python input filters.
"""

import os
from typing import Any, Optional

from mod_python._apache import SERVER_RETURN
from mod_python._worker.lent_socket import FileShrank, LentWrite

HTTP_LENGTH_REQUIRED = 411
READ_BLOCK = 65536

# The request fields response.head carries as its own keys (the rest of a phase's changes
# made before the head left travel in its "sync").
_IN_HEAD = frozenset(("status", "status_line", "content_type", "headers_out", "err_headers_out"))


_CHANNEL_ERRORS: tuple = ()


def channel_errors() -> tuple:
    """Failures of the link to the server that mean "the client is gone / timed out"."""
    global _CHANNEL_ERRORS
    if not _CHANNEL_ERRORS:
        from mod_python._worker import channel
        call_error = getattr(channel, "ServerCallError", None) or getattr(channel, "CallError")
        _CHANNEL_ERRORS = (OSError, EOFError, call_error)
    return _CHANNEL_ERRORS


def as_bytes(data: Any) -> bytes:
    if isinstance(data, str):
        return data.encode("utf-8")
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise TypeError("argument must be str or bytes, not %s" % type(data).__name__)


class RequestIO:
    """Mixin of Request: everything that moves body bytes."""

    _ch: Any
    _rid: int
    _h: dict
    _s: dict
    _dirty: set
    _has_tables: bool

    # Defaults read through the class until the request sets its own (Request.__init__ only
    # creates _out): a request that never reads its body never builds the input buffer.
    _queued = 0  # _bytes_queued
    _head_sent = False
    _sent = 0  # body bytes handed to Node
    _eos = False
    _in = b""  # the input buffer: a bytearray once reading starts
    _in_started = False
    _in_eof = False
    _read_len = 0

    # --- output --------------------------------------------------------------------------
    def write(self, data: Any, flush: int = 1) -> None:
        b = data.encode("utf-8") if data.__class__ is str else as_bytes(data)
        if self._eos:
            raise IOError("Write failed, client closed connection.")
        self._out.append(b)
        d = self.__dict__
        d["_queued"] = self._queued + len(b)
        if flush:
            self._push(final=False)
            # Streaming (progress output, SSE) needs the bytes on their way now.
            self._ch.flush()

    def flush(self) -> None:
        self._push(final=False)
        if self._head_sent:
            self._ch.send("flush", self._rid, None)

    def _push(self, final: bool) -> None:
        """Moves queued output on: through Python output filters, then to Node."""
        out = self._out
        if len(out) == 1:
            data = out[0]
        else:
            data = b"".join(out)
        out.clear()
        filters = self._filters
        if filters is not None and filters.has_output():
            self._emit(filters.run_output(data, final), final)
            return
        # No Python output filter: the one piece goes as it is.
        if not self._head_sent:
            self._send_head(len(data) if final else None)
        if data:
            n = len(data)
            ch = self._ch
            if n < ch.direct_min or not self._with_lent_socket(lambda w: w.write(data)):
                ch.send_data(self._rid, data)
            self.__dict__["_sent"] = self._sent + n
        if final:
            self.__dict__["_eos"] = True

    def _emit(self, chunks: list, final: bool) -> None:
        if not self._head_sent:
            length = sum(len(c) for c in chunks) if final else None
            self._send_head(length)
        send = self._ch.send_data
        rid = self._rid
        d = self.__dict__
        for c in chunks:
            if c:
                send(rid, c)
                d["_sent"] = self._sent + len(c)
        if final:
            d["_eos"] = True

    _direct_refused = False

    def _with_lent_socket(self, use) -> bool:
        """Runs `use(LentWrite)` on the client socket, which the server lends after everything
        sent before has reached the client; False (and False from then on for this request) when
        it will not lend it. HEAD and TLS are never lent: no round trip is spent asking."""
        ch = self._ch
        h = self._h
        if self._direct_refused or h.get("header_only") or h.get("is_https"):
            return False
        inbox = ch.inbox
        inbox.expect(self._rid)
        made = []  # the LentWrite, once made: a deadline raised right after must still close it
        try:
            lent = ch.call(self._rid, "take_socket", {})
            if not lent:
                self.__dict__["_direct_refused"] = True
                return False
            head = lent.get("head")
            # Received and wrapped inside an I/O section: a deadline cannot land between the
            # descriptor's arrival and the object that closes it.
            ch.io_section(lambda: made.append(LentWrite(
                inbox.receive(self._rid), bool(lent.get("chunked")), self._server.timeout,
                head.encode("latin-1") if head else b"")))
            use(made[0])
        except FileShrank:
            raise
        except OSError:
            raise IOError("Write failed, client closed connection.") from None
        finally:
            inbox.abandon(self._rid)
            if made:
                writer = made[0]
                writer.close()
                ch.send_json({"type": "response.written", "rid": self._rid, "bytes": writer.body_bytes,
                              "wire": writer.wire_bytes, "complete": writer.complete})
                if not writer.complete:
                    self.__dict__["_eos"] = True
        return True

    def _send_head(self, length: Optional[int]) -> None:
        s = self._s
        d = self.__dict__
        dirty = self._dirty
        # What the phase changed so far goes with the head, not only with phase.done: the
        # server builds the head from other fields too (Header env= and %{VAR}e read
        # subprocess_env, Header echo and the Range decision headers_in), as Apache's header
        # filter reads r->subprocess_env & co when the first bytes leave. The fields the head
        # carries itself are left out of it. The common case (only content_type or status
        # set, no table touched) skips the collection: nothing beyond the head to send.
        dirty.difference_update(_IN_HEAD)  # sent as the head's own keys, not again
        if dirty or self._has_tables:
            sync = self._collect_sync()  # type: ignore[attr-defined]
            # A touched header table: its pairs are in _s now, and go as the head's own.
            if "headers_out" in sync:
                del sync["headers_out"]
            if "err_headers_out" in sync:
                del sync["err_headers_out"]
        else:
            sync = None
        # The header tables as wire pairs, from _s: _collect_sync put a touched table's pairs
        # there, and an untouched one needs no table object built just to be serialised.
        # Copied only to add Expires (the synced pairs stay as the handler left them).
        headers_out = s["headers_out"]
        if s["no_cache"]:
            headers_out = [list(p) for p in headers_out]
            headers_out.append(["Expires", _http_date_now()])
        d["_head_sent"] = True
        head = {
            "status": s["status"],
            "status_line": s["status_line"],
            "content_type": s["content_type"],
            "headers_out": headers_out,
            "err_headers_out": s["err_headers_out"],
            "content_length": length,
        }
        if sync:
            head["sync"] = sync
        self._ch.send("headers", self._rid, head)

    def _finish_output(self) -> None:
        """End of the response body (end of the content phase, or a phase that ended the
        request). Nothing happens when the handler never wrote: Node answers then."""
        if self._eos:
            return
        filters = self._filters
        if filters is None:
            if self._out:
                self._push(final=True)
            elif self._head_sent:
                # Everything already left: the body just ends here.
                self.__dict__["_eos"] = True
        elif self._out or self._head_sent or filters.output_started():
            self._push(final=True)

    @property
    def sent_bodyct(self) -> int:
        return 1 if self._head_sent else 0

    @property
    def bytes_sent(self) -> int:
        return self._sent

    @property
    def _bytes_queued(self) -> int:
        return self._queued

    @property
    def eos_sent(self) -> int:
        return 1 if self._eos else 0

    def sendfile(self, path: Any, offset: int = 0, length: int = -1) -> int:
        """Sends (part of) a file; follows symlinks; IOError when it cannot be read."""
        real = os.path.realpath(os.fsdecode(path))
        try:
            size = os.stat(real).st_size
            if not os.access(real, os.R_OK):
                raise PermissionError(real)
        except OSError:
            raise IOError("Could not stat file for reading") from None
        if offset < 0 or offset > size:
            raise IOError("Could not stat file for reading")
        if length is None or length < 0:
            length = size - offset
        length = min(length, size - offset)
        filters = self._filters
        if filters is not None and filters.has_output():
            # Python output filters must see the bytes: send them through write().
            with open(real, "rb") as f:
                f.seek(offset)
                self.write(f.read(length), flush=1)
            return length
        self._push(final=False)
        if length >= self._ch.direct_min:
            with open(real, "rb") as f:
                if self._with_lent_socket(lambda writer: writer.sendfile(f, offset, length)):
                    self.__dict__["_sent"] = self._sent + length
                    self.__dict__["_queued"] = self._queued + length
                    return length
        sent = int(self._ch.call(self._rid, "sendfile",
                                 {"path": real, "offset": offset, "length": length}) or 0)
        self.__dict__["_sent"] = self._sent + sent
        self.__dict__["_queued"] = self._queued + sent
        return sent

    # --- input ---------------------------------------------------------------------------
    def _start_reading(self) -> None:
        self.__dict__["_in_started"] = True
        self.__dict__["_in"] = bytearray()
        if self._h.get("read_chunked"):
            # mod_python sets up the body with REQUEST_CHUNKED_ERROR.
            raise SERVER_RETURN(HTTP_LENGTH_REQUIRED)
        if not self._h.get("clength_in"):
            self.__dict__["_in_eof"] = True

    def _fill(self, want: int) -> bool:
        """Reads one more piece into the buffer; False at end of body."""
        if self._in_eof:
            return False
        try:
            filters = self._filters
            if filters is not None and filters.has_input():
                piece = filters.run_input(max(want, READ_BLOCK))
            else:
                piece = self._ch.read_body(self._rid, max(want, READ_BLOCK))
        except channel_errors():
            raise IOError("Client read error (Timeout?)") from None
        if piece is None:
            self.__dict__["_in_eof"] = True
            return False
        self._in.extend(piece)
        return True

    def _take(self, n: int) -> bytes:
        buf = self._in
        data = bytes(buf[:n])
        del buf[:n]
        self.__dict__["_read_len"] = self._read_len + len(data)
        return data

    def read(self, length: int = -1) -> bytes:
        if not self._in_started:
            self._start_reading()
        if length is None or length < 0:
            while self._fill(READ_BLOCK):
                pass
            return self._take(len(self._in))
        while len(self._in) < length and self._fill(length - len(self._in)):
            pass
        return self._take(length)

    def readline(self, length: int = -1) -> bytes:
        if not self._in_started:
            self._start_reading()
        limit = length if length is not None and length >= 0 else None
        start = 0
        while True:
            i = self._in.find(b"\n", start)
            if i >= 0 and (limit is None or i < limit):
                return self._take(i + 1)
            if limit is not None and len(self._in) >= limit:
                return self._take(limit)
            start = len(self._in)
            if not self._fill(READ_BLOCK):
                return self._take(len(self._in) if limit is None else limit)

    def readlines(self, sizehint: int = 0) -> list:
        lines = []
        total = 0
        while True:
            line = self.readline()
            if not line:
                return lines
            lines.append(line)
            total += len(line)
            if sizehint and sizehint > 0 and total >= sizehint:
                return lines

    def discard_request_body(self) -> int:
        if not self._in_started:
            try:
                self._start_reading()
            except SERVER_RETURN as e:
                return e.args[0]
        while self._fill(READ_BLOCK):
            self._in.clear()
        self._in.clear()
        return 0

    @property
    def remaining(self) -> int:
        if not self._in_started:
            # Apache sets r->remaining when the body starts to be read, not before.
            return 0
        if self._in_eof and not self._in:
            return 0
        # What the handler has not read yet: bytes already buffered here still count, as
        # mod_python reads exactly what the handler asks for.
        return max(0, (self._h.get("clength_in") or 0) - self._read_len)

    @property
    def read_length(self) -> int:
        return self._read_len

    @property
    def read_body(self) -> int:
        # REQUEST_CHUNKED_ERROR once reading started (mod_python's policy), else NO_BODY.
        return 1 if self._in_started else 0


def _http_date_now() -> str:
    from email.utils import formatdate
    return formatdate(usegmt=True)
