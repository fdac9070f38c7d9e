"""mod_python.wsgi: handler logic (app lookup, declines, streaming, close). The environ and
start_response are the request's own (tested with the core); Flask/Django run end to end in
test/integration/library/wsgi.test.ts."""

import os
import shutil
import sys
import tempfile
import textwrap
import unittest

from tests.libfakes import FakeReq
from mod_python import apache, wsgi

APP = textwrap.dedent('''
    closed = []

    class Body:
        def __init__(self, items):
            self.items = items
        def __iter__(self):
            return iter(self.items)
        def close(self):
            closed.append(True)

    def application(environ, start_response):
        start_response('201 Created', [('Content-Type', 'text/x-app'), ('X-A', '1')])
        return Body([b'one', b'', b'two'])

    def listed(environ, start_response):
        start_response('200 OK', [])
        return [b'whole']
''')


class WsgiReq(FakeReq):
    """FakeReq plus stand-ins for the request's own WSGI methods (tested in the core)."""

    env = None

    def build_wsgi_env(self):
        return self.env

    def wsgi_start_response(self, status, headers, exc_info=None):
        self.status = int(status[:3])
        for k, v in headers:
            self.headers_out.add(k, v)
        return self.write


class WsgiHandlerTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)
        with open(os.path.join(self.dir, 'wsgiapp_for_test.py'), 'w') as f:
            f.write(APP)
        sys.path.insert(0, self.dir)
        self.addCleanup(sys.path.remove, self.dir)
        self.addCleanup(sys.modules.pop, 'wsgiapp_for_test', None)

    def req(self, app, env=None):
        r = WsgiReq(options={'mod_python.wsgi.application': app} if app else {})
        r.env = {'PATH_INFO': '/'} if env is None else env
        return r

    def test_iterator_is_streamed_item_by_item_and_closed(self):
        r = self.req('wsgiapp_for_test')
        self.assertEqual(wsgi.handler(r), apache.OK)
        self.assertEqual((r.status, r.written), (201, [b'one', b'two']))
        self.assertEqual(r.sent_bodyct, 1)
        self.assertEqual(sys.modules['wsgiapp_for_test'].closed, [True])

    def test_list_is_written_unflushed(self):
        r = self.req('wsgiapp_for_test::listed')
        wsgi.handler(r)
        self.assertEqual((r.written, r.sent_bodyct), ([b'whole'], 0))

    def test_missing_callable_or_base_uri_mismatch_declines(self):
        self.assertEqual(wsgi.handler(self.req('wsgiapp_for_test::nope')), apache.DECLINED)
        r = self.req('wsgiapp_for_test')
        r.env = None
        r.build_wsgi_env = lambda: None
        self.assertEqual(wsgi.handler(r), apache.DECLINED)

    def test_missing_option_is_a_logged_500(self):
        r = self.req(None)
        self.assertEqual(wsgi.handler(r), 500)
        self.assertIn('mod_python.wsgi.application', r.logged[0][1])


if __name__ == '__main__':
    unittest.main()
