"""Test doubles for the library unit tests: a small ``req`` and, while the core API is not
importable outside a worker, minimal stand-ins for ``mod_python.apache``/``_apache`` and
``mod_python._worker.channel.server_call``. End-to-end behaviour is tested against the real
server in test/integration/library/.
"""

import io
import os
import sys
import threading
import types

HERE = os.path.dirname(os.path.abspath(__file__))
PYROOT = os.path.dirname(HERE)
if PYROOT not in sys.path:
    sys.path.insert(0, PYROOT)


class Table:
    """Case-insensitive multi-value table with mp_table's observable behaviour."""

    def __init__(self, items=None):
        self._items = []
        if items:
            for k, v in (items.items() if hasattr(items, 'items') else items):
                self.add(k, v)

    @staticmethod
    def _s(x):
        return x.decode('latin-1') if isinstance(x, bytes) else str(x)

    def add(self, k, v):
        self._items.append((self._s(k), self._s(v)))

    def __setitem__(self, k, v):
        self.__delitem__(k, missing_ok=True)
        self.add(k, v)

    def __delitem__(self, k, missing_ok=False):
        lk = self._s(k).lower()
        before = len(self._items)
        self._items = [(a, b) for a, b in self._items if a.lower() != lk]
        if before == len(self._items) and not missing_ok:
            raise KeyError(k)

    def __getitem__(self, k):
        vals = [b for a, b in self._items if a.lower() == self._s(k).lower()]
        if not vals:
            raise KeyError(k)
        return vals[0] if len(vals) == 1 else vals

    def get(self, k, default=None):
        vals = [b for a, b in self._items if a.lower() == self._s(k).lower()]
        return vals[0] if vals else default

    def getall(self, k):
        return [b for a, b in self._items if a.lower() == self._s(k).lower()]

    def __contains__(self, k):
        return any(a.lower() == self._s(k).lower() for a, _ in self._items)

    def keys(self):
        return [a for a, _ in self._items]

    def items(self):
        return list(self._items)

    def __iter__(self):
        return iter(self.keys())

    def __len__(self):
        return len(self._items)


def _install_core_standins():
    """Make `mod_python.apache`, `_apache` and the channel importable in plain unittest runs."""
    try:
        from mod_python import apache  # noqa: F401 — the real one, when it imports here
        return
    except Exception:
        pass
    apache = types.ModuleType('mod_python.apache')

    class SERVER_RETURN(Exception):
        pass

    apache.SERVER_RETURN = SERVER_RETURN
    for name, value in dict(OK=0, DECLINED=-1, DONE=-2, HTTP_OK=200,
                            HTTP_MOVED_PERMANENTLY=301, HTTP_MOVED_TEMPORARILY=302,
                            HTTP_BAD_REQUEST=400, HTTP_UNAUTHORIZED=401, HTTP_FORBIDDEN=403,
                            HTTP_NOT_FOUND=404, HTTP_METHOD_NOT_ALLOWED=405,
                            HTTP_LENGTH_REQUIRED=411, HTTP_INTERNAL_SERVER_ERROR=500,
                            HTTP_NOT_IMPLEMENTED=501, APLOG_EMERG=0, APLOG_ALERT=1,
                            APLOG_CRIT=2, APLOG_ERR=3, APLOG_WARNING=4, APLOG_NOTICE=5,
                            APLOG_INFO=6, APLOG_DEBUG=7, AP_MPMQ_IS_THREADED=2,
                            AP_MPMQ_IS_FORKED=3, AP_MPMQ_MAX_DAEMONS=12,
                            AP_MPMQ_NOT_SUPPORTED=0).items():
        setattr(apache, name, value)
    apache.table = apache.make_table = Table
    apache.interpreter = 'test'
    apache.logged = []
    apache.log_error = lambda msg, level=3, server=None: apache.logged.append((level, msg))
    apache.mpm_query = lambda code: 0

    def import_module(name, autoreload=1, log=0, path=None):
        __import__(name)
        return sys.modules[name]

    apache.import_module = import_module
    sys.modules['mod_python.apache'] = apache
    import mod_python
    mod_python.apache = apache

    _apache = types.ModuleType('mod_python._apache')
    _locks = {}
    _guard = threading.Lock()

    def _lock_for(key, index):
        with _guard:
            return _locks.setdefault((key, index), threading.Lock())

    _apache._global_lock = lambda server, key, index=-1: _lock_for(key, index).acquire()
    _apache._global_trylock = lambda server, key, index=-1: _lock_for(key, index).acquire(False)
    _apache._global_unlock = lambda server, key, index=-1: _lock_for(key, index).release()
    sys.modules['mod_python._apache'] = _apache
    mod_python._apache = _apache


_install_core_standins()


class ServerStore:
    """Plays the Node session service for mod_python._worker.channel.server_call."""

    def __init__(self):
        self.data = {}
        self.calls = []
        self.held = {}  # lock index → count (the test process is the only owner)

    def __call__(self, method, args):
        if method.startswith('lock.'):
            return self._lock(method, args['index'])
        self.calls.append((method, dict(args)))
        if method == 'session.load':
            return self.data.get(args['sid'])
        if method == 'session.save':
            self.data[args['sid']] = args['data']
            return True
        if method == 'session.delete':
            self.data.pop(args['sid'], None)
            return True
        if method == 'session.cleanup':
            return 0
        raise KeyError(method)

    def _lock(self, method, index):
        count = self.held.get(index, 0)
        if method == 'lock.try':
            self.held[index] = count + 1  # reentrant for one owner, like the server's service
            return True
        if method == 'lock.acquire':
            self.held[index] = count + 1
            return None
        if count <= 0:
            raise AssertionError('lock %d released but not held' % index)
        self.held[index] = count - 1
        return None


def install_server_call(fn):
    """Route mod_python._worker.channel.server_call (and server_notify, the calls whose answer
    nobody waits for) to fn (a fake module if none exists)."""
    try:
        from mod_python._worker import channel
    except Exception:
        worker = types.ModuleType('mod_python._worker')
        worker.__path__ = []
        channel = types.ModuleType('mod_python._worker.channel')
        sys.modules['mod_python._worker'] = worker
        sys.modules['mod_python._worker.channel'] = channel
        worker.channel = channel
    previous = getattr(channel, 'server_call', None), getattr(channel, 'server_notify', None)
    channel.server_call = fn
    channel.server_notify = lambda method, args: fn(method, args) and None

    def restore():
        channel.server_call, channel.server_notify = previous
    return restore


class FakeServer:
    server_hostname = 'localhost'

    def __init__(self, options=None):
        self._options = options or {}

    def get_options(self):
        return dict(self._options)


class FakeConnection:
    client_ip = '127.0.0.1'
    remote_ip = '127.0.0.1'


class FakeHList:
    def __init__(self, directory):
        self.directory = directory
        self.is_location = False


class FakeReq:
    """Just enough of mod_python's request object for the library's code paths."""

    def __init__(self, method='GET', uri='/', args=None, body=b'', headers=None,
                 filename=None, path_info='', options=None, config=None, read_size=None,
                 directory='/srv/www/', document_root='/srv/www'):
        self.method = method
        self.uri = uri
        self.unparsed_uri = uri + ('?' + args if args else '')
        self.args = args
        self.headers_in = Table(headers or {})
        if body and 'content-length' not in self.headers_in:
            self.headers_in['Content-Length'] = str(len(body))
        self._body = io.BytesIO(body)
        self._read_size = read_size  # caps each read, to test block borders
        self.headers_out = Table()
        self.err_headers_out = Table()
        self.subprocess_env = Table()
        self.notes = Table()
        self.filename = filename
        self.path_info = path_info
        self.extension = None
        self.status = 200
        self.content_type = None
        self._content_type_set = 0
        self.sent_bodyct = 0
        self._bytes_queued = 0
        self.next = None
        self.main = None
        self.prev = None
        self.written = []
        self.logged = []
        self.cleanups = []
        self.allowed = []
        self._options = options or {}
        self._config = config or {}
        self.server = FakeServer()
        self.connection = FakeConnection()
        self.hlist = FakeHList(directory)
        self._document_root = document_root
        self.interpreter = 'test'
        self.phase = 'PythonHandler'
        self.header_only = 0
        self.protocol = 'HTTP/1.1'
        self.hostname = 'localhost'
        self.addhandler_exts = ''

    def __setattr__(self, name, value):
        if name == 'content_type' and value is not None:
            object.__setattr__(self, '_content_type_set', 1)
        object.__setattr__(self, name, value)

    # body
    def read(self, n=-1):
        if self._read_size and (n is None or n < 0 or n > self._read_size):
            n = self._read_size
        return self._body.read(n)

    def readline(self, n=-1):
        return self._body.readline(n)

    # output
    def write(self, data, flush=1):
        if isinstance(data, str):
            data = data.encode('utf-8')
        self.written.append(bytes(data))
        self._bytes_queued += len(data)
        if flush:
            self.sent_bodyct = 1

    def flush(self):
        self.sent_bodyct = 1

    def body(self):
        return b''.join(self.written)

    # the rest
    def log_error(self, msg, level=3):
        self.logged.append((level, msg))

    def allow_methods(self, methods, reset=0):
        self.allowed = list(methods) if reset else self.allowed + list(methods)

    def get_options(self):
        return dict(self._options)

    def get_config(self):
        return dict(self._config)

    def get_addhandler_exts(self):
        return self.addhandler_exts

    def register_cleanup(self, fn, data=None):
        self.cleanups.append((fn, data))

    def run_cleanups(self):
        for fn, data in self.cleanups:
            fn(data) if data is not None else fn()
        self.cleanups = []

    def document_root(self):
        return self._document_root

    def add_cgi_vars(self):
        env = self.subprocess_env
        env['GATEWAY_INTERFACE'] = 'CGI/1.1'
        env['REQUEST_METHOD'] = self.method
        env['QUERY_STRING'] = self.args or ''
        env['REQUEST_URI'] = self.uri
        env['SERVER_PROTOCOL'] = self.protocol
        env['SERVER_NAME'] = 'localhost'
        env['SERVER_PORT'] = '80'
        env['REMOTE_ADDR'] = '127.0.0.1'
        for k, v in self.headers_in.items():
            env['HTTP_' + k.upper().replace('-', '_')] = v
        if 'content-type' in self.headers_in:
            env['CONTENT_TYPE'] = self.headers_in['content-type']
        if 'content-length' in self.headers_in:
            env['CONTENT_LENGTH'] = self.headers_in['content-length']

    def is_https(self):
        return 0


def multipart_body(boundary, parts):
    """parts: list of (name, value_bytes, filename_or_None, content_type_or_None)."""
    out = []
    for name, value, filename, ctype in parts:
        out.append(b'--' + boundary + b'\r\n')
        disp = 'form-data; name="%s"' % name
        if filename is not None:
            disp += '; filename="%s"' % filename
        out.append(('Content-Disposition: %s\r\n' % disp).encode('utf-8'))
        if ctype:
            out.append(('Content-Type: %s\r\n' % ctype).encode('latin-1'))
        out.append(b'\r\n' + value + b'\r\n')
    out.append(b'--' + boundary + b'--\r\n')
    return b''.join(out)
