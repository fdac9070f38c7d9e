"""Python input/output filters (spec §3.7, §4.6)."""

import sys
import unittest

from tests import fakes

FILTERS = """
    calls = []
    def upper(filter):
        calls.append('call')
        s = filter.read()
        while s:
            filter.write(s.upper())
            s = filter.read()
        if s is None:
            calls.append('eos')
            filter.write(b'|END')
            filter.close()
    def broken(filter):
        filter.read()
        raise RuntimeError('filter blew up')
    def passon(filter):
        filter.pass_on()
    def swap_in(filter):
        s = filter.read()
        if s is None:
            filter.close()
            return
        filter.write(s.replace(b'a', b'A'))
    def closed_io(filter):
        filter.close()
        try:
            filter.write('x')
        except ValueError as e:
            calls.append(str(e))
"""


class FilterTest(unittest.TestCase):
    def setUp(self):
        self.h = fakes.Harness(body=b"banana split")
        self.f = self.h.module(FILTERS)
        sys.path.insert(0, self.h.dir)

    def tearDown(self):
        self.h.close()

    def spec(self, name, func, is_input=False):
        return {"name": name, "handler": self.f + "::" + func, "directory": self.h.dir, "isInput": is_input}

    def test_output_filter_streams_each_flushed_write_and_sees_eos(self):
        handler = self.h.module("""
            def handler(req):
                req.write('one ')
                req.write('two ', 0)
                req.write('three')
                return 0
        """)
        self.h.begin()
        self.h.run("PythonHandler", [handler], sync={
            "python_filters": [self.spec("UP", "upper")], "output_filters": ["UP", "DEFLATE"]})
        self.assertEqual([c for _, c in self.h.ch.data], [b"ONE ", b"TWO THREE", b"|END"])
        self.assertEqual(sys.modules[self.f].calls, ["call", "call", "call", "eos"])

    def test_unflushed_output_through_a_filter_still_gets_a_length(self):
        handler = self.h.module("def handler(req):\n    req.write('abc', 0)\n    return 0\n")
        self.h.begin()
        self.h.run("PythonHandler", [handler], sync={
            "python_filters": [self.spec("UP", "upper")], "output_filters": ["UP"]})
        self.assertEqual(self.h.ch.body_bytes(), b"ABC|END")
        self.assertEqual(self.h.ch.heads()[0]["content_length"], 7)

    def test_filter_output_runs_over_node_data(self):
        self.h.begin()
        self.h.req()._apply_sync({"python_filters": [self.spec("UP", "upper")]})
        self.assertEqual(self.h.dispatch.filter_output(self.h.ch, self.h.rid, "UP", b"static "), [b"STATIC "])
        self.assertEqual(self.h.dispatch.filter_output(self.h.ch, self.h.rid, "UP", None), [b"|END"])
        self.assertEqual(self.h.dispatch.filter_output(self.h.ch, self.h.rid, "UP", b"after close"), [])

    def test_failing_filter_is_disabled_and_reported(self):
        self.h.begin()
        self.h.req()._apply_sync({"python_filters": [self.spec("BAD", "broken")]})
        out = self.h.dispatch.filter_output(self.h.ch, self.h.rid, "BAD", b"data")
        self.assertEqual(out, [])
        self.assertIn("filter blew up", self.h.ch.log_text())
        self.assertIn("bad %s::broken: " % self.f, self.h.ch.log_text())  # Apache lower-cases filter names
        self.assertEqual(self.h.dispatch.filter_output(self.h.ch, self.h.rid, "BAD", b"more"), [b"more"])

    def test_failing_filter_with_debug_writes_the_error_into_the_stream(self):
        self.h.begin()
        self.h.req()._apply_sync({"python_filters": [self.spec("BAD", "broken")],
                                  "config": {"PythonDebug": "1"}})
        out = b"".join(self.h.dispatch.filter_output(self.h.ch, self.h.rid, "BAD", b"data"))
        self.assertIn(b"Mod_python error", out)

    def test_pass_on(self):
        self.h.begin()
        self.h.req()._apply_sync({"python_filters": [self.spec("P", "passon")]})
        self.assertEqual(self.h.dispatch.filter_output(self.h.ch, self.h.rid, "P", b"same"), [b"same"])

    def test_closed_filter_refuses_io(self):
        self.h.begin()
        self.h.req()._apply_sync({"python_filters": [self.spec("C", "closed_io")]})
        self.h.dispatch.filter_output(self.h.ch, self.h.rid, "C", b"x")
        self.assertIn("I/O operation on closed filter", sys.modules[self.f].calls)

    def test_input_filter_transforms_the_body(self):
        self.h.begin(method="POST", clength=12)
        req = self.h.req()
        req._apply_sync({"python_filters": [self.spec("IN", "swap_in", is_input=True)],
                         "input_filters": ["IN"]})
        self.assertEqual(req.read(), b"bAnAnA split")

    def test_per_request_registration(self):
        handler = self.h.module("""
            def handler(req):
                req.register_output_filter('MINE', '%s::upper')
                req.add_output_filter('MINE')
                req.write('x')
                return 0
        """ % self.f)
        self.h.begin()
        r = self.h.run("PythonHandler", [handler])
        self.assertEqual(self.h.ch.body_bytes(), b"X|END")
        # Changed before the write: the changes went to the server with the response head.
        sync = self.h.ch.heads()[0]["sync"]
        self.assertEqual(sync["output_filters"], ["MINE"])
        self.assertEqual(sync["python_filters"][0]["name"], "MINE")
        self.assertNotIn("output_filters", r["sync"])
        # Seen from the filter, it is mod_python's generic filter, as upstream reports it.
        self.assertEqual(self.h.req()._filters._filter("MINE").name, "mod_python")


if __name__ == "__main__":
    unittest.main()
