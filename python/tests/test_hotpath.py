"""The shortcuts of the per-request path keep the behaviour of the plain code they replace:
shared class-level defaults of req, tables that share entries, bulk environment updates and
the caches of settings, directive tables and server objects."""

import unittest

from tests import fakes

from mod_python._worker import handlers, server, state
from mod_python._worker.request_env import PACKED_KEY
from mod_python._worker.table import table


class SharedDefaultsTest(unittest.TestCase):
    def setUp(self):
        self.h = fakes.Harness()

    def tearDown(self):
        self.h.close()

    def test_cleanups_and_added_handlers_belong_to_their_own_request(self):
        self.h.begin()
        first = self.h.req()
        self.h.begin()
        second = self.h.req()
        first.register_cleanup(lambda data: None)
        first.add_handler("PythonFixupHandler", "mod::fix")
        self.assertEqual(len(first._cleanups), 1)
        self.assertFalse(second._cleanups)
        self.assertEqual(list(first._added), ["PythonFixupHandler"])
        self.assertFalse(second._added)
        # The shared empty defaults stay empty and cannot be filled by mistake.
        self.assertFalse(type(second)._cleanups)
        with self.assertRaises(TypeError):
            type(second)._added["x"] = []

    def test_ending_a_request_without_cleanups_and_reading_state_defaults(self):
        self.h.begin()
        req = self.h.req()
        self.assertEqual((req.bytes_sent, req.read_length, req.sent_bodyct, req.eos_sent),
                         (0, 0, 0, 0))
        self.assertEqual(req.remaining, 0)
        self.assertIsNone(req.prev)
        self.assertIsNone(req.phase)
        self.h.end()

    def test_content_type_fast_path_and_checked_path_agree(self):
        self.h.begin()
        req = self.h.req()
        self.assertEqual(req._content_type_set, 0)
        req.content_type = "text/plain"
        self.assertEqual((req.content_type, req._content_type_set), ("text/plain", 1))
        req.content_type = b"text/x-b\xc3\xa9"
        self.assertEqual(req.content_type, "text/x-b\u00e9")
        req.content_type = "text/caf\u00e9"
        self.assertEqual(req.content_type, "text/caf\u00e9")
        with self.assertRaises(TypeError):
            req.content_type = "text/\u20ac"
        with self.assertRaises(TypeError):
            req.content_type = None
        self.assertIn("content_type", req._collect_sync())


class BulkSetTest(unittest.TestCase):
    def sequential(self, t, pairs):
        for k, v in pairs:
            t[k] = v

    def test_set_many_is_the_same_as_setting_one_by_one(self):
        start = [("A", "1"), ("b", "2"), ("B", "3"), ("c", "4"), ("a", "5")]
        pairs = [("B", "x"), ("new", "n"), ("a", "y"), ("NEW", "m"), ("d", b"bytes")]
        one, many = table(), table()
        for t in (one, many):
            for k, v in start:
                t.add(k, v)
        self.sequential(one, pairs)
        many._set_many(pairs)
        self.assertEqual(many.items(), one.items())
        self.assertTrue(many._dirty)

    def test_set_many_fails_at_the_same_key_as_setting_one_by_one(self):
        one, many = table({"x": "0"}), table({"x": "0"})
        pairs = [("x", "1"), ("y", 5), ("z", "2")]
        with self.assertRaises(TypeError):
            self.sequential(one, pairs)
        with self.assertRaises(TypeError):
            many._set_many(pairs)
        self.assertEqual(many.items(), one.items())

    def test_tables_sharing_entries_change_independently(self):
        t = table({"a": "1"})
        c = t.copy()
        c["a"] = "2"
        c.add("b", "3")
        self.assertEqual(t.items(), [("a", "1")])
        self.assertEqual(c.items(), [("a", "2"), ("b", "3")])


def _synced_env(sync):
    """subprocess_env as the server takes it from a sync: the pairs, else the packed form
    unpacked as src/pipeline/request-sync.ts does (split on the newlines)."""
    if "subprocess_env" in sync:
        return sync["subprocess_env"]
    names, values = sync[PACKED_KEY]
    return [[k, v] for k, v in zip(names.split("\n"), values.split("\n"))]


class EnvironmentTest(unittest.TestCase):
    def setUp(self):
        self.h = fakes.Harness()

    def tearDown(self):
        self.h.close()

    def test_repeated_headers_join_also_with_a_value_already_there(self):
        self.h.begin(headers=[["Accept", "a"], ["X-Y", "1"], ["accept", "b"],
                              ["Content-Type", "t/1"], ["Authorization", "secret"]])
        req = self.h.req()
        req.subprocess_env["HTTP_X_Y"] = "0"
        req.subprocess_env["PATH_INFO"] = "/kept"
        req.add_cgi_vars()
        env = req.subprocess_env
        self.assertEqual(env["HTTP_ACCEPT"], "a, b")
        self.assertEqual(env["HTTP_X_Y"], "0, 1")
        self.assertEqual(env["CONTENT_TYPE"], "t/1")
        self.assertNotIn("HTTP_AUTHORIZATION", env)
        self.assertEqual(env["PATH_INFO"], "/kept")
        self.assertEqual(env.keys()[:2], ["HTTP_X_Y", "PATH_INFO"])
        self.assertEqual(env["GATEWAY_INTERFACE"], "CGI/1.1")

    def _plain_store_matches_set_many(self, head_over, sync=None):
        """add_cgi_vars / build_wsgi_env into an empty subprocess_env give the table, the
        synced pairs and the environ that setting the variables one by one gives."""
        for build in ("add_cgi_vars", "build_wsgi_env"):
            with self.subTest(build=build):
                self.h.begin(**head_over)
                req = self.h.req()
                req._apply_sync(dict(sync or {}, options={"mod_python.wsgi.base_uri": "/app"}))
                environ = getattr(req, build)()
                values, _ = req._cgi_vars(table())  # (after build_wsgi_env set path_info)
                expected = table()
                for k, v in values.items():
                    expected[k] = v
                self.assertEqual(req.subprocess_env.items(), expected.items())
                if environ is not None:
                    # The environ is subprocess_env (in its order) with the WSGI overrides.
                    cgi = [(k, v) for k, v in environ.items()
                           if not k.startswith("wsgi.") and k not in ("SCRIPT_NAME", "PATH_INFO")]
                    self.assertEqual(cgi, [(k, v) for k, v in expected.items()
                                           if k not in ("SCRIPT_NAME", "PATH_INFO")])
                self.assertEqual(req.subprocess_env["http_host"], expected["HTTP_HOST"])
                self.assertEqual(_synced_env(req._collect_sync()), expected._to_pairs())

    def test_an_empty_subprocess_env_takes_the_variables_as_they_are(self):
        self._plain_store_matches_set_many(
            {"uri": "/app/x/y", "headers": [["Host", "h:1"], ["X-A", "1"], ["x-a", "2"]]},
            {"path_info": "/y", "user": "bob"})

    def test_non_ascii_values_still_go_through_the_table_checks(self):
        # Latin-1 header values are kept; a document root outside Latin-1 is refused as
        # before (the table's TypeError), not stored.
        self._plain_store_matches_set_many({"uri": "/app/x", "headers": [["Host", "h"],
                                                                      ["X-L", "caf\xe9"]]})
        self.h.begin(uri="/app/x", document_root="/srv/\u4e2d")
        req = self.h.req()
        with self.assertRaisesRegex(TypeError, "ISO-8859-1"):
            req.add_cgi_vars()

    def test_wsgi_environ_has_the_first_authorization_header_and_no_proxy_credentials(self):
        self.h.begin(uri="/app/x", headers=[["Host", "h"], ["authorization", "Basic one"],
                                            ["Authorization", "two"],
                                            ["Proxy-Authorization", "p"]])
        req = self.h.req()
        req._apply_sync({"options": {"mod_python.wsgi.base_uri": "/app"}})
        env = req.build_wsgi_env()
        self.assertEqual(env["HTTP_AUTHORIZATION"], "Basic one")
        self.assertNotIn("HTTP_PROXY_AUTHORIZATION", env)
        self.assertNotIn("HTTP_AUTHORIZATION", req.subprocess_env)


class PackedEnvSyncTest(unittest.TestCase):
    """The CGI variables stored into an empty subprocess_env travel packed; whenever the server's
    view could differ from what the packed form says, the whole table goes as before."""

    def setUp(self):
        self.h = fakes.Harness()

    def tearDown(self):
        self.h.close()

    def _req(self, **head):
        self.h.begin(**dict({"uri": "/app/x", "headers": [["Host", "h:1"], ["X-A", "1"]]}, **head))
        req = self.h.req()
        req._apply_sync({"options": {"mod_python.wsgi.base_uri": "/app"}})
        return req

    def test_an_untouched_environment_is_sent_packed_once(self):
        req = self._req()
        req.build_wsgi_env()
        sync = req._collect_sync()
        self.assertNotIn("subprocess_env", sync)
        names, values = sync[PACKED_KEY]
        self.assertEqual(_synced_env(sync), req.subprocess_env._to_pairs())
        self.assertEqual(names.split("\n")[:3],
                         ["GATEWAY_INTERFACE", "SERVER_PROTOCOL", "REQUEST_METHOD"])
        self.assertIn("h:1", values.split("\n"))
        # Nothing changed since: the next phase sends nothing.
        self.assertEqual(req._collect_sync(), {})
        # A change in a later phase sends the whole table, the CGI variables with it.
        req.subprocess_env["MINE"] = "1"
        self.assertEqual(req._collect_sync(), {"subprocess_env": req.subprocess_env._to_pairs()})

    def test_a_change_after_packing_sends_the_whole_table_too(self):
        req = self._req()
        req.add_cgi_vars()
        req.subprocess_env["MINE"] = "1"
        sync = req._collect_sync()
        # Both go; the server takes the table over the packed form.
        self.assertIn(PACKED_KEY, sync)
        self.assertEqual(sync["subprocess_env"][-1], ["MINE", "1"])
        self.assertEqual(sync["subprocess_env"], req.subprocess_env._to_pairs())

    def test_an_environment_emptied_since_the_last_sync_is_sent_whole(self):
        req = self._req()
        req._apply_sync({"subprocess_env": [["FROM_NODE", "x"]]})
        req.subprocess_env.clear()  # the server still has FROM_NODE
        req.add_cgi_vars()
        sync = req._collect_sync()
        self.assertNotIn(PACKED_KEY, sync)
        self.assertEqual(sync["subprocess_env"], req.subprocess_env._to_pairs())

    def test_a_value_with_a_newline_is_sent_whole(self):
        req = self._req(uri="/app/a\nb")  # (a %0A in the path, decoded)
        req.add_cgi_vars()
        sync = req._collect_sync()
        self.assertNotIn(PACKED_KEY, sync)
        self.assertIn(["SCRIPT_NAME", "/app/a\nb"], sync["subprocess_env"])

    def test_an_environment_set_by_the_server_is_merged_and_sent_whole(self):
        req = self._req()
        req._apply_sync({"subprocess_env": [["GREETING", "hello"]]})
        req.add_cgi_vars()
        sync = req._collect_sync()
        self.assertNotIn(PACKED_KEY, sync)
        self.assertEqual(sync["subprocess_env"][0], ["GREETING", "hello"])

    def test_the_internal_redirect_sync_carries_the_packed_form(self):
        req = self._req()
        req.add_cgi_vars()
        self.h.ch.answers["internal_redirect"] = lambda args: None
        req.internal_redirect("/next")
        (rid, method, args), = self.h.ch.calls
        self.assertEqual(method, "internal_redirect")
        self.assertEqual(_synced_env(args["sync"]), req.subprocess_env._to_pairs())
        self.assertNotIn("subprocess_env", args["sync"])


class _CountingDict(dict):
    """A config dict that counts the comparisons made with it."""

    compared = 0

    def __eq__(self, other):
        _CountingDict.compared += 1
        return dict.__eq__(self, other)

    def __ne__(self, other):
        _CountingDict.compared += 1
        return dict.__ne__(self, other)

    __hash__ = None  # type: ignore[assignment]


class CachesTest(unittest.TestCase):
    def test_settings_of_the_same_shared_config_dict_are_recognised_without_comparing(self):
        config = _CountingDict({"PythonDebug": "1"})  # as it comes by reference: one shared dict
        first = handlers.settings_for(config)
        before = _CountingDict.compared
        self.assertIs(handlers.settings_for(config), first)
        self.assertIs(handlers.settings_for(config), first)
        self.assertEqual(_CountingDict.compared, before, "the same dict is a hit by identity")
        self.assertIs(handlers.settings_for({"PythonDebug": "1"}), first, "an equal dict hits too")

    def test_directive_tables_of_the_same_shared_dict_reuse_their_entries(self):
        h = fakes.Harness()
        try:
            h.begin()
            req = h.req()
            config = _CountingDict({"PythonDebug": "1", "PythonPath": "x"})
            options = _CountingDict({"a": "1"})
            req._apply_sync({"config": config, "options": options})
            c1, o1 = req.get_config(), req.get_options()
            before = _CountingDict.compared
            c2, o2 = req.get_config(), req.get_options()
            self.assertEqual(_CountingDict.compared, before, "the same dict is a hit by identity")
            self.assertIs(c2._e[0], c1._e[0], "the entries were not worked out again")
            self.assertIs(o2._e[0], o1._e[0])
            self.assertIsNot(c2, c1, "every call still gets its own table")
        finally:
            h.close()

    def test_settings_follow_the_config_and_the_defines(self):
        saved = state.defines
        try:
            state.defines = frozenset()
            a = handlers.settings_for({"PythonDebug": "1", "PythonEnablePdb": "1"})
            self.assertTrue(a.debug)
            self.assertFalse(a.pdb)
            self.assertIs(handlers.settings_for({"PythonDebug": "1", "PythonEnablePdb": "1"}), a)
            self.assertFalse(handlers.settings_for({"PythonDebug": "0"}).debug)
            state.defines = frozenset({"ONE_PROCESS"})
            self.assertTrue(handlers.settings_for({"PythonDebug": "0", "PythonEnablePdb": "1"}).pdb)
        finally:
            state.defines = saved

    def test_config_tables_are_fresh_per_call_and_follow_the_dict(self):
        h = fakes.Harness()
        try:
            h.begin()
            req = h.req()
            req._apply_sync({"config": {"PythonDebug": "1"}, "options": {"a": "1", "e": ""}})
            c = req.get_config()
            c["PythonDebug"] = "0"
            self.assertEqual(req.get_config()["PythonDebug"], "1")
            self.assertEqual(req.get_options().items(), [("a", "1")])
            req._apply_sync({"options": {"A": "x", "a": "y"}})
            self.assertEqual(len(req.get_options()), 1)
            req._apply_sync({"config": {"PythonDebug": "0"}})
            self.assertEqual(req.get_config()["PythonDebug"], "0")
        finally:
            h.close()

    def test_server_objects_by_identity_and_by_definition(self):
        info = fakes.make_server(defn_line_number=901)
        srv = server.server_for(info)
        self.assertIs(server.server_for(info), srv)
        again = fakes.make_server(defn_line_number=901, server_admin="new@example.test")
        self.assertIs(server.server_for(again), srv)
        self.assertEqual(srv.server_admin, "new@example.test")
        self.assertIs(server.server_for(info), srv)
        self.assertEqual(srv.server_admin, "admin@example.test")
        other = server.server_for(fakes.make_server(defn_line_number=902))
        self.assertIsNot(other, srv)




class PublisherSyncTest(unittest.TestCase):
    def setUp(self):
        self.h = fakes.Harness()
        with open(self.h.dir + "page.py", "w") as f:
            f.write("def hello(req):\n    return 'hi'\n")

    def tearDown(self):
        self.h.close()

    def run_page(self, filename, path_info):
        self.h.begin(uri="/x")
        return self.h.run("PythonHandler", [fakes.entry("mod_python.publisher", self.h.dir)],
                          sync={"filename": filename, "path_info": path_info})

    def test_the_filename_is_sent_back_only_when_the_publisher_changes_it(self):
        r = self.run_page(self.h.dir + "page.py", "/hello")
        self.assertEqual(r["status"], 0)
        self.assertNotIn("filename", r["sync"])
        self.assertNotIn("filename", self.h.ch.heads()[-1].get("sync", {}))
        r = self.run_page(self.h.dir + "page", "/hello")  # /dir/page/hello → page.py
        # Changed before the page was written: it travels with the response head.
        self.assertEqual((r["status"], self.h.ch.heads()[-1]["sync"]["filename"]), (0, self.h.dir + "page.py"))
        self.assertNotIn("filename", r["sync"])


if __name__ == "__main__":
    unittest.main()
