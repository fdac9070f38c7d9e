"""mod_python.psp: code generation (checked against upstream's parser output), PSP objects,
handler, caches, sessions/forms in pages."""

import os
import shutil
import tempfile
import time
import unittest

from tests.libfakes import FakeReq, ServerStore, install_server_call
from mod_python import apache, psp


class GenerationTest(unittest.TestCase):
    """Expected strings are what mod_python 3.5's C parser produced for the same input."""

    def test_one_line_block_gets_semicolons(self):
        self.assertEqual(psp.parsestring(b'one<%x=1%>two'),
                         'req.write("""one""",0);x=1;req.write("""two""",0)\n')

    def test_indentation_of_last_line_persists(self):
        src = b'<%\nfor n in range(3):\n    # This indent will persist\n%>\n<p>repeated</p>\n<%\n# back to column 0\n%>\n'
        self.assertEqual(psp.parsestring(src),
                         'req.write("""""",0);\nfor n in range(3):\n    # This indent will persist\n'
                         '    req.write("""\n<p>repeated</p>\n""",0);\n# back to column 0\n'
                         'req.write("""\n""",0)\n')

    def test_colon_adds_a_tab_and_crlf_is_a_newline(self):
        src = b'a\r\nb<%\r\nif 1:\r\n%>\r\nin\r\n<%\r\n%>e'
        self.assertEqual(psp.parsestring(src),
                         'req.write("""a\nb""",0);\nif 1:\n\treq.write("""\nin\n""",0);\n'
                         'req.write("""e""",0)\n')

    def test_expressions_and_escapes(self):
        self.assertEqual(psp.parsestring(b'x<%= 1+1 %>y'),
                         'req.write("""x""",0); req.write(str( 1+1 ),0); req.write("""y""",0)\n')
        self.assertEqual(psp.parsestring(b'a"b\\nc\\d'), 'req.write("""a\\"b\\\\nc\\d""",0)\n')

    def test_text_that_broke_upstream_literals_renders_literally(self):
        for text in ('end\\', 'q\\"', '"""', '\\\\"x'):
            req = FakeReq()
            psp.PSP(req, string=text).run()
            self.assertEqual(req.body().decode(), text.replace('\\\\', '\\'), text)

    def test_comments_are_removed_keeping_line_numbers(self):
        self.assertEqual(psp.parsestring('a<%-- c --%>b'), 'req.write("""ab""",0)\n')
        code = psp.parsestring('a<%-- x\ny --%>b\n<%\nraise ValueError\n%>')
        self.assertEqual(code.split('\n').index('raise ValueError'), 3)

    def test_cr_alone_is_a_line_end(self):
        self.assertEqual(psp.parsestring('a\rb'), 'req.write("""a\nb""",0)\n')

    def test_unterminated_block_names_the_line(self):
        with self.assertRaises(psp.PSPSyntaxError) as cm:
            psp.parsestring('x\ny<% oops')
        self.assertEqual(cm.exception.lineno, 2)


class PageTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)
        psp.mem_fcache.cache.clear()

    def page(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, 'w') as f:
            f.write(text)
        return path

    def test_handler_runs_page_with_loops_and_includes(self):
        self.page('inc.psp', '[<%= who %>]')
        path = self.page('p.psp', '<%\nwho = "me"\nfor i in range(2):\n%><%= i %><%@ include file="inc.psp" %>\n<%\n%>end')
        req = FakeReq(filename=path)
        self.assertEqual(psp.handler(req), apache.OK)
        self.assertEqual(req.content_type, 'text/html')
        self.assertEqual(req.body(), b'0[me]\n1[me]\nend')

    def test_missing_page_is_404(self):
        with self.assertRaises(apache.SERVER_RETURN) as cm:
            psp.handler(FakeReq(filename=os.path.join(self.dir, 'none.psp')))
        self.assertEqual(cm.exception.args[0], 404)

    def test_no_file_behind_the_url_is_404(self):
        with self.assertRaises(apache.SERVER_RETURN) as cm:
            psp.handler(FakeReq(filename=None))
        self.assertEqual(cm.exception.args[0], 404)

    def test_source_view_only_with_debug(self):
        path = self.page('v.psp', '<b><%= 1 %></b>')
        req = FakeReq(filename=path + '_', config={'PythonDebug': '1'})
        psp.handler(req)
        self.assertIn(b'PSP-produced Python Code', req.body())
        self.assertIn(b'&lt;b&gt;', req.body())
        with self.assertRaises(apache.SERVER_RETURN):
            psp.handler(FakeReq(filename=path + '_'))

    def test_syntax_error_names_file_and_line(self):
        path = self.page('bad.psp', 'ok\n<%\nif if\n%>')
        req = FakeReq(filename=path)
        with self.assertRaises(SyntaxError) as cm:
            psp.handler(req)
        self.assertEqual((cm.exception.filename, cm.exception.lineno), (path, 3))
        self.assertIn('bad.psp line 3', req.logged[0][1])

    def test_compiled_code_is_cached_until_the_file_changes(self):
        path = self.page('c.psp', 'one')
        first = psp.PSP(FakeReq(filename=path)).code
        self.assertIs(psp.PSP(FakeReq(filename=path)).code, first)
        self.page('c.psp', 'two')
        os.utime(path, (time.time() + 5, time.time() + 5))
        req = FakeReq(filename=path)
        psp.PSP(req).run()
        self.assertEqual(req.body(), b'two')

    def test_dbm_code_cache_survives_a_restart_and_follows_changes(self):
        self.addCleanup(install_server_call(ServerStore()))  # global lock 0 around the dbm file
        opts = {'mod_python.psp.cache_database_filename': os.path.join(self.dir, 'psp.dbm')}
        path = self.page('d.psp', 'from dbm <%= 1 %>')
        psp.PSP(FakeReq(filename=path, options=opts))
        psp.mem_fcache.cache.clear()  # a fresh worker: only the dbm file remains
        real_compile = psp._compile
        psp._compile = lambda *a: self.fail('compiled again instead of using the dbm cache')
        try:
            req = FakeReq(filename=path, options=opts)
            psp.PSP(req).run()
        finally:
            psp._compile = real_compile
        self.assertEqual(req.body(), b'from dbm 1')
        psp.mem_fcache.cache.clear()
        self.page('d.psp', 'changed')
        os.utime(path, (time.time() + 5, time.time() + 5))
        req = FakeReq(filename=path, options=opts)
        psp.PSP(req).run()
        self.assertEqual(req.body(), b'changed')

    def test_vars_string_templates_and_str(self):
        self.page('t.html', '<h1><%= title %>, <%= what %>!</h1>')
        req = FakeReq(filename=os.path.join(self.dir, 'handler.py'))
        t = psp.PSP(req, filename='t.html', vars={'title': 'Hi', 'what': 'x'})
        t.run({'what': 'world'})
        self.assertEqual(req.body(), b'<h1>Hi, world!</h1>')
        for s in ('<%= 6*7 %>', b'<%= 6*7 %>'):
            req = FakeReq()
            self.assertEqual(str(psp.PSP(req, string=s)), '')
            self.assertEqual((req.body(), req.content_type), (b'42', 'text/html'))

    def test_form_and_error_page(self):
        self.page('err.psp', 'caught <%= exception[0].__name__ %>')
        path = self.page('f.psp', '<% psp.set_error_page("err.psp") %><%= form["a"].value %><% 1/0 %>')
        req = FakeReq(filename=path, args='a=1')
        psp.PSP(req).run()
        self.assertEqual(req.body(), b'1caught ZeroDivisionError')

    def test_session_created_saved_and_released(self):
        store = ServerStore()
        self.addCleanup(install_server_call(store))
        path = self.page('s.psp', '<% session["n"] = session.get("n", 0) + 1 %><%= session["n"] %>')
        req = FakeReq(filename=path)
        psp.PSP(req).run()
        self.assertEqual(req.body(), b'1')
        self.assertFalse(hasattr(req, 'session'))
        self.assertEqual(len(store.data), 1)
        self.assertEqual(sum(store.held.values()), 0)


if __name__ == '__main__':
    unittest.main()
