"""mod_python.cgihandler: a CGI script's status, headers and body; environment restored."""

import os
import shutil
import tempfile
import textwrap
import unittest

from tests.libfakes import FakeReq
from mod_python import apache, cgihandler


class CgiHandlerTest(unittest.TestCase):
    def test_script_output_headers_and_environment(self):
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d)
        script = os.path.join(d, 'hello.py')
        with open(script, 'w') as f:
            f.write(textwrap.dedent('''
                import os, sys
                print("Status: 202 Accepted")
                print("Content-Type: text/plain")
                print("X-Script: yes")
                print()
                print("method=" + os.environ["REQUEST_METHOD"] + " cwd=" + os.path.basename(os.getcwd()))
                if __name__ == "__main__":
                    sys.exit(0)
            '''))
        req = FakeReq(filename=script)
        environ_before = dict(os.environ)
        cwd_before = os.getcwd()
        self.assertEqual(cgihandler.handler(req), apache.OK)
        self.assertEqual(req.status, 202)
        self.assertEqual(req.content_type, 'text/plain')
        self.assertEqual(req.headers_out['X-Script'], 'yes')
        self.assertEqual(req.body(), ('method=GET cwd=%s\n' % os.path.basename(d)).encode())
        self.assertEqual(dict(os.environ), environ_before)
        self.assertEqual(os.getcwd(), cwd_before)

    def test_missing_script_is_404(self):
        with self.assertRaises(apache.SERVER_RETURN) as cm:
            cgihandler.handler(FakeReq(filename='/nonexistent/x.py'))
        self.assertEqual(cm.exception.args[0], 404)



if __name__ == '__main__':
    unittest.main()
