"""mod_python.cache: LRU bound, file/module caches, function memoisation, HTTP revalidation."""

import http.server
import os
import shutil
import sys
import tempfile
import threading
import time
import unittest

from tests.libfakes import PYROOT  # noqa: F401 — puts python/ on sys.path
from mod_python import cache


class Counting(cache.Cache):
    def __init__(self, *a):
        cache.Cache.__init__(self, *a)
        self.builds = 0

    def build(self, key, name, opened, entry):
        self.builds += 1
        return key * 2


class CacheTest(unittest.TestCase):
    def test_builds_once_and_evicts_least_recently_used(self):
        c = Counting(2)
        self.assertEqual(c[1], 2)
        c[2]
        c[1]  # 1 is now the most recent
        c[3]  # evicts 2
        self.assertEqual((c.lru(), c.mru()), (1, 3))
        self.assertEqual(c.builds, 3)
        c[2]
        self.assertEqual(c.builds, 4)
        c[9] = 'set'
        self.assertEqual(c[9], 'set')
        del c[9]
        c.clear()
        self.assertIsNone(c.lru())

    def test_function_cache(self):
        calls = []

        def f(a, b=0):
            calls.append(a)
            return a + b
        fc = cache.FunctionCache(f)
        self.assertEqual((fc(1, b=2), fc(1, b=2), fc(3)), (3, 3, 3))
        self.assertEqual(calls, [1, 3])


class FileCachesTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)
        self.path = os.path.join(self.dir, 'page.py')

    def write(self, text, future=0):
        with open(self.path, 'w') as f:
            f.write(text)
        if future:
            os.utime(self.path, (time.time() + future, time.time() + future))

    def test_file_cache_rereads_changed_file(self):
        fc = cache.FileCache()
        self.write('one')
        self.assertEqual(fc[self.path], b'one')
        self.write('two!', future=5)
        self.assertEqual(fc[self.path], b'two!')

    def test_module_cache_is_private_and_rebuilt(self):
        mc = cache.ModuleCache()
        self.write('X = 1\n')
        mod = mc[self.path]
        self.assertEqual((mod.X, mod.__file__), (1, self.path))
        self.assertNotIn(mod.__name__, sys.modules)
        self.assertIs(mc[self.path], mod)
        self.write('X = 2\n', future=5)
        self.assertEqual(mc[self.path].X, 2)


class Handler(http.server.BaseHTTPRequestHandler):
    hits = []

    def do_GET(self):  # noqa: N802
        Handler.hits.append(self.headers.get('If-None-Match'))
        if self.headers.get('If-None-Match') == '"v1"':
            self.send_response(304)
            self.end_headers()
            return
        body = b'X = 42\n'
        self.send_response(200)
        self.send_header('ETag', '"v1"')
        self.send_header('Cache-Control', 'max-age=0')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class HTTPCacheTest(unittest.TestCase):
    def test_fetches_then_revalidates_with_etag(self):
        server = http.server.HTTPServer(('127.0.0.1', 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        url = 'http://127.0.0.1:%d/mod.py' % server.server_address[1]
        hc = cache.HTTPCache()
        first = hc[url]
        self.assertEqual(first.entity, b'X = 42\n')
        self.assertIs(hc[url], first)  # 304: the cached entity is kept
        self.assertEqual(Handler.hits, [None, '"v1"'])
        self.assertEqual(cache.HttpModuleCache()[url].X, 42)


if __name__ == '__main__':
    unittest.main()
