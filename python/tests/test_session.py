"""mod_python.Session: ids, cookies, stores (server memory, dbm, files), cleanup, locking."""

import os
import pickle
import shutil
import tempfile
import time
import unittest

from tests.libfakes import FakeReq, ServerStore, install_server_call
from mod_python import Cookie, Session


def cookie_of(req):
    return req.headers_out.getall('Set-Cookie')[-1]


def req_with_cookie(previous, **kw):
    value = cookie_of(previous).split(';')[0]
    return FakeReq(headers={'Cookie': value}, **kw)


class MemorySessionTest(unittest.TestCase):
    def setUp(self):
        self.store = ServerStore()
        self.addCleanup(install_server_call(self.store))

    def test_new_session_sets_cookie_and_persists_on_save(self):
        req = FakeReq(uri='/app/page', directory='/srv/www/app/')
        s = Session.Session(req)
        self.assertIsInstance(s, Session.MemorySession)
        self.assertTrue(s.is_new())
        self.assertRegex(s.id(), r'^[0-9a-f]{32}$')
        self.assertEqual(cookie_of(req), 'pysid=%s; path=/app/' % s.id())
        self.assertEqual(s.timeout(), 1800)
        s['n'] = 1
        s.save()
        req.run_cleanups()  # unlocks

        again = Session.Session(req_with_cookie(req, uri='/app/x'))
        self.assertFalse(again.is_new())
        self.assertEqual(again['n'], 1)
        self.assertEqual(again.id(), s.id())
        methods = [m for m, _ in self.store.calls]
        self.assertEqual(methods, ['session.save', 'session.load'])
        self.assertEqual(self.store.calls[0][1]['timeout'], 1800)

    def test_expired_session_is_replaced(self):
        req = FakeReq()
        s = Session.Session(req, timeout=1)
        s._accessed = time.time() - 10
        s.save()
        again = Session.Session(req_with_cookie(req))
        self.assertTrue(again.is_new())
        self.assertNotEqual(again.id(), s.id())

    def test_forged_cookie_is_ignored_and_bad_explicit_sid_raises(self):
        s = Session.Session(FakeReq(headers={'Cookie': 'pysid=../../etc/passwd'}))
        self.assertTrue(s.is_new())
        with self.assertRaises(ValueError):
            Session.MemorySession(FakeReq(), sid='../x')

    def test_options_cookie_name_path_domain_flags(self):
        opts = {'mod_python.session.cookie_name': 'sess',
                'mod_python.session.application_path': '/p',
                'mod_python.session.application_domain': 'example.org',
                'mod_python.session.cookie_secure': 'yes',
                'mod_python.session.cookie_httponly': '1'}
        req = FakeReq(options=opts)
        s = Session.Session(req)
        self.assertEqual(cookie_of(req),
                         'sess=%s; path=/p; domain=example.org; secure; httponly' % s.id())

    def test_signed_session_cookie(self):
        req = FakeReq()
        s = Session.Session(req, secret='k')
        s.save()
        good = Session.Session(req_with_cookie(req), secret='k')
        self.assertEqual(good.id(), s.id())
        bad = Session.Session(req_with_cookie(req), secret='other')
        self.assertNotEqual(bad.id(), s.id())

    def test_invalidate_expires_cookie_and_deletes(self):
        req = FakeReq()
        s = Session.Session(req)
        s['a'] = 1
        s.save()
        s.invalidate()
        self.assertIn('expires=Thu, 01-Jan-1970 00:00:00 GMT', cookie_of(req))
        self.assertNotIn(s.id(), self.store.data)
        s.save()  # a no-op once invalid
        self.assertNotIn(s.id(), self.store.data)

    def test_cleanup_chance_option_registers_store_cleanup(self):
        req = FakeReq(options={'mod_python.session.cleanup_chance': '1'})
        Session.Session(req)
        req.run_cleanups()
        self.assertIn(('session.cleanup', {'store': 'memory'}), self.store.calls)

    def test_redis_session_names_its_store(self):
        req = FakeReq(options={'mod_python.session.session_type': 'RedisSession',
                               'mod_python.session.redis_url': 'redis://127.0.0.1:1/0'})
        s = Session.Session(req)
        s.save()
        self.assertEqual(self.store.calls[-1][1]['url'], 'redis://127.0.0.1:1/0')
        self.assertEqual(self.store.calls[-1][1]['store'], 'redis')

    def test_unknown_type(self):
        with self.assertRaises(Exception):
            Session.Session(FakeReq(options={'mod_python.session.session_type': 'Nope'}))

    def test_lock_held_until_request_cleanup(self):
        req = FakeReq()
        Session.Session(req)
        self.assertEqual(sum(self.store.held.values()), 1)
        req.run_cleanups()
        self.assertEqual(sum(self.store.held.values()), 0)


class FileStoresTest(unittest.TestCase):
    def setUp(self):
        self.addCleanup(install_server_call(ServerStore()))
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)

    def test_file_session_layout_and_round_trip(self):
        opts = {'mod_python.session.session_type': 'FileSession',
                'mod_python.session.database_directory': self.dir}
        req = FakeReq(options=opts)
        s = Session.Session(req)
        s['x'] = [1, 2]
        s.save()
        req.run_cleanups()
        path = os.path.join(self.dir, 'mp_sess', s.id()[:2], s.id())
        self.assertTrue(os.path.isfile(path))
        again = Session.Session(req_with_cookie(req, options=opts))
        self.assertEqual(again['x'], [1, 2])
        again.delete()
        self.assertFalse(os.path.exists(path))

    def test_file_session_saved_shorter_loads_the_new_record(self):
        # Saves overwrite the file in place and then cut it to length: a shorter record after a
        # longer one must load as itself, and the file must hold exactly the new pickle.
        opts = {'mod_python.session.session_type': 'FileSession',
                'mod_python.session.database_directory': self.dir}
        req = FakeReq(options=opts)
        s = Session.Session(req)
        s['blob'] = 'x' * 5000
        s.save()
        req.run_cleanups()
        again = Session.Session(req_with_cookie(req, options=opts))
        del again['blob']
        again['n'] = 1
        again.save()
        path = os.path.join(self.dir, 'mp_sess', s.id()[:2], s.id())
        with open(path, 'rb') as f:
            raw = f.read()
        self.assertLess(len(raw), 1000)
        self.assertEqual(pickle.loads(raw)['_data'], {'n': 1})
        third = Session.Session(req_with_cookie(req, options=opts))
        self.assertEqual(third['n'], 1)
        self.assertNotIn('blob', third)

    def test_file_session_cleanup_removes_expired_files_only(self):
        opts = {'mod_python.file_session.database_directory': self.dir}
        live = Session.FileSession(FakeReq(options=opts), lock=0)
        live.save()
        old = Session.FileSession(FakeReq(options=opts), lock=0, timeout=1)
        old._accessed = time.time() - 1000
        old.save()
        old_path = os.path.join(self.dir, 'mp_sess', old.id()[:2], old.id())
        os.utime(old_path, (time.time() - 2000, time.time() - 2000))
        req = FakeReq(options=opts)
        Session.filesession_cleanup({'req': req, 'sessdir': os.path.join(self.dir, 'mp_sess'),
                                     'fast_cleanup': False, 'verify_cleanup': True,
                                     'timeout': 1800, 'grace_period': 0,
                                     'cleanup_time_limit': 0})
        self.assertFalse(os.path.exists(old_path))
        self.assertTrue(os.path.exists(os.path.join(self.dir, 'mp_sess', live.id()[:2], live.id())))
        with open(os.path.join(self.dir, 'mp_sess', 'fs_status.txt')) as f:
            self.assertTrue(f.read().startswith('MPFS_3.2 0 '))

    def test_dbm_session_round_trip_and_cleanup(self):
        opts = {'mod_python.session.session_type': 'DbmSession',
                'mod_python.dbm_session.database_directory': self.dir}
        req = FakeReq(options=opts)
        s = Session.Session(req)
        s['k'] = 'v'
        s.save()
        req.run_cleanups()
        again = Session.Session(req_with_cookie(req, options=opts))
        self.assertEqual(again['k'], 'v')
        again._accessed = time.time() - 5000
        again.save()
        Session._dbm_cleanup([os.path.join(self.dir, 'mp_sess.dbm'), None])
        self.assertIsNone(again.do_load())

    def test_true_or_false(self):
        self.assertTrue(Session.true_or_false('Yes'))
        self.assertFalse(Session.true_or_false('0'))
        with self.assertRaises(ValueError):
            Session.true_or_false('maybe')


class CookieInteropTest(unittest.TestCase):
    def test_cookie_module_is_the_one_used(self):
        self.assertIs(Session.Cookie, Cookie)


if __name__ == '__main__':
    unittest.main()
