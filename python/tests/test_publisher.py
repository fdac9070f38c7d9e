"""mod_python.publisher: URL → object mapping, security rules, auth, output, page reload."""

import base64
import os
import shutil
import tempfile
import textwrap
import time
import unittest

from tests.libfakes import FakeReq
from mod_python import apache, publisher

PAGE = textwrap.dedent('''
    import re
    _SECRET_PASSWORD = 'x'
    somedict = {'a': 1}
    somedict_keys = somedict.keys

    def index(req):
        return 'index page'

    def hello(req, name='world', day=None):
        return 'hello %s %s' % (name, day)

    def html(req):
        return '<html><body>hi</body></HTML>\\n'

    def nothing(req):
        return None

    def raw(req):
        return b'\\x00raw'

    class Klass:
        pass

    class Inner:
        def traverse(self):
            return 'deep'

    instance = Inner()

    def secured(req):
        __auth_realm__ = 'Private'
        __auth__ = {'alice': 's3cret'}
        __access__ = ['alice']
        return 'welcome'

    def guarded(req):
        def __auth__(req, user, password):
            return user == 'bob' and password == 'pw'
        return 'bob ok'

    def denied(req):
        __auth__ = lambda req, u, p: True
        __access__ = ('carol',)
        return 'never'

    class Protected:
        __auth__ = {'u': 'p'}
        def page(self):
            return 'protected'

    protected = Protected()
''')


def basic(user, pw):
    return 'Basic ' + base64.b64encode(('%s:%s' % (user, pw)).encode()).decode()


class PublisherTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)
        with open(os.path.join(self.dir, 'index.py'), 'w') as f:
            f.write(PAGE)
        publisher.page_cache.clear()

    def run_publisher(self, path, method='GET', args=None, headers=None, config=None, body=b''):
        """path like 'index.py/hello'; returns (status, req)."""
        first, _, rest = path.partition('/')
        req = FakeReq(method=method, args=args, headers=headers, body=body, config=config,
                      filename=os.path.join(self.dir, first), uri='/' + path,
                      path_info='/' + rest if rest else '')
        try:
            status = publisher.handler(req)
        except apache.SERVER_RETURN as e:
            status = e.args[0]
        return status, req

    def assertStatus(self, path, code, **kw):
        status, req = self.run_publisher(path, **kw)
        self.assertEqual(status, code, path)
        return req

    def test_url_mapping(self):
        for path in ('index.py', 'index.py/', 'index', 'index/index', ''):
            req = self.assertStatus(path, apache.OK)
            self.assertEqual(req.body(), b'index page', path)
        for path in ('index.py/hello', 'hello', 'index/hello'):
            req = self.assertStatus(path, apache.OK, args='name=x&day=1')
            self.assertEqual(req.body(), b'hello x 1', path)
        self.assertStatus('spam', 404)
        self.assertStatus('index.py/spam', 404)

    def test_addhandler_and_phase_extensions_are_stripped(self):
        with open(os.path.join(self.dir, 'mod.py'), 'w') as f:
            f.write('def page(req):\n    return "page via .py"\n')
        req = FakeReq(filename=os.path.join(self.dir, 'mod.pyx'), path_info='/page')
        req.addhandler_exts = '.py .pyx'
        self.assertEqual(publisher.handler(req), apache.OK)
        self.assertEqual(req.body(), b'page via .py')
        req = FakeReq(filename=os.path.join(self.dir, 'mod.page'), path_info='/page')
        req.extension = '.page'
        publisher.handler(req)
        self.assertEqual(req.body(), b'page via .py')

    def test_post_fields_reach_the_function(self):
        req = self.assertStatus('index.py/hello', apache.OK, method='POST', body=b'name=p&day=2',
                                headers={'Content-Type': 'application/x-www-form-urlencoded'})
        self.assertEqual(req.body(), b'hello p 2')

    def test_security_rules(self):
        for path in ('index.py/_SECRET_PASSWORD', 'index.py/__ANSWER', 'index.py/re',
                     'index.py/Klass', 'index.py/index/__code__', 'index.py/index/func_code',
                     'index.py/somedict/keys', 'index.py/somedict_keys',
                     'index.py/instance/traverse/__func__'):
            self.assertStatus(path, 403)
        req = self.assertStatus('index.py/instance/traverse', apache.OK)
        self.assertEqual(req.body(), b'deep')

    def test_only_get_post_head(self):
        status, req = self.run_publisher('index.py', method='PUT')
        self.assertEqual(status, 405)
        self.assertEqual(req.allowed, ['GET', 'POST', 'HEAD'])

    def test_content_type_guess_and_none(self):
        self.assertEqual(self.assertStatus('index.py/html', 0).content_type, 'text/html')
        self.assertEqual(self.assertStatus('index.py/hello', 0).content_type, 'text/plain')
        req = self.assertStatus('index.py/nothing', 0)
        self.assertEqual((req.body(), req.content_type), (b'', None))
        self.assertEqual(self.assertStatus('index.py/raw', 0).body(), b'\x00raw')

    def test_output_is_not_flushed_so_length_is_known(self):
        req = self.assertStatus('index.py', 0)
        self.assertEqual(req.sent_bodyct, 0)

    def test_nested_auth_dict_and_access_list(self):
        req = self.assertStatus('index.py/secured', 401)
        self.assertEqual(req.err_headers_out['WWW-Authenticate'], 'Basic realm="Private"')
        self.assertStatus('index.py/secured', 401, headers={'Authorization': basic('alice', 'no')})
        req = self.assertStatus('index.py/secured', 0, headers={'Authorization': basic('alice', 's3cret')})
        self.assertEqual(req.body(), b'welcome')
        self.assertEqual(req.user, 'alice')
        self.assertStatus('index.py/secured', 400, headers={'Authorization': 'Basic !!!'})

    def test_nested_auth_function_and_access_tuple(self):
        self.assertStatus('index.py/guarded', 0, headers={'Authorization': basic('bob', 'pw')})
        self.assertStatus('index.py/guarded', 401, headers={'Authorization': basic('bob', 'x')})
        self.assertStatus('index.py/denied', 403, headers={'Authorization': basic('dave', 'x')})

    def test_auth_on_instances(self):
        self.assertStatus('index.py/protected/page', 401)
        self.assertStatus('index.py/protected/page', 0, headers={'Authorization': basic('u', 'p')})

    def test_page_is_private_and_reloaded_when_changed(self):
        import sys
        self.assertStatus('index.py', 0)
        self.assertFalse(any(getattr(m, '__file__', None) == os.path.join(self.dir, 'index.py')
                             for m in list(sys.modules.values())))
        path = os.path.join(self.dir, 'index.py')
        with open(path, 'a') as f:
            f.write('\ndef index(req):\n    return "changed"\n')
        os.utime(path, (time.time() + 5, time.time() + 5))
        self.assertEqual(self.assertStatus('index.py', 0).body(), b'changed')

    def test_autoreload_off_keeps_the_loaded_page(self):
        self.assertStatus('index.py', 0)
        path = os.path.join(self.dir, 'index.py')
        with open(path, 'a') as f:
            f.write('\ndef index(req):\n    return "changed"\n')
        os.utime(path, (time.time() + 5, time.time() + 5))
        req = self.assertStatus('index.py', 0, config={'PythonAutoReload': '0'})
        self.assertEqual(req.body(), b'index page')

    def test_coding_declaration_is_honoured(self):
        with open(os.path.join(self.dir, 'latin.py'), 'wb') as f:
            f.write(b'# -*- coding: latin-1 -*-\ndef index(req):\n    return "caf\xe9"\n')
        self.assertEqual(self.assertStatus('latin.py', 0).body(), 'café'.encode())


class AuthLookupTest(unittest.TestCase):
    """process_auth reads plain modules and functions through their __dict__: the same answers
    as getattr, including a module __getattr__ and attributes set on a function."""

    def test_module_level_auth_and_realm(self):
        import types
        page = types.ModuleType('page')
        page.__auth_realm__ = 'Module realm'
        page.__auth__ = {'ann': 'pw'}
        page.__access__ = ['ann']
        req = FakeReq(headers={'Authorization': basic('ann', 'pw')})
        self.assertEqual(publisher.process_auth(req, page), ('Module realm', 'ann', 'pw'))
        req = FakeReq()
        with self.assertRaises(apache.SERVER_RETURN) as cm:
            publisher.process_auth(req, page)
        self.assertEqual(cm.exception.args[0], apache.HTTP_UNAUTHORIZED)
        self.assertEqual(req.err_headers_out['WWW-Authenticate'], 'Basic realm="Module realm"')

    def test_module_getattr_is_asked(self):
        import types
        page = types.ModuleType('page')
        page.__getattr__ = lambda name: {'ann': 'pw'} if name == '__auth__' else (
            (_ for _ in ()).throw(AttributeError(name)))
        req = FakeReq()
        with self.assertRaises(apache.SERVER_RETURN) as cm:
            publisher.process_auth(req, page)
        self.assertEqual(cm.exception.args[0], apache.HTTP_UNAUTHORIZED)

    def test_function_attribute_realm_and_no_auth(self):
        def page(req):
            return 'x'
        self.assertEqual(publisher.process_auth(FakeReq(), page), ('unknown', None, None))
        page.__auth_realm__ = 'Set on the function'
        self.assertEqual(publisher.process_auth(FakeReq(), page)[0], 'Set on the function')

    def test_a_form_already_on_the_request_is_used(self):
        from mod_python import util
        req = FakeReq(args='name=first')
        req.form = util.FieldStorage(req, keep_blank_values=1)
        req.args = 'name=second'
        publisher.publish_object(req, lambda req, name: 'hi ' + name)
        self.assertEqual(req.body(), b'hi first')


if __name__ == '__main__':
    unittest.main()
