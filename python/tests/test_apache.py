"""mod_python.apache / _apache module-level API (spec §4.1)."""

import os
import sys
import tempfile
import unittest
from unittest import mock

from tests import fakes

from mod_python import _apache, apache
from mod_python._worker import dispatch, state


class ConstantsTest(unittest.TestCase):
    def test_result_codes_and_statuses(self):
        self.assertEqual((apache.OK, apache.DECLINED, apache.DONE), (0, -1, -2))
        self.assertEqual((apache.REQ_PROCEED, apache.REQ_NOACTION, apache.REQ_ABORTED), (0, -1, 500))
        self.assertEqual(apache.HTTP_IM_A_TEAPOT, 418)
        self.assertEqual(apache.HTTP_NOT_EXTENDED, 510)
        self.assertEqual(apache.HTTP_GATEWAY_TIME_OUT, 504)

    def test_indexes_and_flags(self):
        self.assertEqual((apache.FINFO_MODE, apache.FINFO_FILETYPE), (0, 12))
        self.assertEqual((apache.URI_SCHEME, apache.URI_QUERY, apache.URI_FRAGMENT), (0, 7, 8))
        self.assertEqual((apache.M_GET, apache.M_PATCH, apache.M_INVALID), (0, 7, 26))
        self.assertEqual(apache.APR_FINFO_NORM, 0x0073B170)
        self.assertEqual(apache.APR_FINFO_MIN, 0x8170)
        self.assertEqual((apache.APR_NOFILE, apache.APR_REG, apache.APR_DIR, apache.APR_UNKFILE),
                         (0, 1, 2, 127))
        self.assertEqual((apache.AP_CONN_CLOSE, apache.AP_CONN_KEEPALIVE), (1, 2))
        self.assertEqual(apache.APLOG_ERR, 3)
        self.assertEqual(apache.DIR_MAGIC_TYPE, "httpd/unix-directory")
        self.assertEqual(apache.MODULE_MAGIC_NUMBER_MAJOR, 20120211)

    def test_bare_apache_import_and_versions(self):
        import _apache as bare
        import mod_python
        self.assertIs(bare, _apache)
        self.assertIs(apache.SERVER_RETURN, _apache.SERVER_RETURN)
        self.assertEqual(mod_python.mp_version, "3.5.0")
        self.assertEqual(mod_python.version.version, "3.5.0")
        self.assertTrue(mod_python.modpy_version)


class QueryStringTest(unittest.TestCase):
    def test_short_keys_are_not_corrupted_and_semicolons_separate(self):
        self.assertEqual(apache.parse_qsl("a=1;b=2&c&d=&e=%41+b"),
                         [("a", "1"), ("b", "2"), ("e", "A b")])

    def test_blank_values_kept_on_request(self):
        self.assertEqual(apache.parse_qsl("a=1&c&d=", 1), [("a", "1"), ("c", ""), ("d", "")])

    def test_str_in_str_out_bytes_in_bytes_out(self):
        self.assertEqual(apache.parse_qsl("b=%C3%A9"), [("b", "\xe9")])
        self.assertEqual(apache.parse_qsl(b"a=1&b=%C3%A9"), [(b"a", b"1"), (b"b", b"\xc3\xa9")])

    def test_parse_qs_groups_values(self):
        self.assertEqual(apache.parse_qs("a=1&a=2&x=y"), {"a": ["1", "2"], "x": ["y"]})

    def test_strict_parsing_rejects_fields_without_equals(self):
        with self.assertRaises(ValueError):
            apache.parse_qsl("a", 0, 1)

    def test_bad_percent_escapes_stay_literal(self):
        self.assertEqual(apache.parse_qsl("a=%zz%4"), [("a", "%zz%4")])


class StatTest(unittest.TestCase):
    def test_missing_file_gives_an_unfilled_finfo(self):
        fi = apache.stat("/nonexistent/x", apache.APR_FINFO_NORM)
        self.assertEqual(fi.filetype, apache.APR_NOFILE)
        self.assertIsNone(fi.fname)
        self.assertIsNone(fi.size)

    def test_real_file_and_directory(self):
        with tempfile.NamedTemporaryFile() as f:
            f.write(b"12345")
            f.flush()
            fi = apache.stat(f.name, apache.APR_FINFO_NORM)
            self.assertEqual((fi.filetype, fi.size, fi.fname), (apache.APR_REG, 5, f.name))
            self.assertEqual(fi[apache.FINFO_SIZE], 5)
            self.assertIsInstance(fi.mtime, int)
            os.chmod(f.name, 0o644)
            self.assertEqual(apache.stat(f.name, apache.APR_FINFO_NORM).protection, 0x644)
        d = apache.stat(tempfile.gettempdir(), apache.APR_FINFO_NORM)
        self.assertEqual(d.filetype, apache.APR_DIR)

    def test_wire_tuple_with_a_raw_mode_gets_apr_protection(self):
        from mod_python._worker.finfo import finfo
        fi = finfo.from_tuple([0o100755, 1, 2, 1, 0, 0, 10, 1, 2, 3, "/f", None, apache.APR_REG])
        self.assertEqual((fi.protection, fi.size, fi.fname, fi.filetype), (0x755, 10, "/f", apache.APR_REG))

    def test_link_flag_stats_the_link_itself(self):
        with tempfile.TemporaryDirectory() as d:
            target = os.path.join(d, "t")
            open(target, "w").close()
            link = os.path.join(d, "l")
            os.symlink(target, link)
            self.assertEqual(apache.stat(link, apache.APR_FINFO_NORM).filetype, apache.APR_REG)
            self.assertEqual(apache.stat(link, apache.APR_FINFO_LINK).filetype, apache.APR_LNK)


class WorkerFactsTest(unittest.TestCase):
    def setUp(self):
        self.h = fakes.Harness(init={
            "interpreter": "site.example", "defines": ["ONE_PROCESS", "X"],
            "server_root": "/etc/modpy", "mpm": {"max_daemons": 7},
            "config_tree": [("ServerName", "x"), ("Directory", "/srv"), [("PythonDebug", "On")]],
            "server": fakes.make_server(options={"mod_python.mutex_locks": "4"}),
        })

    def tearDown(self):
        self.h.close()

    def test_interpreter_main_server_and_defines(self):
        self.assertEqual(apache.interpreter, "site.example")
        self.assertEqual(apache.main_server.server_hostname, "example.test")
        self.assertTrue(apache.exists_config_define("ONE_PROCESS"))
        self.assertFalse(apache.exists_config_define("NOPE"))
        self.assertEqual(apache.server_root(), "/etc/modpy")
        self.assertEqual(sys.argv, ["mod_python"])

    def test_config_tree_is_a_copy(self):
        tree = apache.config_tree()
        self.assertEqual(tree, [("ServerName", "x"), ("Directory", "/srv"), [("PythonDebug", "On")]])
        tree.append("junk")
        self.assertEqual(len(apache.config_tree()), 3)

    def test_mpm_answers_like_a_forked_non_threaded_server(self):
        self.assertEqual(apache.mpm_query(apache.AP_MPMQ_IS_THREADED), apache.AP_MPMQ_NOT_SUPPORTED)
        self.assertEqual(apache.mpm_query(apache.AP_MPMQ_IS_FORKED), apache.AP_MPMQ_DYNAMIC)
        self.assertEqual(apache.mpm_query(apache.AP_MPMQ_MAX_THREADS), 1)
        self.assertEqual(apache.mpm_query(apache.AP_MPMQ_MAX_DAEMONS), 7)

    def test_log_error_goes_to_the_channel(self):
        apache.log_error("hello", apache.APLOG_WARNING)
        apache.log_error("default level")
        self.assertEqual(self.h.ch.logs[-2:], [(4, "hello", None), (3, "default level", None)])

    def test_register_cleanup_runs_at_worker_exit_and_errors_are_logged(self):
        seen = []
        apache.register_cleanup(seen.append, "data")
        apache.main_server.register_cleanup(None, lambda d: 1 / 0)
        with self.assertRaises(ValueError):
            apache.register_cleanup("not callable")
        dispatch.worker_exit(self.h.ch)
        self.assertEqual(seen, ["data"])
        self.assertIn("ZeroDivisionError", self.h.ch.log_text())

    def test_global_locks_are_server_calls_with_a_stable_index(self):
        calls = []
        with mock.patch("mod_python._worker.channel.server_call",
                        side_effect=lambda m, a: calls.append((m, a)) or True), \
                mock.patch("mod_python._worker.channel.server_notify",
                           side_effect=lambda m, a: calls.append((m, a))):
            _apache._global_lock(apache.main_server, None, 0)
            _apache._global_unlock(apache.main_server, None, 0)
            _apache._global_lock(apache.main_server, "abc")
            self.assertEqual(_apache._global_trylock(apache.main_server, "abc"), 1)
        self.assertEqual(calls[0], ("lock.acquire", {"index": 0}))
        self.assertEqual(calls[1], ("lock.release", {"index": 0}))
        keyed = calls[2][1]["index"]
        self.assertTrue(1 <= keyed <= 3)  # mutex_locks 4: index 0 is reserved
        self.assertEqual(calls[3], ("lock.try", {"index": keyed}))


class ImportDirectiveTest(unittest.TestCase):
    def test_python_import_runs_in_config_order_and_errors_are_not_fatal(self):
        probe = fakes.Harness()
        order_mod = probe.module("""
            order = []
            def first(): order.append("first")
            def second(): order.append("second")
        """)
        broken = probe.module("raise RuntimeError('boom at import')\n")
        sys.path.insert(0, probe.dir)
        try:
            h = fakes.Harness(init={"interpreter": "i1", "imports": [
                {"module": order_mod + "::second", "interpreter": "i1"},
                {"module": broken, "interpreter": "i1"},
                {"module": order_mod + "::first", "interpreter": "i1"},
                {"module": order_mod + "::first", "interpreter": "other"},
            ]})
            self.assertEqual(sys.modules[order_mod].order, ["second", "first"])
            self.assertIn("directive_PythonImport: error importing " + broken, h.ch.log_text())
            self.assertIn("boom at import", h.ch.log_text())
            h.close()
        finally:
            probe.close()

    def test_server_level_python_path_applies_at_init(self):
        saved = list(sys.path)
        try:
            h = fakes.Harness(init={"python_path": "sys.path + ['/modpy-test-extra']"})
            self.assertEqual(sys.path[-1], "/modpy-test-extra")
            h.close()
        finally:
            sys.path[:] = saved


if __name__ == "__main__":
    unittest.main()
