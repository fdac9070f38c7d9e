"""The worker loop (main.Worker) serving frames over a real socketpair, with a recording dispatch."""

import socket
import unittest

from mod_python._worker import frames
from mod_python._worker.channel import Channel
from mod_python._worker.main import Worker
from mod_python._worker.wire_head import HEAD_FIELDS


class RecordingDispatch:
    """The dispatch entry points the loop calls, recording what they are given."""

    def __init__(self):
        self.calls = []
        self.heads = {}

    def begin_request(self, channel, rid, head):
        self.calls.append(("begin", rid))
        self.heads[rid] = head

    def run_phase(self, channel, rid, call):
        self.calls.append(("phase", rid, call["phase"]))
        return {"status": 0}

    def end_request(self, channel, rid):
        self.calls.append(("end", rid))


def _head(tail=(), **fields):
    """request.begin's head as the server sends it: the values in HEAD_FIELDS order, each field
    its own name unless given (so a misplaced one shows), then the optional `tail`."""
    fields.setdefault("server", {})
    fields.setdefault("connection", {"id": 1})
    fields.setdefault("keepalives", 0)
    return [fields.get(name, name) for name in HEAD_FIELDS[:-2]] + list(tail)


def _begin(rid, head=None, **extra):
    msg = {"type": "request.begin", "rid": rid, "deadlineMs": 0, "head": head or _head()}
    msg.update(extra)
    return frames.JSON, 0, msg


class WorkerLoopTest(unittest.TestCase):
    def setUp(self):
        self.server, sock = socket.socketpair()
        self.addCleanup(self.server.close)
        self.addCleanup(sock.close)
        self.channel = Channel(sock)
        self.dispatch = RecordingDispatch()
        self.worker = Worker(self.channel, self.dispatch)

    def _sent(self):
        """The frames the worker sent so far, as (kind, ident, message or payload)."""
        self.channel.flush()
        self.server.setblocking(False)
        data = b""
        try:
            while True:
                data += self.server.recv(65536)
        except BlockingIOError:
            pass
        out = []
        while data:
            length, kind, ident = frames.HEADER.unpack_from(data)
            payload = data[frames.HEADER_SIZE:frames.HEADER_SIZE + length]
            data = data[frames.HEADER_SIZE + length:]
            out.append((kind, ident, frames.decode_json(payload) if kind == frames.JSON else payload))
        return out

    def test_the_first_phase_rides_in_request_begin(self):
        self.worker.serve(_begin(4, call={"phase": "PythonHandler"}))
        self.assertEqual(self.dispatch.calls, [("begin", 4), ("phase", 4, "PythonHandler")])
        self.assertEqual(self._sent(), [(frames.JSON, 0, {"type": "phase.done", "rid": 4, "result": {"status": 0}})])

    def test_the_head_array_becomes_the_dict_begin_request_reads(self):
        self.channel.refs[7] = {"server_hostname": "h"}
        self.channel.refs[8] = {"id": 3, "client_ip": "10.0.0.1"}
        self.worker.serve(_begin(1, _head(server=7, connection=8, keepalives=4)))
        head = self.dispatch.heads[1]
        for name in HEAD_FIELDS[:-5]:  # all but keepalives, connection, server and the tail
            self.assertEqual(head[name], name)
        self.assertEqual(head["server"], {"server_hostname": "h"})
        self.assertEqual(head["connection"], {"id": 3, "client_ip": "10.0.0.1", "keepalives": 4})
        self.assertNotIn("keepalives", head, "the count moved into the connection")
        self.assertNotIn("prev_rid", head)
        self.assertNotIn("main_rid", head)
        self.assertEqual(self.channel.refs[8], {"id": 3, "client_ip": "10.0.0.1"}, "shared: not changed in place")

    def test_the_optional_tail_names_the_previous_and_main_requests(self):
        self.worker.serve(_begin(1, _head(tail=[6])))
        self.worker.serve(_begin(2, _head(tail=[None, 5])))
        self.worker.serve(_begin(3, _head(tail=[None, 5]), parent=4))
        heads = self.dispatch.heads
        self.assertEqual((heads[1]["prev_rid"], heads[1].get("main_rid")), (6, None))
        self.assertEqual((heads[2]["prev_rid"], heads[2]["main_rid"]), (None, 5))
        self.assertEqual((heads[3]["prev_rid"], heads[3]["main_rid"]), (4, 5), "a child's parent is its prev")

    def test_later_phases_come_in_phase_run(self):
        self.worker.serve(_begin(5))
        self.worker.serve((frames.JSON, 0, {"type": "phase.run", "rid": 5, "call": {"phase": "PythonFixupHandler"}}))
        self.assertEqual(self.dispatch.calls, [("begin", 5), ("phase", 5, "PythonFixupHandler")])
        self.assertEqual([m["type"] for _k, _i, m in self._sent()], ["phase.done"])

    def test_a_request_ends_once_and_only_if_begun(self):
        self.worker.serve(_begin(1))
        self.worker.serve((frames.END, 1, b""))
        self.worker.serve((frames.END, 1, b""))  # a second END: nothing left to end
        self.worker.serve((frames.END, 9, b""))  # never begun here
        self.assertEqual(self.dispatch.calls, [("begin", 1), ("end", 1)])
        self.assertEqual(self._sent(), [(frames.END, 1, b"")])
        self.assertNotIn(1, self.channel.begun)

    def test_the_loop_leaves_no_timer_armed(self):
        # A busy worker keeps its flush timer across waits (Deadlines.idle). Left armed when the
        # loop ends, SIGALRM would kill the worker during interpreter shutdown (a crash to the
        # server).
        import signal
        self.addCleanup(signal.setitimer, signal.ITIMER_REAL, 0)
        self.worker.deadlines.flush_soon(10.0)
        self.server.close()  # end of stream: the loop returns
        self.worker.run()
        self.assertEqual(signal.getitimer(signal.ITIMER_REAL)[0], 0.0)
        self.assertFalse(self.channel.flush_scheduled)



class ConnectionObjectsTest(unittest.TestCase):
    def test_a_connection_in_use_is_not_forgotten_before_idle_ones(self):
        from mod_python._worker import connection
        saved = dict(connection._by_id)
        connection._by_id.clear()
        try:
            info = lambda cid: {"id": cid, "client_ip": "127.0.0.1", "client_port": cid}
            kept = connection.connection_for(info(1), None)
            kept.notes["k"] = "v"
            for cid in range(2, 2 + connection._MAX_REMEMBERED):
                connection.connection_for(info(cid), None)
                connection.connection_for(info(1), None)  # connection 1 keeps serving requests
            self.assertIs(connection.connection_for(info(1), None), kept)
            self.assertEqual(kept.notes["k"], "v")
            self.assertNotIn(2, connection._by_id)  # the one idle longest went
        finally:
            connection._by_id.clear()
            connection._by_id.update(saved)


if __name__ == "__main__":
    unittest.main()
