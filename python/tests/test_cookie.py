"""mod_python.Cookie: rendering, parsing, signed and marshalled cookies."""

import hashlib
import hmac
import unittest

from tests.libfakes import FakeReq
from mod_python import Cookie


class CookieTest(unittest.TestCase):
    def test_render_attributes_in_order_with_max_age_spelled_right(self):
        c = Cookie.Cookie('sid', 'abc', path='/app', max_age=600, secure=True, httponly=True,
                          samesite='Lax')
        self.assertEqual(str(c), 'sid=abc; path=/app; secure; Max-Age=600; samesite=Lax; httponly')

    def test_expires_number_and_string(self):
        c = Cookie.Cookie('a', 'b', expires=0)
        self.assertEqual(c.expires, 'Thu, 01-Jan-1970 00:00:00 GMT')
        with self.assertRaises(ValueError):
            Cookie.Cookie('a', 'b', expires='tomorrow')

    def test_unknown_attribute_is_refused(self):
        with self.assertRaises(AttributeError):
            Cookie.Cookie('a', 'b', colour='red')

    def test_parse_skips_dollar_names_and_keeps_last_duplicate(self):
        got = Cookie.Cookie.parse('$Version=1; a=1; $Path=/; b="x;y"; a=2; path=blah')
        self.assertEqual({k: v.value for k, v in got.items()}, {'a': '2', 'b': '"x;y"', 'path': 'blah'})
        only = Cookie.Cookie.parse('a=1; b=2', names=['b'])
        self.assertEqual(list(only), ['b'])


class SignedCookieTest(unittest.TestCase):
    def test_round_trip_with_sha256(self):
        header = str(Cookie.SignedCookie('sid', 'value1', 'secret'))
        name, signed = header.split('=', 1)
        self.assertEqual(len(signed), 64 + len('value1'))
        got = Cookie.SignedCookie.parse(header, 'secret')
        self.assertIsInstance(got['sid'], Cookie.SignedCookie)
        self.assertEqual(got['sid'].value, 'value1')

    def test_legacy_md5_signature_still_verifies(self):
        sig = hmac.new(b'secret', b'sidvalue1', hashlib.md5).hexdigest()
        got = Cookie.SignedCookie.parse('sid=' + sig + 'value1', 'secret')
        self.assertEqual(got['sid'].value, 'value1')

    def test_tampered_cookie_modes(self):
        header = str(Cookie.SignedCookie('sid', 'value1', 'secret')).replace('value1', 'value2')
        self.assertIs(type(Cookie.SignedCookie.parse(header, 'secret')['sid']), Cookie.Cookie)
        self.assertEqual(Cookie.SignedCookie.parse(header, 'secret', Cookie.Cookie.IGNORE), {})
        with self.assertRaises(Cookie.CookieError):
            Cookie.SignedCookie.parse(header, 'secret', Cookie.Cookie.EXCEPTION)

    def test_marshal_cookie_round_trip(self):
        value = {'n': 1, 'l': [1, 2], 's': 'ü'}
        header = str(Cookie.MarshalCookie('m', value, 'k'))
        self.assertEqual(Cookie.MarshalCookie.parse(header, 'k')['m'].value, value)
        self.assertEqual(Cookie.MarshalCookie.parse(header, 'other', Cookie.Cookie.IGNORE), {})

    def test_signing_without_secret_fails(self):
        with self.assertRaises(Cookie.CookieError):
            str(Cookie.SignedCookie('a', 'b'))


class RequestHelpersTest(unittest.TestCase):
    def test_add_cookie_adds_cache_control_once(self):
        req = FakeReq()
        Cookie.add_cookie(req, 'a', '1', path='/')
        Cookie.add_cookie(req, Cookie.Cookie('b', '2'))
        self.assertEqual(req.headers_out.getall('Set-Cookie'), ['a=1; path=/', 'b=2'])
        self.assertEqual(req.headers_out.getall('Cache-Control'), ['no-cache="set-cookie"'])

    def test_get_cookie(self):
        req = FakeReq(headers={'Cookie': 'a=1; b=2'})
        self.assertEqual(Cookie.get_cookie(req, 'b').value, '2')
        self.assertIsNone(Cookie.get_cookie(req, 'c'))
        self.assertEqual(Cookie.get_cookies(FakeReq()), {})


if __name__ == '__main__':
    unittest.main()
