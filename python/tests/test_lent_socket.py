"""Direct writes to a lent client socket (mod_python._worker.lent_socket), over real socketpairs:
the IPC side speaks Node's handle-passing messages, the client side is read back byte by byte."""

import json
import os
import socket
import threading
import unittest

from mod_python._worker.lent_socket import FileShrank, LentWrite, SocketInbox


def _drain(sock, into: bytearray) -> None:
    while True:
        data = sock.recv(65536)
        if not data:
            return
        into += data


class LentWriteTest(unittest.TestCase):
    def _pair(self):
        server_end, client_end = socket.socketpair()
        # The server's copy is non-blocking (libuv), and the descriptor the worker gets shares that.
        server_end.setblocking(False)
        return server_end, client_end

    def test_identity_body_arrives_whole_through_partial_sends(self):
        server_end, client = self._pair()
        server_end.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
        got = bytearray()
        reader = threading.Thread(target=_drain, args=(client, got))
        reader.start()
        data = os.urandom(600 * 1024)
        w = LentWrite(os.dup(server_end.fileno()), False, 5)
        w.write(data)
        w.close()
        self.assertEqual(w.body_bytes, len(data))
        self.assertTrue(w.complete)
        # The server's descriptor stays open and non-blocking: closing the lent copy did not
        # shut the connection down.
        self.assertFalse(server_end.getblocking())
        server_end.sendall(b"END")
        server_end.close()
        reader.join(5)
        client.close()
        self.assertEqual(bytes(got), data + b"END")

    def test_chunked_framing_counts_payload_only(self):
        server_end, client = self._pair()
        w = LentWrite(os.dup(server_end.fileno()), True, 5)
        w.write(b"a" * 300)
        w.write(b"bc")
        w.close()
        server_end.close()
        got = bytearray()
        _drain(client, got)
        client.close()
        self.assertEqual(bytes(got), b"12c\r\n" + b"a" * 300 + b"\r\n2\r\nbc\r\n")
        self.assertEqual(w.body_bytes, 302)

    def test_a_lent_head_leaves_once_before_the_first_body_bytes(self):
        server_end, client = self._pair()
        w = LentWrite(os.dup(server_end.fileno()), True, 5, b"HTTP/1.1 200 OK\r\n\r\n")
        w.write(b"abc")
        w.write(b"de")
        w.close()
        server_end.close()
        got = bytearray()
        _drain(client, got)
        client.close()
        self.assertEqual(bytes(got), b"HTTP/1.1 200 OK\r\n\r\n3\r\nabc\r\n2\r\nde\r\n")
        self.assertEqual(w.body_bytes, 5)

    def test_sendfile_sends_the_file_range_as_one_chunk(self):
        import tempfile
        server_end, client = self._pair()
        got = bytearray()
        reader = threading.Thread(target=_drain, args=(client, got))
        reader.start()
        content = os.urandom(300 * 1024)
        with tempfile.TemporaryFile() as f:
            f.write(content)
            f.flush()
            w = LentWrite(os.dup(server_end.fileno()), True, 5)
            w.sendfile(f, 1000, 200 * 1024)
            w.close()
        server_end.close()
        reader.join(5)
        client.close()
        self.assertEqual(bytes(got), b"32000\r\n" + content[1000:1000 + 200 * 1024] + b"\r\n")
        self.assertEqual(w.body_bytes, 200 * 1024)
        self.assertTrue(w.complete)

    def test_a_file_that_is_shorter_than_announced_raises_file_shrank(self):
        import tempfile
        server_end, client = self._pair()
        got = bytearray()
        reader = threading.Thread(target=_drain, args=(client, got))
        reader.start()
        with tempfile.TemporaryFile() as f:
            f.write(b"x" * 1000)
            f.flush()
            w = LentWrite(os.dup(server_end.fileno()), False, 5)
            with self.assertRaises(FileShrank):
                w.sendfile(f, 0, 5000)
            w.close()
        server_end.close()
        reader.join(5)
        client.close()
        self.assertEqual(bytes(got), b"x" * 1000)
        self.assertEqual(w.body_bytes, 1000)
        self.assertFalse(w.complete)

    def test_a_write_that_breaks_off_counts_what_left(self):
        server_end, client = self._pair()
        server_end.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
        client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)

        def read_some_then_leave():
            got = 0
            while got < 20000:
                got += len(client.recv(4096))
            client.close()

        reader = threading.Thread(target=read_some_then_leave)
        reader.start()
        w = LentWrite(os.dup(server_end.fileno()), False, 5)
        with self.assertRaises(OSError):
            w.write(b"x" * (4 * 1024 * 1024))
        reader.join(5)
        w.close()
        server_end.close()
        self.assertFalse(w.complete)
        self.assertGreaterEqual(w.body_bytes, 20000)
        self.assertLess(w.body_bytes, 4 * 1024 * 1024)

    def test_nothing_written_is_not_complete(self):
        server_end, client = self._pair()
        w = LentWrite(os.dup(server_end.fileno()), False, 5, b"HTTP/1.1 200 OK\r\n\r\n")
        w.close()
        server_end.close()
        client.close()
        self.assertFalse(w.complete)

    def test_client_gone_raises_and_marks_incomplete(self):
        server_end, client = self._pair()
        client.close()
        w = LentWrite(os.dup(server_end.fileno()), False, 5)
        with self.assertRaises(OSError):
            w.write(b"x" * 100000)
        w.close()
        server_end.close()
        self.assertFalse(w.complete)
        self.assertEqual(w.body_bytes, 0)


class SocketInboxTest(unittest.TestCase):
    def setUp(self):
        self.node, worker_end = socket.socketpair()
        self.inbox = SocketInbox(worker_end.detach())

    def tearDown(self):
        self.node.close()
        self.inbox._sock.close()  # a worker's inbox lives as long as the process

    def _lend(self, rid: int, answer=None) -> socket.socket:
        """What Node's child.send({rid, id, value}, handle) writes: one JSON line, the fd on its
        first byte; `answer` is the take_socket call's (id, value)."""
        lent, keep = socket.socketpair()
        body = {"rid": rid}
        if answer is not None:
            body["id"], body["value"] = answer
        msg = json.dumps({"cmd": "NODE_HANDLE", "type": "net.Native", "msg": body}) + "\n"
        socket.send_fds(self.node, [msg.encode()], [lent.fileno()])
        lent.close()
        return keep

    def _acks(self) -> list:
        self.node.settimeout(2)
        lines = []
        buf = b""
        while buf.count(b"\n") < 1:
            buf += self.node.recv(4096)
        for line in buf.split(b"\n"):
            if line:
                lines.append(json.loads(line))
        return lines

    def _nothing_sent(self) -> bool:
        self.node.setblocking(False)
        try:
            self.node.recv(4096)
        except BlockingIOError:
            return True
        finally:
            self.node.setblocking(True)
        return False

    def test_receives_the_socket_for_its_request_and_acknowledges_when_paying(self):
        self.inbox.expect(7)
        peer = self._lend(7)
        fd = self.inbox.receive(7)
        # Owed, not sent: it leaves with the worker's next burst (pay_acks before a wait).
        self.assertTrue(self._nothing_sent())
        self.inbox.pay_acks()
        self.assertEqual(self._acks(), [{"cmd": "NODE_HANDLE_ACK"}])
        self.inbox.pay_acks()  # nothing owed any more: nothing sent
        self.assertTrue(self._nothing_sent())
        os.write(fd, b"hi")
        os.close(fd)
        self.assertEqual(peer.recv(10), b"hi")
        peer.close()

    def test_a_socket_left_over_from_an_earlier_request_is_closed_and_acknowledged(self):
        stale_peer = self._lend(3)
        peer = self._lend(4)
        self.inbox.expect(4)
        fd = self.inbox.receive(4)
        os.close(fd)
        self.inbox.pay_acks()
        acks = self._acks()
        while len(acks) < 2:
            acks += self._acks()
        self.assertEqual(acks, [{"cmd": "NODE_HANDLE_ACK"}] * 2)
        # The stale descriptor was closed here: its peer sees end of stream.
        stale_peer.settimeout(2)
        self.assertEqual(stale_peer.recv(10), b"")
        stale_peer.close()
        peer.close()

    def test_pump_closes_and_acknowledges_what_nobody_waits_for_and_does_not_block(self):
        peer = self._lend(9)
        self.inbox.pump()
        self.inbox.pay_acks()
        self.assertEqual(self._acks(), [{"cmd": "NODE_HANDLE_ACK"}])
        peer.settimeout(2)
        self.assertEqual(peer.recv(10), b"")
        peer.close()
        self.inbox.pump()  # nothing there: returns at once
        # A socket pumped while a take waits for it is kept for that take.
        self.inbox.expect(10)
        peer = self._lend(10)
        self.inbox.pump()
        os.close(self.inbox.receive(10))
        peer.close()

    def test_sockets_for_two_waiting_takes_are_both_kept(self):
        # A request's code can run nested inside another's call: both takes wait at once.
        self.inbox.expect(20)
        self.inbox.expect(21)
        first, second = self._lend(20), self._lend(21)
        self.inbox.pump()
        fd21 = self.inbox.receive(21)
        fd20 = self.inbox.receive(20)
        os.write(fd20, b"a")
        os.write(fd21, b"b")
        os.close(fd20)
        os.close(fd21)
        self.assertEqual((first.recv(1), second.recv(1)), (b"a", b"b"))
        first.close()
        second.close()

    def test_a_socket_brings_the_answer_to_its_take_only_when_the_take_waits(self):
        answers = []
        self.inbox.on_answer = lambda ident, value: answers.append((ident, value))
        self.inbox.expect(30)
        peer = self._lend(30, (5, {"chunked": True, "head": "HTTP/1.1 200 OK\r\n\r\n"}))
        self.inbox.pump()
        self.assertEqual(answers, [(5, {"chunked": True, "head": "HTTP/1.1 200 OK\r\n\r\n"})])
        os.close(self.inbox.receive(30))
        # A socket for a take nobody waits for (its deadline struck) answers nothing: closed.
        stale = self._lend(31, (6, {"chunked": False}))
        self.inbox.pump()
        self.assertEqual(len(answers), 1)
        stale.settimeout(2)
        self.assertEqual(stale.recv(10), b"")
        stale.close()
        peer.close()

    def test_abandon_closes_a_kept_socket(self):
        self.inbox.expect(11)
        peer = self._lend(11)
        self.inbox.pump()
        self.inbox.abandon(11)
        peer.settimeout(2)
        self.assertEqual(peer.recv(10), b"")
        peer.close()

    def test_channel_closed_is_an_error(self):
        self.node.close()
        self.inbox.expect(1)
        with self.assertRaises(ConnectionError):
            self.inbox.receive(1)
        self.node = socket.socket()  # for tearDown

    def test_pump_marks_a_closed_channel_so_waits_stop_watching_it(self):
        self.assertFalse(self.inbox.closed)
        self.inbox.pump()
        self.assertFalse(self.inbox.closed, "an open channel with nothing in it")
        self.node.close()
        self.inbox.pump()
        self.assertTrue(self.inbox.closed, "end of stream: select() would report it forever")
        self.node = socket.socket()  # for tearDown


if __name__ == "__main__":
    unittest.main()
