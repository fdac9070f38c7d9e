"""mod_python.util: query strings, FieldStorage (urlencoded + streaming multipart), helpers."""

import io
import os
import unittest

from tests.libfakes import FakeReq, multipart_body
from mod_python import apache, util


class ParseQsTest(unittest.TestCase):
    def test_short_keys_are_kept_intact(self):
        # mod_python 3.5 turns x=10&y=20 into [('10','10'),('20','20')] (#117/#144).
        self.assertEqual(util.parse_qsl('x=10&y=20&day=1'), [('x', '10'), ('y', '20'), ('day', '1')])

    def test_plus_percent_semicolon(self):
        self.assertEqual(util.parse_qsl('a=1+2;b=%41%c3%a9'), [('a', '1 2'), ('b', 'Aé')])

    def test_blank_values_dropped_unless_asked(self):
        self.assertEqual(util.parse_qsl('a=&b&c=1'), [('c', '1')])
        self.assertEqual(util.parse_qsl('a=&b&c=1', 1), [('a', ''), ('b', ''), ('c', '1')])

    def test_bytes_in_bytes_out(self):
        self.assertEqual(util.parse_qsl(b'k=v%00'), [(b'k', b'v\x00')])

    def test_parse_qs_groups(self):
        self.assertEqual(util.parse_qs('a=1&a=2&b=3'), {'a': ['1', '2'], 'b': ['3']})

    def test_strict_parsing_rejects_pair_without_equals(self):
        with self.assertRaises(ValueError):
            util.parse_qsl('a', 0, 1)

    def test_parse_header(self):
        key, params = util.parse_header(b'Form-Data; name="f"; filename="a;b.txt"')
        self.assertEqual(key, b'form-data')
        self.assertEqual(params, {b'name': 'f', b'filename': 'a;b.txt'})
        self.assertEqual(util.parse_header('text/html; charset=UTF-8'), ('text/html', {'charset': 'UTF-8'}))


class FieldStorageTest(unittest.TestCase):
    def test_query_string_fields_are_str(self):
        fs = util.FieldStorage(FakeReq(args='a=1&a=2&bb=x'))
        self.assertEqual([f.value for f in fs.getlist('a')], ['1', '2'])
        self.assertEqual(fs['bb'].value, 'x')
        self.assertEqual(fs['bb'], b'x')  # StringField stays a bytes subclass, like upstream
        self.assertEqual(fs.keys(), ['a', 'bb'])
        self.assertEqual(fs.getfirst('zz', 'd'), 'd')
        self.assertIn('a', fs)
        self.assertEqual(len(fs), 2)

    def test_urlencoded_post_gives_str_names_and_values(self):
        req = FakeReq(method='POST', body=b'name=J%C3%BCrg&n=1',
                      headers={'Content-Type': 'application/x-www-form-urlencoded'})
        fs = util.FieldStorage(req)
        self.assertEqual(fs['name'].value, 'Jürg')
        self.assertEqual([n for n, _ in fs.items()], ['name', 'n'])

    def test_post_without_content_length_is_411(self):
        req = FakeReq(method='POST')
        with self.assertRaises(apache.SERVER_RETURN) as cm:
            util.FieldStorage(req)
        self.assertEqual(cm.exception.args[0], 411)

    def test_unknown_body_type_is_501_and_missing_boundary_400(self):
        for ctype, code in (('text/xml', 501), ('multipart/form-data', 400)):
            req = FakeReq(method='POST', body=b'x', headers={'Content-Type': ctype})
            with self.assertRaises(apache.SERVER_RETURN) as cm:
                util.FieldStorage(req)
            self.assertEqual(cm.exception.args[0], code)

    def test_non_post_body_is_ignored(self):
        fs = util.FieldStorage(FakeReq(method='PUT', body=b'a=1'))
        self.assertEqual(len(fs), 0)

    def _multipart(self, parts, boundary=b'XyZ', read_size=None, **kw):
        body = multipart_body(boundary, parts)
        req = FakeReq(method='POST', body=body, read_size=read_size,
                      headers={'Content-Type': 'multipart/form-data; boundary="%s"' % boundary.decode()})
        return util.FieldStorage(req, **kw)

    def test_multipart_fields_and_files(self):
        fs = self._multipart([('title', 'Zoë'.encode(), None, None),
                              ('up', b'\x00\x01data\r\nmore', 'r\xe9sum\xe9.bin', 'application/x-thing'),
                              ('blank', b'', '', None)])
        self.assertEqual(fs['title'].value, 'Zoë'.encode())  # bytes, as upstream
        up = fs['up']
        self.assertIsInstance(up, util.Field)
        self.assertEqual(up.filename, 'r\xe9sum\xe9.bin')
        self.assertEqual(up.value, b'\x00\x01data\r\nmore')
        self.assertEqual(up.type, 'application/x-thing')
        self.assertEqual(up.disposition, 'form-data')
        self.assertEqual(up.disposition_options['name'], 'up')
        self.assertEqual(up.disposition_options[b'name'], 'up')
        self.assertEqual(up.headers['content-type'], 'application/x-thing')
        # a file input left empty by the browser is an ordinary empty field
        self.assertIsInstance(fs['blank'], util.StringField)
        self.assertEqual(fs['blank'].value, b'')

    def test_boundary_and_cr_split_at_every_block_border(self):
        payload = b'ab\r\r\n--XyZnot-a-boundary\r\n\r--X' * 3
        for size in range(1, 40):
            fs = self._multipart([('f', payload, 'x.bin', None), ('g', b'tail', None, None)],
                                 read_size=size)
            self.assertEqual(fs['f'].value, payload, 'read size %d' % size)
            self.assertEqual(fs['g'].value, b'tail')

    def test_random_payloads_and_read_sizes_round_trip(self):
        import random
        rnd = random.Random(7)
        alphabet = [b'\r', b'\n', b'\r\n', b'-', b'--', b'--XyZ', b'XyZ', b'a', b'\x00', b'\xff']

        def payload():
            # A client picks a boundary that does not occur in the data after a line break.
            while True:
                data = b''.join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
                if b'\n--XyZ' not in b'\n' + data:
                    return data
        for _ in range(300):
            parts = [('p%d' % i, payload(), 'f%d.bin' % i, None) for i in range(rnd.randint(1, 4))]
            fs = self._multipart(parts, read_size=rnd.randint(1, 50))
            self.assertEqual([f.value for f in fs.list], [p[1] for p in parts])

    def test_bare_lf_line_ends_and_continuation_headers(self):
        body = (b'preamble\n--B\nContent-Disposition: form-data;\n\tname="a"\n\n1\n'
                b'--B\nContent-Disposition: form-data; name="b"\n\n2\n--B--\nepilogue')
        req = FakeReq(method='POST', body=body,
                      headers={'Content-Type': 'multipart/form-data; boundary=B'})
        fs = util.FieldStorage(req)
        self.assertEqual((fs['a'].value, fs['b'].value), (b'1', b'2'))

    def test_large_upload_goes_to_a_temporary_file(self):
        big = os.urandom(1 << 20)
        fs = self._multipart([('f', big, 'big.bin', None)])
        f = fs['f']
        self.assertNotIsInstance(f.file, io.BytesIO)
        self.assertEqual(f.value, big)

    def test_callbacks_receive_parts(self):
        made = []

        def file_cb(filename):
            made.append(filename)
            return io.BytesIO()

        fs = self._multipart([('f', b'1', 'one.txt', None), ('t', b'2', None, None)],
                             file_callback=file_cb, field_callback=io.BytesIO)
        self.assertEqual(made, ['one.txt'])
        self.assertEqual(fs['f'].value, b'1')

    def test_keep_blank_values_and_mutation(self):
        fs = util.FieldStorage(FakeReq(args='a=&b=1'), keep_blank_values=1)
        self.assertEqual(fs['a'].value, '')
        fs['b'] = 'two'
        fs.add_field('c', '3')
        del fs['a']
        self.assertEqual([(n, f.value) for n, f in fs.items()], [('b', 'two'), ('c', '3')])
        fs.clear()
        self.assertEqual(len(fs), 0)


class ApplyFsDataTest(unittest.TestCase):
    def setUp(self):
        self.fs = util.FieldStorage(FakeReq(args='day=1&uid=4&x=a&x=b&other=z'))

    def test_function_gets_declared_arguments_only(self):
        def view(req, day=None, uid=None, x=None):
            return req, day, uid, x
        self.assertEqual(util.apply_fs_data(view, self.fs, req='R'), ('R', '1', '4', ['a', 'b']))

    def test_kwargs_receives_everything(self):
        def view(**kw):
            return sorted(kw)
        self.assertEqual(util.apply_fs_data(view, self.fs), ['day', 'other', 'uid', 'x'])

    def test_methods_classes_and_callable_objects(self):
        class Page:
            def __init__(self, day):
                self.day = day

            def show(self, uid):
                return uid

            def __call__(self, other):
                return other
        self.assertEqual(util.apply_fs_data(Page, self.fs).day, '1')
        page = Page(0)
        self.assertEqual(util.apply_fs_data(page.show, self.fs), '4')
        self.assertEqual(util.apply_fs_data(page, self.fs), 'z')


class RedirectTest(unittest.TestCase):
    def test_redirect_sets_location_and_raises_done(self):
        req = FakeReq()
        with self.assertRaises(apache.SERVER_RETURN) as cm:
            util.redirect(req, '/new?a="b"', permanent=1)
        self.assertEqual(cm.exception.args[0], apache.DONE)
        self.assertEqual(req.status, 301)
        self.assertEqual(req.err_headers_out['Location'], '/new?a="b"')
        self.assertIn(b'&quot;b&quot;', req.body())

    def test_redirect_after_output_is_an_error(self):
        req = FakeReq()
        req.write('x')
        with self.assertRaises(IOError):
            util.redirect(req, '/elsewhere')


if __name__ == '__main__':
    unittest.main()
