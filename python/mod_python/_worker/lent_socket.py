"""Large response bodies written straight to the client's socket (docs/protocol.md "Direct writes").

Through frames, a body crosses three copies (worker to server, server's read, server to client)
and the server allocates a buffer per read. For one large write the server instead lends the
worker its client connection: it flushes the response head and everything written before, passes
the socket over Node's IPC channel (SCM_RIGHTS), and keeps off it until the worker says how many
bytes it wrote. The body then crosses one copy, into the kernel, as under Apache.

The IPC channel is Node's own (child_process 'ipc' stdio, fd NODE_CHANNEL_FD): newline-separated
JSON. A socket arrives as {"cmd": "NODE_HANDLE", "msg": {"rid": …}} with the descriptor attached
to the first byte; Node sends the next one only after {"cmd": "NODE_HANDLE_ACK"}.
"""

import json
import os
import socket
from typing import Optional

# Writes of at least this many bytes go straight to the client (ModpyPool direct-write=, which
# the server passes as MODPY_DIRECT_WRITE; this is its default).
DEFAULT_MIN_BYTES = 256 * 1024
_ACK = b'{"cmd":"NODE_HANDLE_ACK"}\n'
# Apache's default Timeout, for a server that did not say.
_DEFAULT_TIMEOUT = 60.0


class SocketInbox:
    """The worker's end of Node's IPC channel: receives lent client sockets."""

    def __init__(self, fd: int):
        self._sock = socket.socket(fileno=fd)
        self._sock.setblocking(True)
        self._buf = b""
        self._fds = []

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

    def receive(self, rid: int) -> int:
        """The descriptor of the client socket lent for request `rid` (the server sent it before
        it answered take_socket, so this does not wait long). A socket lent for an earlier
        request and never collected (its take was interrupted by a deadline) is closed."""
        while True:
            message = self._next_message()
            if message.get("cmd") != "NODE_HANDLE":
                continue
            fd = self._fds.pop(0) if self._fds else -1
            self._sock.sendall(_ACK)
            if (message.get("msg") or {}).get("rid") == rid and fd >= 0:
                return fd
            if fd >= 0:
                os.close(fd)

    def discard_arrived(self) -> None:
        """Acknowledges and closes every socket already waiting in the channel: one lent to a
        request whose deadline struck as the answer came, before it could collect it."""
        self._sock.setblocking(False)
        try:
            while True:
                try:
                    message = self._next_message()
                except (BlockingIOError, ConnectionError):
                    break
                if message.get("cmd") == "NODE_HANDLE":
                    if self._fds:
                        os.close(self._fds.pop(0))
                    self._sock.setblocking(True)
                    self._sock.sendall(_ACK)
                    self._sock.setblocking(False)
        finally:
            self._sock.setblocking(True)

    def _next_message(self) -> dict:
        while b"\n" not in self._buf:
            data, fds, _flags, _addr = socket.recv_fds(self._sock, 65536, 4)
            if not data:
                raise ConnectionError("the server closed the IPC channel")
            self._fds.extend(fds)
            self._buf += data
        line, self._buf = self._buf.split(b"\n", 1)
        return json.loads(line)


class LentWrite:
    """Body bytes written to a lent client socket; close() gives this process's copy back."""

    def __init__(self, fd: int, chunked: bool, timeout: float, head: bytes = b""):
        self._sock = socket.socket(fileno=fd)
        # Always a timeout (per send, like Apache's Timeout): it keeps the descriptor
        # non-blocking, which the server's copy shares — blocking mode would stall the server.
        self._sock.settimeout(timeout if timeout > 0 else _DEFAULT_TIMEOUT)
        self._chunked = chunked
        # The response head when the server lent it with the socket: it leaves with the first
        # body bytes, in one segment.
        self._head = head
        self.body_bytes = 0  # payload written, chunk framing not counted
        self.complete = True  # false once a write broke off: the response is unframed

    def write(self, data) -> None:
        """Writes `data` whole (as one chunk of a chunked body); raises OSError when the client
        is gone or stalls past the timeout."""
        self.complete = False
        lead = self._lead(len(data))
        sent = 0
        try:
            sent = self._send([lead, data, b"\r\n"] if self._chunked else [lead, data])
        finally:
            self.body_bytes += max(0, min(len(data), sent - len(lead)))
        self.complete = True

    def sendfile(self, file, offset: int, count: int) -> None:
        """Sends `count` bytes of the open binary `file` from `offset` with sendfile(2): the
        kernel copies them, Python never sees them."""
        self.complete = False
        self._send([self._lead(count)])
        try:
            # socket.sendfile waits for the socket within its timeout, and leaves the file
            # positioned after what it sent, even when it fails.
            self._sock.sendfile(file, offset, count)
        finally:
            self.body_bytes += max(0, file.tell() - offset)
        if self._chunked:
            self._send([b"\r\n"])
        self.complete = True

    def _lead(self, size: int) -> bytes:
        """What goes before `size` body bytes: the lent head (once), the chunk's size line."""
        lead = self._head + (b"%x\r\n" % size if self._chunked else b"")
        self._head = b""
        return lead

    def _send(self, pieces: list) -> int:
        """Sends every byte of `pieces`; returns how many left (all, unless it raises)."""
        parts = [memoryview(p) for p in pieces if p]
        sent = 0
        while parts:
            n = self._sock.sendmsg(parts)
            sent += n
            while parts and n >= len(parts[0]):
                n -= len(parts[0])
                parts.pop(0)
            if parts and n:
                parts[0] = parts[0][n:]
        return sent

    def close(self) -> None:
        # Only this process's descriptor: no shutdown(), the connection stays the server's.
        self._sock.close()
