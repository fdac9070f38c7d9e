"""The connection object (mp_conn, spec §4.4).

For requests, connection_for gives req.connection: one object per client connection id, kept
for the last _MAX_REMEMBERED connections this worker served, so conn.notes survive the
keep-alive requests of a connection that come to this worker (another worker has its own
object). Each request brings the connection's facts anew (with its own keepalives count) and
resets conn.keepalive from them.

For PythonConnectionHandler, dispatch.serve_connection makes a Connection of its own that also
talks raw bytes through the channel under the connection's stream id (cid):
channel.read_body(cid, n) → bytes | None (None at EOF), and channel.send_data(cid, data) +
channel.flush() (conn.write sends at once, like upstream)."""

import warnings
from typing import Any, Optional

from mod_python._worker.table import table

APLOG_ERR = 3
READ_BLOCK = 65536


def _readonly(name: str, key: str) -> property:
    def get(self: "Connection") -> Any:
        return self._c.get(key)

    def refuse(self: Any, value: Any) -> None:
        raise AttributeError("attribute '%s' of 'mp_conn' objects is not writable" % name)
    return property(get, refuse)


class Connection:
    """mp_conn."""

    def __init__(self, info: dict, server: Any, channel: Any = None,
                 cid: Optional[int] = None) -> None:
        self._c = info
        self._server = server
        self._ch = channel
        self._cid = cid
        self._buf = bytearray()
        self._eof = False
        self._keepalive = int(info.get("keepalive", 0) or 0)
        self.notes = table()
        self.hlist: Any = None

    id = _readonly("id", "id")
    client_ip = _readonly("client_ip", "client_ip")
    local_ip = _readonly("local_ip", "local_ip")
    local_host = _readonly("local_host", "local_host")
    remote_host = _readonly("remote_host", "remote_host")
    keepalives = _readonly("keepalives", "keepalives")

    @property
    def base_server(self) -> Any:
        return self._server

    @property
    def client_addr(self) -> tuple:
        return (self._c.get("client_ip"), self._c.get("client_port"))

    @property
    def local_addr(self) -> tuple:
        return (self._c.get("local_ip"), self._c.get("local_port"))

    @property
    def remote_addr(self) -> tuple:
        warnings.warn("remote_addr is deprecated, use client_addr", DeprecationWarning, 2)
        return self.client_addr

    @property
    def remote_ip(self) -> Any:
        warnings.warn("remote_ip is deprecated, use client_ip", DeprecationWarning, 2)
        return self._c.get("client_ip")

    remote_logname = property(lambda self: None)
    aborted = property(lambda self: 0)
    double_reverse = property(lambda self: 0)
    _conn_rec = property(lambda self: None)

    @property
    def keepalive(self) -> int:
        return self._keepalive

    @keepalive.setter
    def keepalive(self, value: Any) -> None:
        if not isinstance(value, int):
            raise TypeError("keepalive must be an integer")
        self._keepalive = int(value)

    def log_error(self, message: Any, level: int = APLOG_ERR) -> None:
        if self._ch is not None:
            self._ch.log(level or APLOG_ERR, str(message), self._cid, scope="connection")
        else:
            from mod_python._worker import state
            state.log(level or APLOG_ERR, str(message))

    # --- raw I/O, for connection handlers ------------------------------------------------
    def _need_io(self) -> None:
        if self._ch is None or self._cid is None:
            raise IOError("connection I/O is only available to a PythonConnectionHandler")

    def _fill(self, want: int) -> bool:
        if self._eof:
            return False
        piece = self._ch.read_body(self._cid, max(want, 1))
        if piece is None or piece == b"":
            self._eof = True
            return False
        self._buf.extend(piece)
        return True

    def _take(self, n: int) -> bytes:
        data = bytes(self._buf[:n])
        del self._buf[:n]
        return data

    def read(self, length: int = 0) -> Optional[bytes]:
        """Blocks until at least one byte; up to ``length`` bytes (-1: until the peer
        closes); None at EOF."""
        self._need_io()
        if length is not None and length < 0:
            while self._fill(READ_BLOCK):
                pass
            return self._take(len(self._buf)) if self._buf else None
        if not self._buf and not self._fill(length or READ_BLOCK):
            return None
        n = len(self._buf) if not length else min(length, len(self._buf))
        return self._take(n)

    def readline(self, length: int = 0) -> Optional[bytes]:
        self._need_io()
        start = 0
        while True:
            i = self._buf.find(b"\n", start)
            if i >= 0 and (not length or i < length):
                return self._take(i + 1)
            if length and len(self._buf) >= length:
                return self._take(length)
            start = len(self._buf)
            if not self._fill(READ_BLOCK):
                return self._take(len(self._buf)) if self._buf else None

    def write(self, data: Any) -> None:
        self._need_io()
        b = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        if b:
            self._ch.send_data(self._cid, b)
            self._ch.flush()

    def __repr__(self) -> str:
        return "<mp_conn %s:%s>" % self.client_addr


_by_id: dict = {}
_MAX_REMEMBERED = 64


def connection_for(info: dict, server: Any) -> Connection:
    """req.connection for a request on client connection info["id"]: the object this worker
    already has for that id (keep-alive requests share notes), updated to `info`, or a new one;
    the _MAX_REMEMBERED most recently used ids are kept."""
    cid = info.get("id")
    conn = _by_id.get(cid)
    if conn is None:
        if len(_by_id) >= _MAX_REMEMBERED:
            _by_id.pop(next(iter(_by_id)))
        conn = _by_id[cid] = Connection(info, server)
    else:
        # Used again: it is the last to be forgotten (dicts keep insertion order).
        del _by_id[cid]
        _by_id[cid] = conn
        conn._c = info
        conn._keepalive = int(info.get("keepalive", 0) or 0)
    return conn
