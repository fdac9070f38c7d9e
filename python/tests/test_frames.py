"""The worker's frame codec and channel over a real socketpair (no server process)."""

import os
import re
import signal
import socket
import threading
import time
import unittest

from mod_python._worker import channel as channel_mod, frames
from mod_python._worker.channel import FLUSH_DELAY, Channel, ServerCallError
from mod_python._worker.main import Deadlines


class FramesTest(unittest.TestCase):
    def setUp(self):
        self.a, self.b = socket.socketpair()
        self.addCleanup(self.a.close)
        self.addCleanup(self.b.close)

    def test_round_trip_of_control_and_data_frames(self):
        w = frames.FrameWriter(self.a)
        w.add_json({"type": "phase.done", "rid": 3, "result": {"status": 0, "note": "Zo\u00eb"}})
        w.add_data(frames.BODY, 3, b"hello")
        w.add_data(frames.FILTER, 4, b"")
        w.add_end(3)
        w.flush()
        r = frames.FrameReader(self.b)
        kind, ident, payload = r.read()
        self.assertEqual((kind, ident), (frames.JSON, 0))
        self.assertEqual(frames.decode_json(payload)["result"]["note"], "Zo\u00eb")
        self.assertEqual(r.read(), (frames.BODY, 3, b"hello"))
        self.assertEqual(r.read(), (frames.FILTER, 4, b""))
        self.assertEqual(r.read(), (frames.END, 3, b""))

    def test_buffered_frames_above_and_below_the_small_frame_size_come_out_intact(self):
        big = bytes(range(256)) * 40  # 10240 bytes: taken through a memoryview
        w = frames.FrameWriter(self.a)
        w.add_data(frames.BODY, 1, big)
        w.add_data(frames.BODY, 2, b"tail")
        w.add_data(frames.BODY, 3, big[:frames.FrameReader.SMALL_FRAME])
        w.flush()
        r = frames.FrameReader(self.b)
        self.assertEqual(r.read(), (frames.BODY, 1, big))
        self.assertEqual(r.read(), (frames.BODY, 2, b"tail"))
        self.assertEqual(r.read(), (frames.BODY, 3, big[:frames.FrameReader.SMALL_FRAME]))

    def test_a_stream_of_mixed_sizes_crossing_the_buffer_edge_arrives_intact(self):
        sizes = [70000, 9, 120000, 1, 131072, 131073, 5000, 0, 250000, 65536] * 3
        frames_out = [(i + 1, bytes([i % 251]) * n) for i, n in enumerate(sizes)]

        def send():
            w = frames.FrameWriter(self.a)
            for ident, payload in frames_out:
                w.add_data(frames.BODY, ident, payload)
                w.flush()  # one by one: the reader sees every split the kernel makes

        t = threading.Thread(target=send)
        t.start()
        r = frames.FrameReader(self.b)
        got = [r.read() for _ in frames_out]
        t.join()
        self.assertEqual(got, [(frames.BODY, ident, payload) for ident, payload in frames_out])

    def test_header_layout_matches_the_server(self):
        self.assertEqual(frames.data_header(frames.BODY, 0x01020304, 258), bytes([0, 0, 1, 2, 1, 1, 2, 3, 4]))

    def test_a_large_frame_arrives_whole_while_the_writer_blocks(self):
        payload = bytes(range(256)) * 20000  # 5 MB: more than the socket buffer

        def send():
            w = frames.FrameWriter(self.a)
            w.add_data(frames.BODY, 1, payload)
            w.add_json({"type": "after"})
            w.flush()

        t = threading.Thread(target=send)
        t.start()
        r = frames.FrameReader(self.b)
        kind, ident, got = r.read()
        t.join()
        self.assertEqual((kind, ident, len(got)), (frames.BODY, 1, len(payload)))
        self.assertEqual(got, payload)
        self.assertEqual(frames.decode_json(r.read()[2])["type"], "after")

    def test_a_flush_that_the_socket_takes_in_pieces_sends_every_byte_once(self):
        class Trickle:
            """Takes at most 1000 bytes per sendmsg, as a full stream socket may."""

            def __init__(self):
                self.got = bytearray()
                self.calls = 0

            def sendmsg(self, buffers):
                self.calls += 1
                room = 1000
                for buf in buffers:
                    take = bytes(buf[:room])
                    self.got += take
                    room -= len(take)
                    if not room:
                        break
                return 1000 - room

        sock = Trickle()
        w = frames.FrameWriter(sock)
        expected = bytearray()
        # More parts than one sendmsg takes, and more bytes than are joined into one piece.
        for ident in range(1, frames.FrameWriter.IOV_MAX + 100):
            payload = bytes([ident % 256]) * 40
            w.add_data(frames.BODY, ident, payload)
            expected += frames.data_header(frames.BODY, ident, 40) + payload
        self.assertGreater(len(expected), frames.FrameWriter.JOIN_MAX)
        w.add_end(3)
        expected += frames.HEADER.pack(0, frames.END, 3)
        w.flush()
        self.assertEqual(bytes(sock.got), bytes(expected))
        self.assertEqual(sock.calls, -(-len(expected) // 1000), "no sendmsg after the last byte went")
        self.assertEqual(w.pending_bytes, 0)

    def test_a_small_flush_leaves_as_one_piece(self):
        class Recorder:
            def __init__(self):
                self.sent = []

            def sendall(self, data):
                self.sent.append(bytes(data))

        sock = Recorder()
        w = frames.FrameWriter(sock)
        w.add_json({"type": "a"})
        w.add_data(frames.BODY, 1, b"body")
        w.add_end(1)
        w.flush()
        self.assertEqual(sock.sent, [frames.encode_json({"type": "a"}) + frames.data_header(frames.BODY, 1, 4)
                                     + b"body" + frames.HEADER.pack(0, frames.END, 1)])

    def test_a_frame_that_came_with_the_last_recv_is_read_without_another(self):
        r = frames.FrameReader(self.b)
        self.assertIsNone(r.read_buffered())
        self.a.sendall(frames.encode_json({"type": "a"}) + frames.encode_json({"type": "b"}))
        r.read()
        self.assertEqual(r.read_buffered(), (frames.JSON, 0, b'{"type":"b"}'))
        self.assertIsNone(r.read_buffered())

    def test_end_of_stream(self):
        self.a.close()
        self.assertIsNone(frames.FrameReader(self.b).read())

    def test_poll_until_waits_without_blocking_and_keeps_what_came(self):
        r = frames.FrameReader(self.b)
        t0 = time.monotonic()
        r.poll_until(t0 + 0.02)
        self.assertGreaterEqual(time.monotonic() - t0, 0.02, "nothing came: it polls until the time")
        self.assertEqual(r.buffered(), 0)
        w = frames.FrameWriter(self.a)
        w.add_end(7)
        threading.Timer(0.05, w.flush).start()
        t0 = time.monotonic()
        r.poll_until(t0 + 5)
        self.assertLess(time.monotonic() - t0, 4, "a frame that comes ends the poll")
        self.assertEqual(r.buffered(), 9, "what came stays buffered")
        self.assertEqual(r.read(), (frames.END, 7, b""))

    def test_poll_until_leaves_a_partly_buffered_frame_and_the_end_of_stream_to_read(self):
        r = frames.FrameReader(self.b)
        self.a.sendall(frames.HEADER.pack(3, frames.BODY, 1) + b"x")
        r.poll_until(time.monotonic() + 5)
        t0 = time.monotonic()
        r.poll_until(t0 + 5)
        self.assertLess(time.monotonic() - t0, 1, "bytes already buffered: no poll")
        self.a.sendall(b"yz")
        self.assertEqual(r.read(), (frames.BODY, 1, b"xyz"))
        self.a.close()
        t0 = time.monotonic()
        r.poll_until(t0 + 5)
        self.assertLess(time.monotonic() - t0, 1, "the end of the stream ends the poll")
        self.assertIsNone(r.read())

    def test_bad_input_is_a_frame_error(self):
        self.a.sendall(frames.HEADER.pack(1, 7, 0) + b"x")
        with self.assertRaises(frames.FrameError):
            frames.FrameReader(self.b).read()
        a, b = socket.socketpair()
        a.sendall(frames.HEADER.pack(frames.MAX_FRAME + 1, frames.BODY, 0))
        with self.assertRaises(frames.FrameError):
            frames.FrameReader(b).read()
        a.close()
        b.close()
        a, b = socket.socketpair()
        a.sendall(frames.HEADER.pack(10, frames.BODY, 0) + b"abc")
        a.close()
        with self.assertRaises(frames.FrameError):
            frames.FrameReader(b).read()
        b.close()


    def test_control_payloads_that_are_not_one_json_object_are_frame_errors(self):
        for payload in (b"", b"{", b'{"type":"x"} junk', b'{"type":"x"}{}', b"[1]", b'{"a":1}', b"\xff", b" {}"):
            with self.subTest(payload=payload), self.assertRaises(frames.FrameError):
                frames.decode_json(payload)
        self.assertEqual(frames.decode_json(b'{"type":"t","v":[1,"\\u00e9"]}'), {"type": "t", "v": [1, "\u00e9"]})

    def test_encoded_messages_are_compact_ascii_json(self):
        frame = frames.encode_json({"type": "t", "text": "caf\u00e9 \ud800", "n": [1, None, True]})
        self.assertEqual(frame[frames.HEADER_SIZE:], b'{"type":"t","text":"caf\\u00e9 \\ud800","n":[1,null,true]}')
        with self.assertRaises(TypeError):
            frames.encode_json({"type": "t", "bad": object()})

    def test_read_buffered_takes_only_whole_buffered_frames(self):
        r = frames.FrameReader(self.b)
        self.assertIsNone(r.read_buffered(), "nothing received yet")
        whole = frames.encode_json({"type": "a"})
        self.a.sendall(whole + frames.data_header(frames.BODY, 2, 10) + b"12345")
        self.assertEqual(r.read()[2], b'{"type":"a"}')  # read() receives the burst
        self.assertIsNone(r.read_buffered(), "half a frame is left for read()")
        self.a.sendall(b"67890" + frames.HEADER.pack(0, frames.END, 3))
        self.assertEqual(r.read(), (frames.BODY, 2, b"1234567890"))
        self.assertEqual(r.read_buffered(), (frames.END, 3, b""))
        self.assertEqual(r.buffered(), 0)
        self.a.sendall(frames.HEADER.pack(0, frames.END, 1) + frames.HEADER.pack(1, 7, 0) + b"x")
        r.read()
        with self.assertRaises(frames.FrameError):
            r.read_buffered()  # an unknown kind is refused here too


class FixedMessageTextTest(unittest.TestCase):
    """phase.done and response.head are built from fixed text: the same JSON as the general
    encoder makes, for every shape of value (the odd ones take the general encoder)."""

    def _same(self, text, message):
        self.assertEqual(text, frames._encode_text(message))
        self.assertEqual(frames.decode_json(text.encode("ascii"))["type"], message["type"])

    def test_phase_done(self):
        for rid, result in [
            (1, {"status": 0, "sync": {}}),
            (2**40, {"status": -1, "sync": {"content_type": "t\u00e9xt/\"x\"", "notes": [["a", "b"]]}}),
            (3, {"status": 500, "sync": {}, "addedHandlers": {"PythonLogHandler": [{"handler": "h"}]}}),
            (4, {"status": True, "sync": {}}),
            (5, {"status": 0, "sync": None}),
            (6, {"status": 0, "other": {}}),
            (7, {"status": 0}),
            (True, {"status": 0, "sync": {}}),
        ]:
            with self.subTest(rid=rid, result=result):
                self._same(frames.phase_done_text(rid, result),
                           {"type": "phase.done", "rid": rid, "result": result})

    def test_response_head(self):
        base = {"status": 200, "status_line": None, "content_type": "text/plain",
                "headers_out": [], "err_headers_out": [], "content_length": None}
        variants = [
            {},
            {"status_line": "404 Not F\u00f6und", "content_type": None, "content_length": 12},
            {"headers_out": [["Set-Cookie", "a=\"1\""], ["X-\u2603", "\ud800"]],
             "err_headers_out": [["WWW-Authenticate", "Basic realm=\"r\""]]},
            {"status": True}, {"status": 200.0}, {"content_length": False},
            {"headers_out": ()}, {"content_type": b"bytes?"},
            # The phase's other changes before the head left: a seventh key, last.
            {"sync": {"subprocess_env": [["V", "1"]], "notes": [["n", "\u00e9"]]}},
            {"sync": {"subprocess_env_packed": ["A\nB", "1\n2"]}, "content_length": 3},
            {"sync": {}}, {"sync": None}, {"sync": [["not", "a dict"]]},
        ]
        for over in variants:
            head = dict(base, **over)
            with self.subTest(head=head):
                message = {"type": "response.head", "rid": 9, "head": head}
                if over.get("content_type") == b"bytes?":
                    with self.assertRaises(TypeError):
                        frames.response_head_text(9, head)
                    continue
                self._same(frames.response_head_text(9, head), message)
        # Another set of six keys is written as it is, not as the six it lacks.
        odd = {"status": 200, "status_line": None, "content_type": "x", "headers_out": [],
               "err_headers_out": [], "extra": 1}
        self._same(frames.response_head_text(9, odd), {"type": "response.head", "rid": 9, "head": odd})
        seventh = dict(base, extra=1)
        self._same(frames.response_head_text(9, seventh), {"type": "response.head", "rid": 9, "head": seventh})
        self._same(frames.response_head_text(9, {"status": 200}),
                   {"type": "response.head", "rid": 9, "head": {"status": 200}})


class ChannelTest(unittest.TestCase):
    """The server side is played by a thread answering on the other end of a socketpair."""

    def setUp(self):
        self.server, self.worker = socket.socketpair()
        self.addCleanup(self.server.close)
        self.addCleanup(self.worker.close)
        self.channel = Channel(self.worker)
        self.served = []
        self.channel.serve_frame = self.served.append

    def _server(self, respond):
        def run():
            reader = frames.FrameReader(self.server)
            writer = frames.FrameWriter(self.server)
            while True:
                raw = reader.read()
                if raw is None:
                    return
                kind, ident, payload = raw
                if respond(kind, ident, frames.decode_json(payload) if kind == frames.JSON else payload, writer):
                    writer.flush()
                    return
                writer.flush()

        t = threading.Thread(target=run, daemon=True)
        t.start()
        return t

    def test_call_returns_the_value_and_queues_frames_of_requests_not_begun(self):
        def respond(kind, ident, msg, w):
            if msg["type"] == "call":
                w.add_json({"type": "request.begin", "rid": 9, "head": {}})  # a new request: kept for later
                w.add_json({"type": "call.result", "id": msg["id"], "ok": True, "value": {"n": msg["args"]["n"] + 1}})
                return True

        self.channel.begin(1)
        t = self._server(respond)
        self.assertEqual(self.channel.call(1, "inc", {"n": 1}), {"n": 2})
        t.join()
        self.assertEqual(self.served, [], "nothing was served during the call")
        self.assertEqual(self.channel.next_frame()[2]["type"], "request.begin", "the queued frame comes next")

    def _call_amid(self, sent, method="anything", error=None):
        """Calls `method` for request 1 while the server sends `sent` before its answer (a dict
        is a JSON message, a tuple a data frame); the answer is None, or `error`."""
        def respond(kind, ident, msg, w):
            if msg["type"] != "call":
                return False
            for frame in sent:
                if isinstance(frame, dict):
                    w.add_json(frame)
                else:
                    w.add_data(*frame)
            if error is None:
                w.add_json({"type": "call.result", "id": msg["id"], "ok": True, "value": None})
            else:
                w.add_json({"type": "call.result", "id": msg["id"], "ok": False, "error": error})
            return True

        self.channel.begin(1)
        t = self._server(respond)
        try:
            return self.channel.call(1, method, {})
        finally:
            t.join()

    def test_the_body_of_a_request_queued_during_a_call_reaches_it(self):
        # Request 2 (with a small body) arrives while request 1 waits in a call: its begin, body
        # and body end are queued; after request 1, the main loop begins request 2 and the
        # queued body must be its body (regression: it was handed to the main loop and lost).
        self._call_amid([
            {"type": "request.begin", "rid": 2, "head": {}},
            (frames.BODY, 2, b"posted=1"),
            {"type": "body.end", "rid": 2},
            {"type": "phase.run", "rid": 2, "call": {}},
        ])
        self.channel.end(1)
        begin = self.channel.next_frame()
        self.assertEqual(begin[2]["type"], "request.begin")
        self.channel.begin(2)
        self.assertEqual(self.channel.next_frame()[2]["type"], "phase.run", "body frames were absorbed")
        self.assertEqual(self.channel.read_body(2, -1), b"posted=1")
        self.assertIsNone(self.channel.read_body(2, -1))

    def test_call_serves_a_child_request_while_it_waits(self):
        with self.assertRaises(ServerCallError) as ctx:
            self._call_amid([{"type": "request.begin", "rid": 2, "head": {}, "parent": 1}],
                            "internal_redirect", error="no such thing")
        self.assertEqual(str(ctx.exception), "no such thing")
        self.assertEqual([f[2]["type"] for f in self.served], ["request.begin"], "the child was served nested")

    def test_definitions_are_taken_at_once_even_while_a_call_waits(self):
        # A child request may name a value defined just before it, while its parent waits in a
        # call: the definition must not wait in the backlog behind the parent.
        seen_refs = []
        self.channel.serve_frame = lambda frame: seen_refs.append(dict(self.channel.refs))

        self._call_amid([
            {"type": "ref.define", "ref": 7, "value": [{"handler": "h"}]},
            {"type": "request.begin", "rid": 2, "head": {}, "parent": 1},
        ], "internal_redirect")
        self.assertEqual(seen_refs, [{7: [{"handler": "h"}]}], "the child saw the definition")

    def test_the_worker_keeps_twice_the_servers_reference_capacity(self):
        for ref in range(1, channel_mod.REFS_KEPT + 3):
            self.channel._absorb((frames.JSON, 0, {"type": "ref.define", "ref": ref, "value": ref}))
        self.assertEqual(len(self.channel.refs), channel_mod.REFS_KEPT)
        self.assertNotIn(2, self.channel.refs, "the oldest went first")
        self.assertIn(3, self.channel.refs)
        # Twice what the server names (REF_CAPACITY in src/workers/ref-table.ts), read from there.
        source = os.path.join(os.path.dirname(__file__), "..", "..", "src", "workers", "ref-table.ts")
        with open(source) as f:
            capacity = int(re.search(r"export const REF_CAPACITY = (\d+);", f.read()).group(1))
        self.assertEqual(channel_mod.REFS_KEPT, 2 * capacity)

    def test_read_body_pulls_in_big_chunks_and_ends_with_none(self):
        asked = []

        def respond(kind, ident, msg, w):
            if msg["type"] == "body.read":
                asked.append(msg["max"])
                if len(asked) == 1:
                    w.add_data(frames.BODY, 5, b"abcdef")
                else:
                    w.add_json({"type": "body.end", "rid": 5})
                    return True

        self.channel.begin(5)
        t = self._server(respond)
        self.assertEqual(self.channel.read_body(5, 4), b"abcd")
        self.assertEqual(self.channel.read_body(5, 4), b"ef")
        self.assertIsNone(self.channel.read_body(5, 4))
        t.join()
        self.assertGreaterEqual(asked[0], 1024 * 1024, "pulled in a big chunk, not 4 bytes")

    def test_send_rejects_unknown_kinds(self):
        with self.assertRaises(ValueError):
            self.channel.send("bogus", 1, {})


class DeferredFlushTest(unittest.TestCase):
    """Output flushed by request code leaves with the end of the batch, or from the timer."""

    def setUp(self):
        self.server, self.worker = socket.socketpair()
        self.addCleanup(self.server.close)
        self.addCleanup(self.worker.close)
        self.server.setblocking(False)
        self.channel = Channel(self.worker)
        self.scheduled = []
        self.channel.schedule_flush = self.scheduled.append

    def _received(self) -> bytes:
        try:
            return self.server.recv(65536)
        except BlockingIOError:
            return b""

    def test_a_flush_in_request_code_is_deferred_and_sent_when_due(self):
        self.channel.begin(1)
        self.channel.current.append(1)
        self.channel.send_data(1, b"hello")
        self.channel.flush()
        self.assertEqual(self._received(), b"", "held back while the code runs")
        self.assertEqual(self.scheduled, [FLUSH_DELAY])
        self.channel.flush_due()
        self.assertEqual(self._received(), frames.data_header(frames.BODY, 1, 5) + b"hello")

    def test_a_log_line_from_running_request_code_is_sent_when_due(self):
        # A slow handler's log lines must reach the error log while it runs, not with its end.
        self.channel.begin(1)
        self.channel.current.append(1)
        self.channel.log(3, "still working", rid=1)
        self.assertEqual(self.scheduled, [FLUSH_DELAY], "a flush is due within FLUSH_DELAY")
        self.channel.flush_due()
        self.assertIn(b"still working", self._received())

    def test_outside_request_code_a_flush_sends_at_once(self):
        self.channel.send_json({"type": "worker.initialized"})
        self.channel.flush()
        self.assertIn(b"worker.initialized", self._received())
        self.assertEqual(self.scheduled, [])

    def test_a_due_flush_inside_an_io_section_waits_for_its_end(self):
        self.channel.begin(1)
        self.channel.send_data(1, b"x")
        self.channel._enter()
        self.channel.flush_due()
        self.assertEqual(self._received(), b"", "never in the middle of frame I/O")
        self.channel._leave()
        self.assertEqual(self._received(), frames.data_header(frames.BODY, 1, 1) + b"x")

    def test_the_real_timer_sends_output_of_code_that_keeps_running(self):
        deadlines = Deadlines(self.channel)
        self.channel.schedule_flush = deadlines.flush_soon
        old = signal.signal(signal.SIGALRM, deadlines.on_alarm)
        self.addCleanup(signal.signal, signal.SIGALRM, old)
        self.addCleanup(signal.setitimer, signal.ITIMER_REAL, 0)
        self.channel.begin(1)
        self.channel.current.append(1)
        deadlines.start(1, 60_000)
        deadlines.enter(1)
        self.channel.send_data(1, b"progress")
        self.channel.flush()
        time.sleep(0.05)  # a handler busy after its write: the output must not wait for it
        self.assertEqual(self._received(), frames.data_header(frames.BODY, 1, 8) + b"progress")
        self.channel.current.pop()
        self.assertGreater(signal.getitimer(signal.ITIMER_REAL)[0], 50, "back on the request deadline")

    def test_a_flush_already_scheduled_is_not_asked_for_again_until_the_timer_is_gone(self):
        deadlines = Deadlines(self.channel)
        asked = []
        self.channel.schedule_flush = lambda seconds: (asked.append(seconds), deadlines.flush_soon(seconds))
        self.addCleanup(signal.setitimer, signal.ITIMER_REAL, 0)
        self.channel.begin(1)
        self.channel.current.append(1)
        self.channel.send_data(1, b"a")
        self.channel.flush()
        self.channel.send_data(1, b"b")
        self.channel.flush()
        self.channel.defer_flush()
        self.assertEqual(asked, [FLUSH_DELAY], "one timer covers every flush asked for until it fires")
        self.assertTrue(self.channel.flush_scheduled)
        deadlines.idle()
        self.assertTrue(self.channel.flush_scheduled, "code still runs: the timer stays")
        self.channel.current.pop()
        self.channel.flush()  # outside request code: sent at once
        deadlines.idle()
        self.assertFalse(self.channel.flush_scheduled)
        self.assertEqual(signal.getitimer(signal.ITIMER_REAL)[0], 0.0)
        self.channel.current.append(1)
        self.channel.send_data(1, b"c")
        self.channel.flush()
        self.assertEqual(asked, [FLUSH_DELAY, FLUSH_DELAY], "asked again once the timer was disarmed")
        deadlines.on_alarm(signal.SIGALRM, None)  # as if it fired
        self.assertFalse(self.channel.flush_scheduled)
        self.assertEqual(self._received(), b"".join(
            frames.data_header(frames.BODY, 1, 1) + c for c in (b"a", b"b", b"c")))

    def test_a_busy_worker_keeps_its_flush_timer_for_the_next_batch(self):
        deadlines = Deadlines(self.channel)
        self.addCleanup(signal.setitimer, signal.ITIMER_REAL, 0)
        deadlines.flush_soon(10.0)  # long, so it cannot fire during the test
        self.channel.last_wait = 0.0005  # the last batch came soon after the worker waited
        deadlines.idle()
        self.assertGreater(signal.getitimer(signal.ITIMER_REAL)[0], 5, "kept: the next batch uses it")
        self.assertTrue(self.channel.flush_scheduled)
        self.channel.last_wait = 30.0  # a wait longer than what is left of the timer
        deadlines.idle()
        self.assertEqual(signal.getitimer(signal.ITIMER_REAL)[0], 0.0)
        self.assertFalse(self.channel.flush_scheduled)

    def test_idle_disarms_a_flush_timer_and_the_next_request_to_run_arms_its_deadline(self):
        deadlines = Deadlines(self.channel)
        self.addCleanup(signal.setitimer, signal.ITIMER_REAL, 0)
        deadlines.flush_soon(10.0)  # long, so it cannot fire during the test
        deadlines.idle()
        self.assertEqual(signal.getitimer(signal.ITIMER_REAL)[0], 0.0, "no deadline: disarmed")
        deadlines.start(7, 30_000)
        deadlines.flush_soon(10.0)
        deadlines.idle()
        self.assertEqual(signal.getitimer(signal.ITIMER_REAL)[0], 0.0, "nothing runs: no alarm to wake for")
        deadlines.enter(7)
        self.assertGreater(signal.getitimer(signal.ITIMER_REAL)[0], 20, "request 7 runs: its deadline is armed")


if __name__ == "__main__":
    unittest.main()
