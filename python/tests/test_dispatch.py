"""HandlerDispatch through the real dispatch entry points (spec §2.3, §3.4, §3.5)."""

import sys
import unittest

from tests import fakes

from mod_python import apache

OK, DECLINED, DONE = 0, -1, -2

# The continue rules of §3.4: phase → results after which the next stacked handler runs.
CONTINUE_ON = {
    "PythonPostReadRequestHandler": {OK, DECLINED},
    "PythonTransHandler": {DECLINED},
    "PythonHeaderParserHandler": {OK, DECLINED},
    "PythonInitHandler": {OK, DECLINED},
    "PythonAccessHandler": {OK, DECLINED},
    "PythonAuthenHandler": {DECLINED},
    "PythonAuthzHandler": {DECLINED},
    "PythonTypeHandler": {DECLINED},
    "PythonFixupHandler": {OK, DECLINED},
    "PythonHandler": {OK},
    "PythonLogHandler": {OK, DECLINED},
    "PythonCleanupHandler": {OK},
}

STACK_SOURCE = """
    from mod_python import apache
    ran = []
    def declined(req):
        ran.append('declined'); return apache.DECLINED
    def ok(req):
        ran.append('ok'); req.user = 'u'; return apache.OK
    def done(req):
        ran.append('done'); return apache.DONE
    def forbidden(req):
        ran.append('forbidden'); return apache.HTTP_FORBIDDEN
    def last(req):
        ran.append('last'); req.user = 'u'; return apache.OK
"""


class StackingRulesTest(unittest.TestCase):
    def setUp(self):
        self.h = fakes.Harness()
        self.mod = self.h.module(STACK_SOURCE)

    def tearDown(self):
        self.h.close()

    def test_each_phase_continues_only_on_its_results(self):
        for phase, cont in CONTINUE_ON.items():
            for first, code in (("declined", DECLINED), ("ok", OK), ("done", DONE),
                                ("forbidden", 403)):
                with self.subTest(phase=phase, first=first):
                    self.h.begin()
                    result = self.h.run(phase, [self.mod + "::" + first, self.mod + "::last"])
                    ran = sys.modules[self.mod].ran
                    if code in cont:
                        self.assertEqual(ran, [first, "last"])
                        self.assertEqual(result["status"], OK)
                    else:
                        self.assertEqual(ran, [first])
                        self.assertEqual(result["status"], code)
                    ran.clear()
                    self.h.end()

    def test_default_object_is_the_phase_name_lowercased(self):
        mod = self.h.module("""
            def fixuphandler(req): req.notes['f'] = '1'; return 0
            def handler(req): return 0
        """)
        self.h.begin()
        self.assertEqual(self.h.run("PythonFixupHandler", [mod])["sync"]["notes"], [["f", "1"]])


class ResultFormsTest(unittest.TestCase):
    def setUp(self):
        self.h = fakes.Harness()
        self.mod = self.h.module("""
            from mod_python import apache
            ran = []
            def one(req): raise apache.SERVER_RETURN(apache.HTTP_NOT_FOUND)
            def two(req): raise apache.SERVER_RETURN(apache.DONE, apache.HTTP_ACCEPTED)
            def zero_status(req): raise apache.SERVER_RETURN(apache.OK, 0)
            def tup(req): raise apache.SERVER_RETURN((apache.OK, 201))
            def ok_raised(req): raise apache.SERVER_RETURN(apache.OK)
            def second(req): ran.append('second'); return apache.OK
            def boolean(req): return True
            def none(req): return None
        """)
        self.h.begin()

    def tearDown(self):
        self.h.close()

    def run_one(self, *names):
        return self.h.run("PythonHandler", [self.mod + "::" + n for n in names])

    def test_one_argument_is_the_result(self):
        self.assertEqual(self.run_one("one")["status"], 404)

    def test_two_arguments_set_req_status(self):
        r = self.run_one("two")
        self.assertEqual(r["status"], DONE)
        self.assertEqual(r["sync"]["status"], 202)

    def test_falsy_status_is_ignored(self):
        r = self.run_one("zero_status")
        self.assertEqual(r["status"], OK)
        self.assertNotIn("status", r["sync"])

    def test_raised_ok_still_runs_the_next_content_handler(self):
        self.assertEqual(self.run_one("ok_raised", "second")["status"], OK)
        self.assertEqual(sys.modules[self.mod].ran, ["second"])

    def test_non_int_results_are_errors(self):
        for name in ("tup", "boolean", "none"):
            with self.subTest(name=name):
                self.assertEqual(self.run_one(name)["status"], 500)
        self.assertIn("AssertionError", self.h.ch.log_text())


class ErrorReportTest(unittest.TestCase):
    def setUp(self):
        self.h = fakes.Harness()
        self.mod = self.h.module("""
            def handler(req):
                raise ValueError('bad <thing> & more')
            def late(req):
                req.write('partial')
                raise ValueError('late failure')
        """)

    def tearDown(self):
        self.h.close()

    def test_debug_off_logs_each_traceback_line_and_answers_500(self):
        self.h.begin()
        r = self.h.run("PythonHandler", [self.mod])
        self.assertEqual(r["status"], 500)
        self.assertEqual(self.h.ch.heads(), [])
        lines = [m for _, m, _ in self.h.ch.logs]
        self.assertTrue(all(m.startswith("PythonHandler %s: " % self.mod) for m in lines))
        self.assertTrue(lines[0].endswith("Traceback (most recent call last):"))
        self.assertTrue(lines[-1].endswith("ValueError: bad <thing> & more"))
        self.assertTrue(all(level == apache.APLOG_ERR for level, _, _ in self.h.ch.logs))

    def test_debug_on_sends_the_escaped_traceback_page_and_answers_done(self):
        self.h.begin()
        r = self.h.run("PythonHandler", [self.mod], sync={"config": {"PythonDebug": "1"}})
        self.assertEqual(r["status"], DONE)
        head = self.h.ch.heads()[0]
        self.assertEqual((head["status"], head["content_type"]), (500, "text/html"))
        body = self.h.ch.body_bytes().decode()
        self.assertIn('Mod_python error: "PythonHandler %s"' % self.mod, body)
        self.assertIn("bad &lt;thing&gt; &amp; more", body)

    def test_debug_on_after_output_appends_the_traceback(self):
        self.h.begin()
        r = self.h.run("PythonHandler", [self.mod + "::late"], sync={"config": {"PythonDebug": "1"}})
        self.assertEqual(r["status"], DONE)
        self.assertEqual(self.h.ch.heads()[0]["status"], 200)
        body = self.h.ch.body_bytes().decode()
        self.assertTrue(body.startswith("partial"))
        self.assertIn("late failure", body)

    def test_missing_module_and_missing_object_are_errors(self):
        self.h.begin()
        self.assertEqual(self.h.run("PythonHandler", ["no_such_module_xyz"])["status"], 500)
        self.assertIn("ModuleNotFoundError", self.h.ch.log_text())
        self.assertEqual(self.h.run("PythonHandler", [self.mod + "::nope"])["status"], 500)
        self.assertIn("contains no 'nope'", self.h.ch.log_text())


class HandlerListTest(unittest.TestCase):
    def setUp(self):
        self.h = fakes.Harness()

    def tearDown(self):
        self.h.close()

    def test_add_handler_for_the_running_phase_is_appended(self):
        mod = self.h.module("""
            ran = []
            def first(req):
                ran.append('first')
                req.add_handler('PythonHandler', __name__ + '::added')
                req.add_handler('PythonLogHandler', __name__ + '::logger', '/tmp/x')
                return 0
            def added(req): ran.append('added'); return 0
        """)
        self.h.begin()
        r = self.h.run("PythonHandler", [mod + "::first"])
        self.assertEqual(sys.modules[mod].ran, ["first", "added"])
        self.assertEqual(r["addedHandlers"], {"PythonLogHandler": [
            {"handler": mod + "::logger", "directory": "/tmp/x/", "isLocation": False,
             "silent": False}]})

    def test_add_handler_rejects_unknown_phases(self):
        self.h.begin()
        req = self.h.req()
        for bad in ("PythonFoo", "PythonCleanupHandler"):
            with self.assertRaisesRegex(IndexError, "Invalid phase: " + bad):
                req.add_handler(bad, "x")

    def test_silent_entries_without_the_callable_are_skipped(self):
        mod = self.h.module("def handler(req): req.write('h'); return 0\n")
        self.h.begin()
        silent = fakes.entry(mod, self.h.dir, silent=True)
        self.assertEqual(self.h.run("PythonFixupHandler", [silent])["status"], DECLINED)
        self.assertEqual(self.h.run("PythonHeaderParserHandler", [silent, silent])["status"], DECLINED)
        self.assertEqual(self.h.run("PythonHandler", [silent])["status"], OK)

    def test_hlist_and_phase_are_visible_to_the_handler(self):
        mod = self.h.module("""
            seen = []
            def handler(req):
                seen.append((req.phase, req.hlist.handler, req.hlist.directory,
                             req.hlist.is_location, req.hlist.silent, req.extension))
                return 0
        """)
        self.h.begin()
        self.h.run("PythonHandler", [mod], extension=".py")
        self.assertEqual(sys.modules[mod].seen, [("PythonHandler", mod, self.h.dir, 0, 0, ".py")])
        self.assertIsNone(self.h.req().phase)

    def test_directory_prepend_unless_location_or_python_path(self):
        mod = self.h.module("def handler(req): return 0\n")
        self.h.begin()
        self.h.run("PythonHandler", [mod])
        self.assertEqual(sys.path[0], self.h.dir)
        sys.path.remove(self.h.dir)
        sys.path.append(self.h.dir)  # importable, but not prepended by dispatch
        try:
            self.h.run("PythonHandler", [fakes.entry(mod, "/loc-dir/", is_location=True)])
            self.assertNotIn("/loc-dir/", sys.path)
            saved = list(sys.path)
            self.h.run("PythonHandler", [fakes.entry(mod, "/some/dir/")],
                       sync={"config": {"PythonPath": "sys.path + ['/from-python-path']"}})
            self.assertNotIn("/some/dir/", sys.path)
            self.assertIn("/from-python-path", sys.path)
            sys.path[:] = saved
        finally:
            sys.path.remove(self.h.dir)


class AuthenTest(unittest.TestCase):
    def setUp(self):
        self.h = fakes.Harness()
        self.mod = self.h.module("""
            def nouser(req): return 0
            def user(req): req.user = 'bob'; return 0
            def deny(req): return 401
        """)

    def tearDown(self):
        self.h.close()

    def test_ok_without_user_is_500(self):
        self.h.begin()
        self.assertEqual(self.h.run("PythonAuthenHandler", [self.mod + "::nouser"])["status"], 500)
        self.assertIn("req.user is NULL", self.h.ch.log_text())
        r = self.h.run("PythonAuthenHandler", [self.mod + "::user"])
        self.assertEqual((r["status"], r["sync"]["user"]), (0, "bob"))

    def test_401_with_basic_auth_adds_www_authenticate(self):
        self.h.begin()
        r = self.h.run("PythonAuthenHandler", [self.mod + "::deny"],
                       sync={"auth_type": "Basic", "auth_name": "Zone"})
        self.assertEqual(r["status"], 401)
        self.assertEqual(r["sync"]["err_headers_out"], [["WWW-Authenticate", 'Basic realm="Zone"']])


class RequestLifecycleTest(unittest.TestCase):
    def setUp(self):
        self.h = fakes.Harness()

    def tearDown(self):
        self.h.close()

    def test_attributes_persist_across_phases_and_sync_flows_both_ways(self):
        mod = self.h.module("""
            def fixuphandler(req):
                req.mine = 'kept'
                req.handler = 'mod_python'
                return 0
            def handler(req):
                req.write(req.mine + ' ' + req.filename)
                return 0
        """)
        self.h.begin()
        r = self.h.run("PythonFixupHandler", [mod], sync={"filename": "/srv/a.py"})
        self.assertEqual(r["sync"], {"handler": "mod_python"})
        self.h.run("PythonHandler", [mod])
        self.assertEqual(self.h.ch.body_bytes(), b"kept /srv/a.py")

    def test_cleanups_run_at_end_request_and_errors_are_logged(self):
        mod = self.h.module("""
            seen = []
            def handler(req):
                req.register_cleanup(seen.append, 'done')
                req.register_cleanup(lambda d: 1 / 0)
                return 0
        """)
        self.h.begin()
        self.h.run("PythonHandler", [mod])
        self.assertEqual(sys.modules[mod].seen, [])
        self.h.end()
        self.assertEqual(sys.modules[mod].seen, ["done"])
        self.assertIn("ZeroDivisionError", self.h.ch.log_text())

    def test_internal_redirect_links_prev_and_next_as_the_same_objects(self):
        mod = self.h.module("""
            def handler(req):
                req.internal_redirect('/other')
                return 0
        """)
        h = self.h
        parent = h.begin(uri="/first")

        def redirect(args):
            h.rid += 1
            child = h.rid
            h.dispatch.begin_request(h.ch, child, fakes.make_head(uri=args["uri"], prev_rid=parent))
            h.end(child)
            return None
        h.ch.answers["internal_redirect"] = redirect
        holder = {}
        orig_end = h.dispatch.end_request

        def capture(ch, rid):
            holder[rid] = h.dispatch._requests.get(rid)
            orig_end(ch, rid)
        h.dispatch.end_request = capture
        try:
            h.run("PythonHandler", [mod])
        finally:
            h.dispatch.end_request = orig_end
        child_req = holder[parent + 1]
        self.assertIs(child_req.prev, h.req(parent))
        self.assertEqual(h.ch.calls[-1], (parent, "internal_redirect", {"uri": "/other"}))
        self.assertEqual(h.ch.heads(), [], "the redirected request sends no head of its own")

    def test_python_enable_pdb_is_ignored_without_one_process(self):
        mod = self.h.module("def handler(req): return 0\n")
        self.h.begin()
        r = self.h.run("PythonHandler", [mod], sync={"config": {"PythonEnablePdb": "1"}})
        self.assertEqual(r["status"], 0)
        self.assertIsNone(sys.gettrace())


if __name__ == "__main__":
    unittest.main()
