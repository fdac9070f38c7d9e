"""The frame codec of the worker's link to the server (docs/protocol.md).

A frame is a 9-byte header — u32 big-endian payload length, u8 kind, u32 big-endian stream id —
then the payload. Kind 0 is a JSON control message (the id is 0, the message names its request);
kinds 1 (BODY) and 2 (FILTER) carry raw bytes for the request/connection whose id is in the header.
"""

import json
import struct
from socket import MSG_DONTWAIT
from time import monotonic

HEADER = struct.Struct(">IBI")
HEADER_SIZE = HEADER.size

JSON = 0
BODY = 1
FILTER = 2
# No payload: "request `id` ends" (server → worker) / "request `id` has ended" (worker → server).
# The hottest control message of all, so it skips JSON on both sides.
END = 3
KINDS = (JSON, BODY, FILTER, END)

# Protects both sides from a corrupt length: no single frame is ever this large on purpose.
MAX_FRAME = 64 * 1024 * 1024

# 4: take_socket's answer travels with the lent socket (lent_socket.py); 3: request.begin's
# head is a positional array (wire_head.py); 2 sent it as an object.
PROTOCOL_VERSION = 4

# One reusable encoder; ASCII-only output, so lone surrogates cannot break it.
_encoder = json.JSONEncoder(separators=(",", ":"))


def _unencodable(value):
    raise TypeError("Object of type %s is not JSON serializable" % type(value).__name__)


try:
    from json.encoder import c_make_encoder as _c_make_encoder
except ImportError:  # an interpreter without the _json accelerator
    _c_make_encoder = None

if _c_make_encoder is not None:
    # JSONEncoder.encode builds this C encoder anew for every message; built once, a control
    # message costs ~40 % less to encode. No circular-reference markers: messages are trees.
    _encode_chunks = _c_make_encoder(
        None, _unencodable, json.encoder.encode_basestring_ascii, None, ":", ",", False, False, True)

    def _encode_text(message: dict) -> str:
        return "".join(_encode_chunks(message, 0))
else:
    _encode_text = _encoder.encode


# The two control messages of every request are built from fixed text around their few
# variable parts: the general encoder's start-up costs more than such a message (~1 µs against
# ~0.3). Only the shapes request code produces take this way — an int id and status (not a bool,
# which JSON spells true/false), a str or null content type … — anything else goes through the
# general encoder. Either way the text is the JSON the general encoder makes, key for key.
_escape = json.encoder.encode_basestring_ascii
_PHASE_DONE = '{"type":"phase.done","rid":%d,"result":{"status":%d,"sync":%s}}'
_RESPONSE_HEAD = ('{"type":"response.head","rid":%d,"head":{"status":%d,"status_line":%s,'
                  '"content_type":%s,"headers_out":%s,"err_headers_out":%s,"content_length":%s}}')
# With the phase's other changes made before the head left (request_io._send_head).
_RESPONSE_HEAD_SYNC = _RESPONSE_HEAD[:-2] + ',"sync":%s}}'


def phase_done_text(rid, result: dict) -> str:
    """`{"type": "phase.done", "rid": rid, "result": result}` as JSON text."""
    if len(result) == 2 and rid.__class__ is int:
        status = result.get("status")
        sync = result.get("sync")
        if status.__class__ is int and sync.__class__ is dict:
            return _PHASE_DONE % (rid, status, _encode_text(sync) if sync else "{}")
    return _encode_text({"type": "phase.done", "rid": rid, "result": result})


def response_head_text(rid, head: dict) -> str:
    """`{"type": "response.head", "rid": rid, "head": head}` as JSON text (head: a ResponseHead
    as request_io builds it: six keys, and a seventh, "sync", when the phase changed other
    request fields before the head left)."""
    n = len(head)
    if (n == 6 or n == 7) and rid.__class__ is int:
        try:
            status = head["status"]
            line = head["status_line"]
            ctype = head["content_type"]
            length = head["content_length"]
            out = head["headers_out"]
            err = head["err_headers_out"]
            sync = head["sync"] if n == 7 else None  # a KeyError for another seventh key
        except KeyError:
            pass  # other keys: written as they are below
        else:
            if (status.__class__ is int and (line is None or line.__class__ is str)
                    and (ctype is None or ctype.__class__ is str)
                    and (length is None or length.__class__ is int)
                    and out.__class__ is list and err.__class__ is list
                    and (n == 6 or sync.__class__ is dict)):
                values = (
                    rid, status, "null" if line is None else _escape(line),
                    "null" if ctype is None else _escape(ctype),
                    _encode_text(out) if out else "[]", _encode_text(err) if err else "[]",
                    "null" if length is None else "%d" % length)
                if n == 6:
                    return _RESPONSE_HEAD % values
                return _RESPONSE_HEAD_SYNC % (values + (_encode_text(sync),))
    return _encode_text({"type": "response.head", "rid": rid, "head": head})


class FrameError(Exception):
    """The byte stream from the server is not valid framing (a bug or a foreign writer)."""


def encode_json(message: dict) -> bytes:
    """One whole control frame. Not on the worker's path (FrameWriter.add_json is): the tests
    build the frames they expect with it, from the same encoder."""
    payload = _encode_text(message).encode("ascii")
    return HEADER.pack(len(payload), JSON, 0) + payload


def data_header(kind: int, ident: int, length: int) -> bytes:
    """The header of a data frame. Not on the worker's path (FrameWriter.add_data packs it
    inline): the tests build the frames they expect with it."""
    return HEADER.pack(length, kind, ident)


# The scanner without JSONDecoder.decode's two whitespace regex matches: the server's JSON has
# no surrounding whitespace, and anything after the value is still refused below.
_scan = json.JSONDecoder().scan_once


def decode_json(payload) -> dict:
    try:
        text = payload.decode("utf-8")
        message, end = _scan(text, 0)
    except StopIteration as stop:
        raise FrameError("control frame is not JSON: nothing to decode at %d" % stop.value) from None
    except (UnicodeDecodeError, ValueError) as err:
        raise FrameError("control frame is not JSON: %s" % err) from None
    if end != len(text):
        raise FrameError("control frame is not JSON: extra data at %d" % end)
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise FrameError("control frame without a 'type'")
    return message


class FrameReader:
    """Reads whole frames from a blocking stream socket.

    Bytes are received straight into one fixed buffer and frames are parsed in place, so a burst
    of pipelined requests costs one system call and each payload is copied once (into its
    bytes object). A payload too large for the buffer is received into its own buffer instead.
    """

    RECV_SIZE = 256 * 1024
    # Up to this size, slicing is cheaper than going through a memoryview.
    SMALL_FRAME = 4096
    # Frames up to this size are completed inside the buffer; larger ones get their own.
    IN_PLACE_MAX = RECV_SIZE // 2
    # Unread bytes move to the front when less room than this is left for the next recv.
    MIN_ROOM = 64 * 1024

    def __init__(self, sock):
        self._sock = sock
        self._buf = bytearray(self.RECV_SIZE)
        self._view = memoryview(self._buf)  # never resized: the view stays valid
        self._pos = 0  # first unread byte
        self._end = 0  # end of the bytes received

    def read_buffered(self):
        """The next frame as read() gives it when it is wholly buffered, else None (nothing is
        consumed and nothing blocks): the main loop's common case, a frame of a burst."""
        pos = self._pos
        avail = self._end - pos
        if avail < HEADER_SIZE:
            return None
        length, kind, ident = HEADER.unpack_from(self._buf, pos)
        if avail - HEADER_SIZE < length:
            return None  # read() checks the length against MAX_FRAME
        if kind > END:
            raise FrameError("unknown frame kind %d" % kind)
        start = pos + HEADER_SIZE
        stop = start + length
        if not length:
            payload = b""
        elif length <= self.SMALL_FRAME:
            payload = bytes(self._buf[start:stop])
        else:
            payload = self._view[start:stop].tobytes()  # one copy, not slice + bytes
        if stop == self._end:
            self._pos = self._end = 0
        else:
            self._pos = stop
        return kind, ident, payload

    def buffered(self) -> int:
        return self._end - self._pos

    def poll_until(self, until: float) -> None:
        """Receives without blocking until bytes or the end of the stream come, or the monotonic
        clock passes `until`; what came stays buffered for read(). Used on an empty buffer only
        (ModpyPool spin=): a request that comes meanwhile costs no wake-up of this process."""
        if self._end != self._pos:
            return
        self._pos = self._end = 0
        view = self._view
        recv_into = self._sock.recv_into
        while True:
            try:
                self._end = recv_into(view, 0, MSG_DONTWAIT)
                return  # bytes, or 0 at the end of the stream (read() sees it again)
            except BlockingIOError:
                if monotonic() >= until:
                    return

    def read(self):
        """Next frame as (kind, ident, payload bytes); None at end of stream."""
        if not self._fill(HEADER_SIZE):
            return None
        length, kind, ident = HEADER.unpack_from(self._buf, self._pos)
        if kind not in KINDS:
            raise FrameError("unknown frame kind %d" % kind)
        if length > MAX_FRAME:
            raise FrameError("frame of %d bytes is over the %d byte limit" % (length, MAX_FRAME))
        if self._end - self._pos - HEADER_SIZE < length:
            if length > self.IN_PLACE_MAX:
                self._pos += HEADER_SIZE
                return kind, ident, self._read_large(length)
            self._fill(HEADER_SIZE + length, inside_frame=True)
        return self.read_buffered()  # the whole frame is buffered now

    def _read_large(self, length: int) -> bytes:
        # Take what is buffered, then receive the rest directly into the payload's buffer.
        avail = self._end - self._pos
        out = bytearray(length)
        view = memoryview(out)
        view[:avail] = self._view[self._pos:self._end]
        self._pos = self._end = 0
        got = avail
        while got < length:
            n = self._sock.recv_into(view[got:], length - got)
            if n == 0:
                raise FrameError("stream ended inside a frame")
            got += n
        view.release()
        return bytes(out)

    def _fill(self, need: int, inside_frame: bool = False) -> bool:
        while self._end - self._pos < need:
            if self._pos and len(self._buf) - self._end < max(self.MIN_ROOM, need - (self._end - self._pos)):
                rest = self._end - self._pos
                self._buf[:rest] = self._buf[self._pos:self._end]
                self._pos, self._end = 0, rest
            n = self._sock.recv_into(self._view[self._end:])
            if not n:
                if inside_frame:
                    raise FrameError("stream ended inside a frame")
                if self._end - self._pos:
                    raise FrameError("stream ended inside a frame header")
                return False
            self._end += n
        return True


class FrameWriter:
    """Collects outgoing frames and sends them with one sendmsg (writev) per flush.

    Payloads are kept by reference, so a large body is never concatenated with its header.
    """

    IOV_MAX = 512
    # Up to this many pending bytes, the pieces are joined and sent as one: copying a few KiB
    # in Python costs less than the kernel's walk over dozens of small iovecs (a batch of eight
    # small responses is ~40 pieces: ~2.7 against ~3.4 µs). Larger payloads are never copied.
    JOIN_MAX = 16 * 1024

    def __init__(self, sock):
        self._sock = sock
        self._parts: list = []
        self.pending_bytes = 0
        # Something pending is waited for (anything but END frames): it must leave soon.
        self.urgent = False

    def add_json(self, message: dict) -> None:
        self.add_text(_encode_text(message))

    def add_text(self, text: str) -> None:
        """A control message already encoded as (ASCII) JSON text."""
        payload = text.encode("ascii")
        frame = HEADER.pack(len(payload), JSON, 0) + payload
        self._parts.append(frame)
        self.pending_bytes += len(frame)
        self.urgent = True

    def add_end(self, ident: int) -> None:
        """An END frame; never urgent (nobody waits for it to start new work)."""
        self._parts.append(HEADER.pack(0, END, ident))
        self.pending_bytes += HEADER_SIZE

    def add_data(self, kind: int, ident: int, data) -> None:
        self._parts.append(HEADER.pack(len(data), kind, ident))  # data_header()
        if data:
            self._parts.append(data)
        self.pending_bytes += HEADER_SIZE + len(data)
        self.urgent = True

    def flush(self) -> None:
        parts = self._parts
        if not parts:
            return
        left = self.pending_bytes
        self._parts = []
        self.pending_bytes = 0
        self.urgent = False
        if len(parts) == 1:
            self._sock.sendall(parts[0])
            return
        if left <= self.JOIN_MAX:
            self._sock.sendall(b"".join(parts))
            return
        while parts:
            batch = parts[: self.IOV_MAX] if len(parts) > self.IOV_MAX else parts
            sent = self._sock.sendmsg(batch)
            left -= sent
            if not left:
                return
            # A stream socket may take only part of the vector: drop what went, resend the rest.
            i = 0
            while i < len(batch) and sent >= len(batch[i]):
                sent -= len(batch[i])
                i += 1
            rest = parts[i:]
            if sent:
                rest[0] = memoryview(rest[0])[sent:]
            parts = rest
