"""Large response bodies written straight to the client's socket (docs/protocol.md "Direct writes").

Through frames, a body crosses three copies (worker to server, server's read, server to client)
and the server allocates a buffer per read. For one large write the server instead lends the
worker its client connection: once everything written before is in the kernel, it passes the
socket over Node's IPC channel (SCM_RIGHTS), with the response head when it has not sent it, and
keeps off it until the worker says what it wrote. The body then crosses one copy, into the
kernel, as under Apache.

The IPC channel is Node's own (child_process 'ipc' stdio, fd NODE_CHANNEL_FD): newline-separated
JSON. A socket arrives as {"cmd": "NODE_HANDLE", "msg": {"rid": …, "id": …, "value": …}} with the
descriptor attached to the first byte; `id` and `value` are the answer to the take_socket call,
which therefore needs no second message (and the worker no second wake-up). Node sends the next
socket only after {"cmd": "NODE_HANDLE_ACK"}; the worker owes it until it next waits on the
server (pay_acks), so that it leaves in the same burst as what the worker sends then instead of
waking the server on its own in the middle of the write.
"""

import array
import json
import os
import socket
from typing import Optional

_ACK = b'{"cmd":"NODE_HANDLE_ACK"}\n'
# Apache's default Timeout, for a server that did not say.
_DEFAULT_TIMEOUT = 60.0
# Room for the descriptors of one message (Node attaches one; 4 as recv_fds was asked for).
_FDS_SPACE = socket.CMSG_LEN(4 * array.array("i").itemsize)


class FileShrank(OSError):
    """req.sendfile's file got shorter while it was sent: the length announced is wrong (the
    connection is closed), but the client did not leave, so the handler is told which it was."""


class SocketInbox:
    """The worker's end of Node's IPC channel: receives lent client sockets."""

    def __init__(self, fd: int):
        self._sock = socket.socket(fileno=fd)
        self._sock.setblocking(True)
        self._buf = b""
        self._fds = []
        self._expecting = set()  # requests whose take waits for its socket
        self._kept = {}  # rid -> the socket that came for it
        # Acknowledgements owed to Node (at most one: it sends a socket only after the last ACK).
        self._acks_owed = 0
        # Set by the channel: called with (call id, value) when a socket that carries the answer
        # to a take_socket call arrives for a request that waits for it.
        self.on_answer = None
        # The server closed the channel: select() would report it readable forever.
        self.closed = False

    @classmethod
    def from_environment(cls) -> Optional["SocketInbox"]:
        """The inbox on the channel Node opened for this process, if it opened one. The variables
        are removed so that a Node program the handler starts does not take the channel over."""
        fd = os.environ.pop("NODE_CHANNEL_FD", None)
        os.environ.pop("NODE_CHANNEL_SERIALIZATION_MODE", None)
        if fd is None:
            return None
        os.set_inheritable(int(fd), False)
        return cls(int(fd))

    def expect(self, rid: int) -> None:
        """A take for request `rid` is about to be asked: its socket, when it comes, is kept.
        (Several can be waiting: a request's code may run nested inside another's call.)"""
        self._expecting.add(rid)

    def receive(self, rid: int) -> int:
        """The descriptor of the socket for request `rid`'s take (the server sent it before it
        answered, so this does not wait long)."""
        while rid not in self._kept:
            self._take(self._next_message())
        self._expecting.discard(rid)
        return self._kept.pop(rid)

    def abandon(self, rid: int) -> None:
        """Request `rid`'s take waits no more (answered, refused, or cut short by a deadline):
        a socket kept for it is closed, and one still on its way will be when it comes."""
        self._expecting.discard(rid)
        fd = self._kept.pop(rid, None)
        if fd is not None:
            os.close(fd)
        self.pump()

    def fileno(self) -> int:
        """For select(): the channel's worker waits on it too (see pump)."""
        return self._sock.fileno()

    def pay_acks(self) -> None:
        """Sends the acknowledgements owed for the sockets taken so far. Called whenever the
        worker is about to wait on the server: Node sends another socket only after them, and
        only when this worker asks for one (which it does from such a wait)."""
        if self._acks_owed and not self.closed:
            owed, self._acks_owed = self._acks_owed, 0
            try:
                self._sock.sendall(_ACK * owed)
            except OSError:
                # The server is gone: the worker channel tells the loop so.
                self.closed = True

    def pump(self) -> None:
        """Takes every socket already waiting, without blocking: the one a take waits for is
        kept (and its answer handed to on_answer), any other — lent to a request whose deadline
        struck before it collected it — is closed, so it does not keep the client's connection
        open. Each is acknowledged at the next pay_acks().

        Non-blocking per receive (MSG_DONTWAIT), not by switching the socket's mode: each switch
        is an ioctl, and a large response pumps twice (7 ioctls per 1 MiB GET measured)."""
        while True:
            try:
                message = self._next_message(socket.MSG_DONTWAIT)
            except BlockingIOError:
                return
            except ConnectionError:
                self.closed = True
                return
            self._take(message)

    def _take(self, message: dict) -> None:
        if message.get("cmd") != "NODE_HANDLE":
            return
        fd = self._fds.pop(0) if self._fds else -1
        self._acks_owed += 1
        if fd < 0:
            return
        msg = message.get("msg") or {}
        rid = msg.get("rid")
        if rid in self._expecting and rid not in self._kept:
            self._kept[rid] = fd
            ident = msg.get("id")
            if ident is not None and self.on_answer is not None:
                self.on_answer(ident, msg.get("value"))
        else:
            os.close(fd)

    def _next_message(self, flags: int = 0) -> dict:
        """The next JSON line; with MSG_DONTWAIT, BlockingIOError when it has not (all) come yet
        (what did come stays in the buffer)."""
        while b"\n" not in self._buf:
            # recvmsg itself: socket.recv_fds takes `flags` but does not pass them on (3.11).
            data, ancdata, _flags, _addr = self._sock.recvmsg(65536, _FDS_SPACE, flags)
            if not data:
                raise ConnectionError("the server closed the IPC channel")
            for level, kind, payload in ancdata:
                if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                    fds = array.array("i")
                    fds.frombytes(payload[: len(payload) - len(payload) % fds.itemsize])
                    self._fds.extend(fds)
            self._buf += data
        line, self._buf = self._buf.split(b"\n", 1)
        return json.loads(line)


class LentWrite:
    """Body bytes written to a lent client socket; close() gives this process's copy back."""

    def __init__(self, fd: int, chunked: bool, timeout: float, head: bytes = b""):
        # Family, type and protocol given, so Python does not ask the descriptor (getsockname and
        # two getsockopt per response). The family may be AF_INET6 really: only send, sendfile
        # and close are used, which do not look at it.
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, fileno=fd)
        # Always a timeout (per send, like Apache's Timeout): it keeps the descriptor
        # non-blocking, which the server's copy shares — blocking mode would stall the server.
        self._sock.settimeout(timeout if timeout > 0 else _DEFAULT_TIMEOUT)
        self._chunked = chunked
        # The response head when the server lent it with the socket: it leaves with the first
        # body bytes, in one segment.
        self._head = head
        self.body_bytes = 0  # payload written, chunk framing not counted
        # True once a write finished: the response is framed as it says. False before any (a
        # deadline struck first) and after one that broke off: the connection must be closed.
        self.complete = False
        self._sent = 0  # bytes the current _send has put on the wire (kept when it raises)
        self.wire_bytes = 0  # everything written: head, framing, body (the access log's %O)

    def write(self, data) -> None:
        """Writes `data` whole (as one chunk of a chunked body); raises OSError when the client
        is gone or stalls past the timeout."""
        self.complete = False
        lead = self._lead(len(data))
        try:
            self._send([lead, data, b"\r\n"] if self._chunked else [lead, data])
        finally:
            self.body_bytes += max(0, min(len(data), self._sent - len(lead)))
            self.wire_bytes += self._sent
        self.complete = True

    def sendfile(self, file, offset: int, count: int) -> None:
        """Sends `count` bytes of the open binary `file` from `offset` with sendfile(2): the
        kernel copies them, Python never sees them. A file that turns out shorter than `count`
        (it shrank since it was measured) raises FileShrank: the length already sent is wrong."""
        self.complete = False
        try:
            self._send([self._lead(count)])
        finally:
            self.wire_bytes += self._sent
        try:
            # socket.sendfile waits for the socket within its timeout, and leaves the file
            # positioned after what it sent, even when it fails.
            self._sock.sendfile(file, offset, count)
        finally:
            sent = max(0, file.tell() - offset)
            self.body_bytes += sent
            self.wire_bytes += sent
        if file.tell() - offset < count:
            raise FileShrank("the file shrank while it was being sent")
        if self._chunked:
            self._send([b"\r\n"])
            self.wire_bytes += self._sent
        self.complete = True

    def _lead(self, size: int) -> bytes:
        """What goes before `size` body bytes: the lent head (once), the chunk's size line."""
        lead = self._head + (b"%x\r\n" % size if self._chunked else b"")
        self._head = b""
        return lead

    def _send(self, pieces: list) -> None:
        """Sends every byte of `pieces`, counting them in _sent as they leave."""
        parts = [memoryview(p) for p in pieces if p]
        self._sent = 0
        while parts:
            n = self._sock.sendmsg(parts)
            self._sent += n
            while parts and n >= len(parts[0]):
                n -= len(parts[0])
                parts.pop(0)
            if parts and n:
                parts[0] = parts[0][n:]

    def close(self) -> None:
        # Only this process's descriptor: no shutdown(), the connection stays the server's.
        self._sock.close()
