"""apache.import_module (real reload on change, at most one check a second), resolve_object
and the sys.path rules (spec §3.5, §3.6)."""

import os
import sys
import tempfile
import textwrap
import unittest
from unittest import mock

from mod_python import apache
from mod_python._worker import importer


class ImportModuleTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        sys.path.insert(0, self.dir)
        self.name = "reload_probe_%d_%d" % (os.getpid(), id(self))
        self.path = os.path.join(self.dir, self.name + ".py")
        self.write("VALUE = 1\nkept = 'old'\n", mtime=1_000_000)
        self.clock = 5_000_000.0

    def tearDown(self):
        sys.path.remove(self.dir)
        sys.modules.pop(self.name, None)
        self.tmp.cleanup()

    def write(self, source, mtime):
        with open(self.path, "w") as f:
            f.write(textwrap.dedent(source))
        os.utime(self.path, (mtime, mtime))

    def load(self, **kw):
        with mock.patch.object(importer.time, "time", return_value=self.clock):
            return apache.import_module(self.name, **kw)

    def test_first_import_records_mtime(self):
        m = self.load()
        self.assertEqual(m.VALUE, 1)
        self.assertEqual(m.__mtime__, 1_000_000)

    def test_changed_file_is_re_executed_in_place(self):
        m = self.load()
        self.write("VALUE = 2\n", mtime=1_000_100)
        self.clock += 2
        m2 = self.load()
        self.assertIs(m2, m)
        self.assertEqual(m.VALUE, 2)
        self.assertEqual(m.kept, "old")  # names of the old run survive, as with imp.load_module

    def test_the_file_is_checked_at_most_once_a_second(self):
        self.load()
        self.write("VALUE = 3\n", mtime=1_000_200)
        self.clock += 0.5
        self.assertEqual(self.load().VALUE, 1)
        self.clock += 1
        self.assertEqual(self.load().VALUE, 3)

    def test_autoreload_off_never_reloads(self):
        self.load()
        self.write("VALUE = 4\n", mtime=1_000_300)
        self.clock += 5
        self.assertEqual(self.load(autoreload=0).VALUE, 1)

    def test_log_writes_a_notice(self):
        logs = []
        with mock.patch.object(importer.state, "log", side_effect=lambda l, m: logs.append((l, m))):
            self.load(log=1)
        self.assertEqual(logs, [(apache.APLOG_NOTICE, "mod_python: (Re)importing module '%s'" % self.name)])

    def test_path_argument_loads_the_module_from_that_directory(self):
        self.load()
        with tempfile.TemporaryDirectory() as other:
            with open(os.path.join(other, self.name + ".py"), "w") as f:
                f.write("VALUE = 'other dir'\n")
            m = self.load(path=[other])
            self.assertEqual(m.VALUE, "other dir")
            self.assertTrue(m.__file__.startswith(other))

    def test_syntax_error_in_a_reload_propagates(self):
        self.load()
        self.write("VALUE = (\n", mtime=1_000_400)
        self.clock += 2
        with self.assertRaises(SyntaxError):
            self.load()


class ResolveObjectTest(unittest.TestCase):
    def test_classes_met_on_the_way_are_instantiated_with_the_argument(self):
        mod = type(sys)("resolve_probe")

        class Page:
            def __init__(self, req):
                self.req = req

            def render(self, req):
                return ("render", self.req)
        mod.Page = Page
        method = apache.resolve_object(mod, "Page.render", arg="REQ")
        self.assertEqual(method("x"), ("render", "REQ"))

    def test_missing_names(self):
        mod = type(sys)("resolve_probe")
        mod.__file__ = "/x/resolve_probe.py"
        with self.assertRaisesRegex(AttributeError, "contains no 'nope'"):
            apache.resolve_object(mod, "nope")
        self.assertIsNone(apache.resolve_object(mod, "nope.deeper", silent=1))


class PythonPathTest(unittest.TestCase):
    def setUp(self):
        self.saved = list(sys.path)

    def tearDown(self):
        sys.path[:] = self.saved

    def test_each_distinct_string_is_evaluated_once(self):
        expr = "sys.path + ['/modpy-eval-once-%d']" % id(self)
        importer.apply_python_path(expr)
        self.assertEqual(sys.path.count("/modpy-eval-once-%d" % id(self)), 1)
        sys.path.remove("/modpy-eval-once-%d" % id(self))
        importer.apply_python_path(expr)  # seen before: not evaluated again
        self.assertNotIn("/modpy-eval-once-%d" % id(self), sys.path)

    def test_directory_is_prepended_once(self):
        importer.prepend_directory("/modpy-prepend/")
        importer.prepend_directory("/modpy-prepend/")
        self.assertEqual(sys.path[0], "/modpy-prepend/")
        self.assertEqual(sys.path.count("/modpy-prepend/"), 1)


if __name__ == "__main__":
    unittest.main()
