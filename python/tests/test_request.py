"""The request object (spec §4.3), its connection and server (§4.4, §4.5)."""

import base64
import os
import tempfile
import unittest

from tests import fakes

from mod_python import apache


class RequestCase(unittest.TestCase):
    body = b""

    def setUp(self):
        self.h = fakes.Harness(body=self.body)
        self.h.ch.answers["sendfile"] = lambda a: a["length"]

    def tearDown(self):
        self.h.close()

    def req(self, **head):
        self.h.begin(**head)
        return self.h.req()


class AttributesTest(RequestCase):
    def test_head_facts_are_read_only_with_upstreams_error(self):
        req = self.req(uri="/a/b.py", query="x=1")
        for name in ("method", "the_request", "headers_in", "headers_out", "server",
                     "connection", "mtime", "phase", "interpreter", "unparsed_uri"):
            with self.subTest(name=name):
                with self.assertRaisesRegex(AttributeError, "attribute '%s' of 'mp_request' "
                                            "objects is not writable" % name):
                    setattr(req, name, "x")

    def test_types_of_writable_fields_are_checked(self):
        req = self.req()
        with self.assertRaisesRegex(TypeError, "cannot be interpreted as an integer"):
            req.status = "x"
        with self.assertRaisesRegex(TypeError, "cannot be interpreted as an integer"):
            req.no_cache = "x"
        for name in ("uri", "filename", "content_type", "status_line", "user", "path_info"):
            with self.subTest(name=name):
                with self.assertRaisesRegex(TypeError, "not an ISO-8859-1 string"):
                    setattr(req, name, None)
        req.args = None
        req.handler = None
        with self.assertRaisesRegex(TypeError, "finfo must be a finfoobject"):
            req.finfo = 3
        req.custom = 3  # handlers attach their own data

    def test_values_from_the_head(self):
        req = self.req(uri="/a/b.py", query="x=1", method="POST")
        self.assertEqual((req.uri, req.args, req.method, req.protocol), ("/a/b.py", "x=1", "POST", "HTTP/1.1"))
        self.assertEqual(req.parsed_uri[apache.URI_PATH], "/a/b.py")
        self.assertEqual(req.headers_in["host"], "example.test:8080")
        self.assertEqual((req.header_only, req.status, req.interpreter), (0, 200, "test.interp"))
        self.assertEqual(req.useragent_addr, ("127.0.0.1", 50000))

    def test_only_changed_fields_are_synced_back(self):
        req = self.req()
        req.status = 404
        req.headers_out["X-A"] = "1"
        req.headers_in.get("host")
        req.notes.get("nothing")
        self.assertEqual(req._collect_sync(), {"status": 404, "headers_out": [["X-A", "1"]]})
        self.assertEqual(req._collect_sync(), {})

    def test_node_sync_updates_existing_table_objects(self):
        req = self.req()
        notes = req.notes
        req._apply_sync({"notes": [["a", "1"]], "filename": "/f"})
        self.assertIs(req.notes, notes)
        self.assertEqual((notes["a"], req.filename), ("1", "/f"))
        self.assertEqual(req._collect_sync(), {})

    def test_headers_in_synced_both_ways(self):
        # RequestHeader (Node) changes it between phases; a handler's change goes back to Node.
        req = self.req()
        headers_in = req.headers_in
        req._apply_sync({"headers_in": [["Host", "example.test:8080"], ["X-Added", "by node"]]})
        self.assertIs(req.headers_in, headers_in)
        self.assertEqual(headers_in["x-added"], "by node")
        self.assertEqual(req._collect_sync(), {})
        headers_in["X-Py"] = "by python"
        self.assertEqual(req._collect_sync(), {"headers_in": [["Host", "example.test:8080"], ["X-Added", "by node"], ["X-Py", "by python"]]})
        env = req.subprocess_env
        req.add_common_vars()
        self.assertEqual((env["HTTP_X_ADDED"], env["HTTP_X_PY"]), ("by node", "by python"))

    def test_content_type_marks_content_type_set(self):
        req = self.req()
        self.assertEqual(req._content_type_set, 0)
        req.content_type = "text/plain"
        self.assertEqual(req._content_type_set, 1)

    def test_finfo_round_trip(self):
        req = self.req()
        self.assertEqual(req.finfo.filetype, apache.APR_NOFILE)
        with tempfile.NamedTemporaryFile() as f:
            req.finfo = apache.stat(f.name, apache.APR_FINFO_NORM)
            self.assertEqual(req.finfo.fname, f.name)
            self.assertEqual(req._collect_sync()["finfo"][10], f.name)


class OutputTest(RequestCase):
    def test_unflushed_writes_give_a_content_length(self):
        req = self.req()
        r = self.h.run("PythonHandler", [self.h.module(
            "def handler(req):\n    req.write('a', 0)\n    req.write(b'bc', 0)\n    return 0\n")])
        self.assertEqual(r["status"], 0)
        self.assertEqual(self.h.ch.heads()[0]["content_length"], 3)
        self.assertEqual(self.h.ch.body_bytes(), b"abc")
        self.assertEqual(req.bytes_sent, 3)

    def test_flushed_write_sends_the_head_first_without_length(self):
        req = self.req()
        req.headers_out["X-Early"] = "1"
        req.write("h\xe9")
        self.assertEqual(self.h.ch.heads()[0]["content_length"], None)
        self.assertEqual(self.h.ch.heads()[0]["headers_out"], [["X-Early", "1"]])
        self.assertEqual(self.h.ch.body_bytes(), "h\xe9".encode("utf-8"))
        self.assertEqual((req.sent_bodyct, req._bytes_queued), (1, 3))
        req.headers_out["X-Late"] = "ignored by the head already sent"
        req.write("more")
        self.assertEqual(len(self.h.ch.heads()), 1)
        self.assertGreaterEqual(self.h.ch.flushes, 2)

    def test_write_refuses_other_types(self):
        req = self.req()
        with self.assertRaises(TypeError):
            req.write(3)

    def test_no_cache_adds_expires(self):
        req = self.req()
        req.no_cache = 1
        req.write("x")
        names = [k for k, _ in self.h.ch.heads()[0]["headers_out"]]
        self.assertIn("Expires", names)
        # Added to the head only: the table stays as the handler left it.
        self.assertEqual(list(req.headers_out.items()), [])

    def test_changes_before_the_head_travel_with_it_and_not_again(self):
        # The server builds the head from other fields too (Header env=, echo, the Range
        # cut): what the phase changed before the head left goes with it.
        self.req()
        r = self.h.run("PythonHandler", [self.h.module(
            "def handler(req):\n"
            "    req.subprocess_env['VAR'] = '1'\n"
            "    req.notes['n'] = 'before'\n"
            "    req.headers_out['X-Out'] = 'o'\n"
            "    req.status = 201\n"
            "    req.content_type = 'text/plain'\n"
            "    req.write('x')\n"
            "    req.notes['n'] = 'after'\n"
            "    return 0\n")])
        head = self.h.ch.heads()[0]
        # Fields the head carries as its own keys are not repeated in its sync.
        self.assertEqual(head["sync"], {"subprocess_env": [["VAR", "1"]], "notes": [["n", "before"]]})
        self.assertEqual((head["status"], head["content_type"], head["headers_out"]),
                         (201, "text/plain", [["X-Out", "o"]]))
        # phase.done carries only what changed after the head left.
        self.assertEqual(r["sync"], {"notes": [["n", "after"]]})

    def test_a_head_of_its_own_fields_only_has_no_sync(self):
        # The hello path: content_type alone, already in the head; phase.done repeats nothing.
        self.req()
        r = self.h.run("PythonHandler", [self.h.module(
            "def handler(req):\n    req.content_type = 'text/plain'\n    req.write('hi', 0)\n    return 0\n")])
        head = self.h.ch.heads()[0]
        self.assertNotIn("sync", head)
        self.assertEqual((head["content_type"], head["content_length"]), ("text/plain", 2))
        self.assertEqual(r["sync"], {})

    def test_a_table_only_read_before_the_head_adds_no_sync(self):
        req = self.req()
        req.headers_in.get("host")
        req.subprocess_env.get("X")
        req.content_type = "text/html"
        req.write("x")
        self.assertNotIn("sync", self.h.ch.heads()[0])
        self.assertEqual(req._collect_sync(), {})

    def test_explicit_flush_sends_a_flush_message(self):
        req = self.req()
        req.write("x", 0)
        req.flush()
        self.assertEqual([k for k, _, _ in self.h.ch.sent], ["headers", "flush"])

    def test_sendfile_follows_symlinks_and_honours_offset_and_length(self):
        req = self.req()
        with tempfile.TemporaryDirectory() as d:
            target = os.path.join(d, "t.txt")
            with open(target, "wb") as f:
                f.write(b"0123456789")
            link = os.path.join(d, "l.txt")
            os.symlink(target, link)
            self.assertEqual(req.sendfile(link, 2, 5), 5)
            self.assertEqual(self.h.ch.calls[-1][1:], ("sendfile", {"path": os.path.realpath(target), "offset": 2, "length": 5}))
            self.assertEqual(req.sendfile(link), 10)
            with self.assertRaises(IOError):
                req.sendfile(os.path.join(d, "missing"))

    def test_set_content_length_and_allow_methods(self):
        req = self.req()
        req.set_content_length(42)
        req.allow_methods(["GET", "post"])
        req.allow_methods(["PUT"])
        sync = req._collect_sync()
        self.assertEqual(sync["clength"], 42)
        self.assertEqual(sync["headers_out"], [["Content-Length", "42"]])
        self.assertEqual(sync["allowed_methods"], ["GET", "POST", "PUT"])
        self.assertEqual(req.allowed, (1 << apache.M_GET) | (1 << apache.M_POST) | (1 << apache.M_PUT))
        self.assertEqual(req.allowed_methods, ())  # known methods live in the bitmask only
        req.allow_methods(["HEAD"], 1)
        self.assertEqual(req.allowed_methods, ("HEAD",))


class InputTest(RequestCase):
    body = b"line one\nline two\nrest"

    def test_read_all_and_in_parts(self):
        req = self.req(method="POST", clength=len(self.body))
        self.assertEqual(req.remaining, 0)  # Apache counts only once reading has begun
        self.assertEqual(req.read(4), b"line")
        self.assertEqual(req.remaining, len(self.body) - 4)
        self.assertEqual(req.read(), b" one\nline two\nrest")
        self.assertEqual(req.read(), b"")
        self.assertEqual(req.read_length, len(self.body))

    def test_readline_and_readlines_share_the_buffer(self):
        req = self.req(method="POST", clength=len(self.body))
        self.assertEqual(req.readline(), b"line one\n")
        self.assertEqual(req.readline(3), b"lin")
        self.assertEqual(req.readlines(), [b"e two\n", b"rest"])

    def test_readlines_sizehint_stops_after_whole_lines(self):
        req = self.req(method="POST", clength=len(self.body))
        self.assertEqual(req.readlines(3), [b"line one\n"])

    def test_no_content_length_means_no_body(self):
        req = self.req(method="POST")
        self.assertEqual(req.read(), b"")
        self.assertEqual(self.h.ch.body_reads, 0)

    def test_chunked_bodies_raise_411(self):
        req = self.req(method="POST", read_chunked=True)
        with self.assertRaises(apache.SERVER_RETURN) as cm:
            req.read()
        self.assertEqual(cm.exception.args, (411,))

    def test_channel_failures_become_ioerror(self):
        req = self.req(method="POST", clength=10)

        def broken(rid, n):
            raise OSError("timed out")
        self.h.ch.read_body = broken
        with self.assertRaisesRegex(IOError, "Client read error"):
            req.read()

    def test_discard_request_body(self):
        req = self.req(method="POST", clength=len(self.body))
        self.assertEqual(req.discard_request_body(), 0)
        self.assertEqual(req.read(), b"")


class HelpersTest(RequestCase):
    def test_basic_auth_password_is_latin1_and_sets_user(self):
        creds = base64.b64encode("b\xf6b:p\xe4ss:x".encode("latin-1")).decode()
        req = self.req(headers=[["Authorization", "Basic " + creds]])
        self.assertIsNone(req.get_basic_auth_pw())  # no AuthType: Apache refuses
        req._apply_sync({"auth_type": "Basic", "auth_name": "Realm", "requires": ["valid-user"]})
        self.assertEqual(req.get_basic_auth_pw(), "p\xe4ss:x")
        self.assertEqual(req.user, "b\xf6b")
        self.assertEqual((req.auth_type(), req.auth_name()), ("Basic", "Realm"))
        self.assertFalse(hasattr(req, "requires"))  # as on httpd 2.4 builds of mod_python
        self.assertNotIn("WWW-Authenticate", req.err_headers_out)

    def test_basic_auth_pw_without_credentials_notes_the_challenge(self):
        req = self.req()
        req._apply_sync({"auth_type": "Basic", "auth_name": "Realm"})
        self.assertIsNone(req.get_basic_auth_pw())
        self.assertEqual(req.err_headers_out["WWW-Authenticate"], 'Basic realm="Realm"')
        other = self.req()
        other._apply_sync({"auth_type": "Digest", "auth_name": "Realm"})
        self.assertIsNone(other.get_basic_auth_pw())  # not Basic: declined, no challenge
        self.assertNotIn("WWW-Authenticate", other.err_headers_out)

    def test_options_drop_empty_values_and_config(self):
        req = self.req()
        req._apply_sync({"options": {"a": "1", "gone": ""}, "config": {"PythonDebug": "1"}})
        self.assertEqual(dict(req.get_options().items()), {"a": "1"})
        self.assertEqual(req.get_config()["PythonDebug"], "1")

    def test_get_options_gives_a_fresh_table_each_call(self):
        req = self.req()
        req._apply_sync({"options": {"a": "1", "gone": ""}, "config": {"PythonDebug": "1"}})
        first = req.get_options()
        first["a"] = "changed"
        first["new"] = "x"
        self.assertEqual(dict(req.get_options().items()), {"a": "1"})
        req._apply_sync({"options": {"b": "2", "B": "3"}})  # a new dict from Node is seen
        self.assertEqual(list(req.get_options().items()), [("B", "3")])
        self.assertEqual(req.get_config()["pythondebug"], "1")

    def test_construct_url_omits_default_ports(self):
        req = self.req()
        self.assertEqual(req.construct_url("/x"), "http://example.test:8080/x")
        # The port comes from the Host header, as in Apache, not from the socket.
        req2 = self.req(headers=[["Host", "example.test"]])
        req2._h["server"] = dict(req2._h["server"], port=0)  # ServerName without a port
        self.assertEqual(req2.construct_url("/y"), "http://example.test/y")
        req3 = self.req(headers=[["Host", "[::1]:81"]], hostname="::1")
        self.assertEqual(req3.remaining, 0)  # no body read yet, as Apache reports it
        self.assertEqual(req3.construct_url("/z"), "http://[::1]:81/z")

    def test_remote_host_variants(self):
        req = self.req()
        self.assertEqual(req.get_remote_host(), "127.0.0.1")
        self.assertIsNone(req.get_remote_host(apache.REMOTE_HOST))
        self.assertEqual(req.get_remote_host(apache.REMOTE_NOLOOKUP, 1), ("127.0.0.1", 1))

    def test_conditional_requests(self):
        req = self.req(headers=[["If-None-Match", '"abc"']])
        req.headers_out["ETag"] = '"abc"'
        self.assertEqual(req.meets_conditions(), 304)
        req = self.req(method="PUT", headers=[["If-Match", '"zzz"']])
        req.headers_out["ETag"] = '"abc"'
        self.assertEqual(req.meets_conditions(), 412)
        req = self.req(headers=[["If-Modified-Since", "Tue, 14 Nov 2023 22:13:00 GMT"]])
        req.update_mtime(1699999000.0)
        self.assertEqual(req.meets_conditions(), 304)
        req.update_mtime(1600000000.0)  # never lowers
        self.assertEqual(req.mtime, 1699999000.0)
        req = self.req(headers=[["If-Modified-Since", "Tue, 14 Nov 2023 22:13:00 GMT"]])
        req.update_mtime(1699999990.0)
        self.assertEqual(req.meets_conditions(), 0)

    def test_etag_and_last_modified(self):
        req = self.req()
        req.update_mtime(1600000000.0)
        req.set_etag()
        req.set_last_modified()
        self.assertFalse(req.headers_out["ETag"].startswith("W/"))
        self.assertEqual(req.headers_out["Last-Modified"], "Sun, 13 Sep 2020 12:26:40 GMT")

    def test_cgi_vars_keep_the_query_string_in_request_uri(self):
        req = self.req(uri="/app/x.py/extra", query="a=1",
                       headers=[["Host", "h"], ["Content-Type", "text/plain"], ["Authorization", "secret"]])
        req._apply_sync({"path_info": "/extra", "filename": "/srv/www/app/x.py"})
        req.add_cgi_vars()
        env = req.subprocess_env
        self.assertEqual(env["REQUEST_URI"], "/app/x.py/extra?a=1")
        self.assertEqual((env["SCRIPT_NAME"], env["PATH_INFO"]), ("/app/x.py", "/extra"))
        self.assertEqual((env["QUERY_STRING"], env["CONTENT_TYPE"], env["HTTP_HOST"]), ("a=1", "text/plain", "h"))
        self.assertNotIn("HTTP_AUTHORIZATION", env)
        self.assertEqual(env["SCRIPT_FILENAME"], "/srv/www/app/x.py")
        cgi = apache.build_cgi_env(req)
        self.assertEqual((cgi["GATEWAY_INTERFACE"], cgi["HTTP_AUTHORIZATION"]), ("Python-CGI/1.1", "secret"))

    def test_wsgi_env_and_start_response_applies_the_status(self):
        req = self.req(uri="/app/sub/Zo\xeb", query="q=1")
        req._apply_sync({"options": {"mod_python.wsgi.base_uri": "/app"}})
        env = req.build_wsgi_env()
        self.assertEqual((env["SCRIPT_NAME"], env["PATH_INFO"]), ("/app", "/sub/Zo\xc3\xab"))
        self.assertIs(env["wsgi.input"], req)
        self.assertEqual((env["wsgi.multiprocess"], env["wsgi.multithread"]), (True, False))
        write = req.wsgi_start_response("404 Not Found", [("Content-Type", "text/plain"), ("X-A", "1")])
        self.assertEqual((req.status, req.status_line, req.content_type), (404, "404 Not Found", "text/plain"))
        self.assertEqual(req.headers_out["X-A"], "1")
        write(b"gone")
        self.assertEqual(self.h.ch.heads()[0]["status"], 404)
        with self.assertRaises(ValueError):
            req.wsgi_start_response("abc", [])
        with self.assertRaises(TypeError):
            req.wsgi_start_response("200 OK", [["X", "list not tuple"]])

    def test_wsgi_exc_info_replaces_the_head_until_it_is_sent_then_reraises(self):
        # PEP 3333 (mod_python 3.5 re-raised at once, so error pages never reached the client).
        req = self.req(uri="/app/x")
        req.wsgi_start_response("200 OK", [("Content-Type", "text/html")])
        try:
            raise RuntimeError("app failure")
        except RuntimeError:
            import sys
            info = sys.exc_info()
        req.wsgi_start_response("500 Internal Server Error", [("Content-Type", "text/plain")], info)
        self.assertEqual((req.status, req.content_type), (500, "text/plain"))
        req.write(b"error page")
        with self.assertRaisesRegex(RuntimeError, "app failure"):
            req.wsgi_start_response("500 Internal Server Error", [], info)

    def test_wsgi_env_at_the_application_root_has_no_path_info(self):
        # Like mod_python: the root of the application gives no PATH_INFO key at all.
        req = self.req(uri="/app")
        req._apply_sync({"options": {"mod_python.wsgi.base_uri": "/app"}})
        env = req.build_wsgi_env()
        self.assertEqual(env["SCRIPT_NAME"], "/app")
        self.assertNotIn("PATH_INFO", env)
        req = self.req(uri="/app/")
        req._apply_sync({"options": {"mod_python.wsgi.base_uri": "/app"}})
        self.assertEqual(req.build_wsgi_env()["PATH_INFO"], "/")

    def test_wsgi_env_outside_base_uri_is_none_and_trailing_slash_is_an_error(self):
        req = self.req(uri="/other")
        req._apply_sync({"options": {"mod_python.wsgi.base_uri": "/app"}})
        self.assertIsNone(req.build_wsgi_env())
        req._apply_sync({"options": {"mod_python.wsgi.base_uri": "/app/"}})
        with self.assertRaises(ValueError):
            req.build_wsgi_env()


class CGIEmulationTest(RequestCase):
    body = b"posted=1"

    def test_setup_cgi_swaps_environ_and_streams_and_restore_puts_them_back(self):
        import sys
        req = self.req(method="POST", clength=8, query="a=b")
        before_env, before_in, before_out = dict(os.environ), sys.stdin, sys.stdout
        saved = apache.setup_cgi(req)
        try:
            self.assertEqual(os.environ["QUERY_STRING"], "a=b")
            self.assertEqual(os.environ["GATEWAY_INTERFACE"], "Python-CGI/1.1")
            self.assertEqual(sys.stdin.read(), b"posted=1")
            sys.stdout.write("Status: 201 Created\r\nContent-Type: text/x-cgi\r\nX-Cgi: 1\r\n\r\nbody")
            sys.stdout.buffer.write(b" bytes")
        finally:
            apache.restore_nocgi(*saved)
        self.assertIs(sys.stdin, before_in)
        self.assertIs(sys.stdout, before_out)
        self.assertEqual(dict(os.environ), before_env)
        self.assertEqual((req.status, req.content_type, req.headers_out["X-Cgi"]), (201, "text/x-cgi", "1"))
        self.assertEqual(self.h.ch.body_bytes(), b"body bytes")


class ConnectionServerTest(RequestCase):
    def test_connection_object(self):
        req = self.req()
        c = req.connection
        self.assertEqual((c.client_addr, c.local_addr, c.keepalive, c.id), (("127.0.0.1", 50000), ("127.0.0.1", 8080), 2, 7))
        c.keepalive = apache.AP_CONN_CLOSE
        with self.assertRaises(AttributeError):
            c.id = 3
        c.notes["x"] = "1"
        self.assertIs(self.req().connection, c)  # same connection id: same object, same notes
        self.assertEqual(c.notes["x"], "1")

    def test_server_object(self):
        req = self.req()
        s = req.server
        self.assertEqual((s.server_hostname, s.port, s.timeout, s.names, s.is_virtual), ("example.test", 8080, 60.0, (), 0))
        with self.assertRaisesRegex(AttributeError, "of 'mp_server' objects is not writable"):
            s.port = 1
        self.assertIs(self.req().server, s)


class ConnectionHandlerTest(unittest.TestCase):
    def test_serve_connection_echoes_through_the_channel(self):
        h = fakes.Harness(body=b"hello\nworld\n")
        try:
            mod = h.module("""
                from mod_python import apache
                def connectionhandler(conn):
                    line = conn.readline()
                    conn.write(line.upper())
                    conn.write(conn.read(-1))
                    return apache.OK
            """)
            import sys
            sys.path.insert(0, h.dir)
            result = h.dispatch.serve_connection(h.ch, 99, fakes.entry(mod), fakes.make_head()["connection"], fakes.make_server())
            self.assertEqual(result, 0)
            self.assertEqual(h.ch.body_bytes(99), b"HELLO\nworld\n")
            bad = h.module("def connectionhandler(conn): return 'x'\n")
            self.assertEqual(h.dispatch.serve_connection(h.ch, 100, fakes.entry(bad), fakes.make_head()["connection"], fakes.make_server()), 500)
            self.assertIn("ConnectionHandler " + bad, h.ch.log_text())
        finally:
            h.close()


if __name__ == "__main__":
    unittest.main()
