"""mod_python.Session — sessions kept across requests, locked per session id.

Written for modpy. Stores: MemorySession (default; the data lives in the modpy server, so
every worker process of the server shares it — upstream's was per process), DbmSession,
FileSession (upstream's file layout and cleanup), RedisSession (modpy: redis through the
server). Locks are cross-process: ``_apache._global_lock`` is served by the server's lock
service. Session ids must match ``^[0-9a-f]{32}$`` and are never used as paths unchecked.
"""

import base64
import dbm
import hashlib
import os
import pickle
import random
import re
import stat
import tempfile
import time
import traceback

from . import Cookie, apache

try:
    from . import _apache
except ImportError:  # outside a worker the core module may be absent; locks need it
    _apache = None

COOKIE_NAME = 'pysid'
DFT_TIMEOUT = 30 * 60  # seconds
CLEANUP_CHANCE = 1000  # cleanup() runs once per this many session creations, on average
tempdir = tempfile.gettempdir()

_valid_sid = re.compile(r'^[0-9a-f]{32}$')
_TRUE = ('1', 'yes', 'true', 'on')
_FALSE = ('0', 'no', 'false', 'off')


def true_or_false(item):
    """Option text → bool ('yes'/'true'/'1' vs 'no'/'false'/'0'); other values raise."""
    if isinstance(item, bool):
        return item
    text = str(item).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError('%r is not a boolean option value (use yes/no, true/false, 1/0)' % (item,))


def _option(opts, *names, default=None):
    """First option present among names (new name first, then upstream's old names)."""
    for name in names:
        if name in opts:
            return opts[name]
    return default


def _check_sid(sid):
    return isinstance(sid, str) and _valid_sid.match(sid) is not None


def _new_sid(req):
    # 128 random bits from the OS plus time/pid/ip for good measure; rendered as 32 hex digits.
    seed = '%r%d%s%s' % (time.time(), os.getpid(), os.urandom(16).hex(),
                         getattr(req.connection, 'client_ip', ''))
    return hashlib.md5(seed.encode('utf-8'), usedforsecurity=False).hexdigest()


def unlock_session_cleanup(sess):
    sess.unlock()


class BaseSession(dict):
    """A dict whose content is loaded at creation and persisted by save()."""

    def __init__(self, req, sid=None, secret=None, lock=1, timeout=0):
        self._req, self._sid, self._secret = req, sid, secret
        self._lock = lock
        self._new = 1
        self._created = 0
        self._accessed = 0
        self._timeout = 0
        self._locked = 0
        self._invalid = 0
        dict.__init__(self)

        if not self._sid:
            cookie_name = self._cookie_name()
            if secret:
                cookie = Cookie.get_cookie(req, cookie_name, Class=Cookie.SignedCookie,
                                           secret=secret, mismatch=Cookie.Cookie.IGNORE)
            else:
                cookie = Cookie.get_cookie(req, cookie_name)
            if cookie:
                self._sid = cookie.value
        if self._sid and not _check_sid(self._sid):
            if sid:
                raise ValueError('Invalid Session ID: sid=%s' % (sid,))
            self._sid = None  # a forged or foreign cookie: start a new session

        self.init_lock()
        if self._sid:
            self.lock()
            if self.load():
                self._new = 0
        if self._new:
            if self._sid:
                self.unlock()
            self._sid = _new_sid(req)
            self.lock()
            Cookie.add_cookie(req, self.make_cookie())
            self._created = time.time()
            self._timeout = timeout or DFT_TIMEOUT
        self._accessed = time.time()
        if random.randint(1, self._cleanup_chance()) == 1:
            self.cleanup()

    # -- cookie ------------------------------------------------------------------------
    def _cookie_name(self):
        opts = self._req.get_options()
        return _option(opts, 'mod_python.session.cookie_name', 'session_cookie_name',
                       default=COOKIE_NAME)

    def _cleanup_chance(self):
        value = self._req.get_options().get('mod_python.session.cleanup_chance')
        return max(1, int(value)) if value else CLEANUP_CHANCE

    def make_cookie(self):
        opts = self._req.get_options()
        name = self._cookie_name()
        if self._secret:
            c = Cookie.SignedCookie(name, self._sid, secret=self._secret)
        else:
            c = Cookie.Cookie(name, self._sid)
        if 'mod_python.session.application_domain' in opts:
            c.domain = opts['mod_python.session.application_domain']
        path = _option(opts, 'mod_python.session.application_path', 'ApplicationPath')
        if path is None:
            # The handler's directory relative to DocumentRoot, if the URI is inside it.
            directory = getattr(self._req.hlist, 'directory', None)
            path = '/'
            if directory and not getattr(self._req.hlist, 'is_location', False):
                docroot = self._req.document_root().rstrip('/')
                if directory.startswith(docroot + '/'):
                    path = directory[len(docroot):]
            if not path or not self._req.uri.startswith(path):
                path = '/'
        c.path = path
        if true_or_false(opts.get('mod_python.session.cookie_secure', 'no')):
            c.secure = True
        if true_or_false(opts.get('mod_python.session.cookie_httponly', 'no')):
            c.httponly = True
        if opts.get('mod_python.session.cookie_samesite'):
            c.samesite = opts['mod_python.session.cookie_samesite']
        return c

    # -- persistence ---------------------------------------------------------------------
    def load(self):
        record = self.do_load()
        if record is None:
            return 0
        if (time.time() - record['_accessed']) > record['_timeout']:
            return 0
        self._created = record['_created']
        self._accessed = record['_accessed']
        self._timeout = record['_timeout']
        self.update(record['_data'])
        return 1

    def save(self):
        if not self._invalid:
            self.do_save({'_data': self.copy(), '_created': self._created,
                          '_accessed': self._accessed, '_timeout': self._timeout})

    def delete(self):
        self.do_delete()
        self.clear()

    def invalidate(self):
        c = self.make_cookie()
        c.expires = 0
        Cookie.add_cookie(self._req, c)
        self.delete()
        self._invalid = 1

    def cleanup(self):
        self.do_cleanup()

    def do_load(self):
        raise NotImplementedError

    def do_save(self, record):
        raise NotImplementedError

    def do_delete(self):
        raise NotImplementedError

    def do_cleanup(self):
        raise NotImplementedError

    # -- locking -----------------------------------------------------------------------
    def init_lock(self):
        pass

    def lock(self):
        if self._lock:
            _apache._global_lock(self._req.server, self._sid)
            self._locked = 1
            self._req.register_cleanup(unlock_session_cleanup, self)

    def unlock(self):
        if self._lock and self._locked:
            _apache._global_unlock(self._req.server, self._sid)
            self._locked = 0

    # -- accessors -----------------------------------------------------------------------
    def is_new(self):
        return bool(self._new)

    def id(self):
        return self._sid

    def created(self):
        return self._created

    def last_accessed(self):
        return self._accessed

    def timeout(self):
        return self._timeout

    def set_timeout(self, secs):
        self._timeout = secs

    def __del__(self):
        try:
            self.unlock()
        except Exception:  # interpreter shutdown or the worker's channel already gone
            pass


# --------------------------------------------------------------------------- server stores

def _server_call(method, args):
    from ._worker import channel
    return channel.server_call(method, args)


class MemorySession(BaseSession):
    """Sessions held by the modpy server, shared by all its worker processes."""

    _store = {'store': 'memory'}

    def __init__(self, req, sid=0, secret=None, timeout=0, lock=1):
        BaseSession.__init__(self, req, sid=sid, secret=secret, timeout=timeout, lock=lock)

    def _args(self, **extra):
        args = dict(self._store)
        args.update(extra)
        return args

    def do_load(self):
        packed = _server_call('session.load', self._args(sid=self._sid))
        if not packed:
            return None
        return pickle.loads(base64.b64decode(packed))

    def do_save(self, record):
        packed = base64.b64encode(pickle.dumps(record, pickle.HIGHEST_PROTOCOL)).decode('ascii')
        _server_call('session.save', self._args(sid=self._sid, data=packed,
                                                timeout=record['_timeout']))

    def do_delete(self):
        _server_call('session.delete', self._args(sid=self._sid))

    def do_cleanup(self):
        self._req.register_cleanup(_store_cleanup, self._args())


def _store_cleanup(args):
    _server_call('session.cleanup', args)


class RedisSession(MemorySession):
    """Sessions in redis (PythonOption mod_python.session.redis_url), through the server."""

    def __init__(self, req, sid=0, secret=None, timeout=0, lock=1):
        url = req.get_options().get('mod_python.session.redis_url', 'redis://127.0.0.1:6379/0')
        self._store = {'store': 'redis', 'url': url}
        MemorySession.__init__(self, req, sid=sid, secret=secret, timeout=timeout, lock=lock)


# --------------------------------------------------------------------------- dbm

def _dbm_cleanup(data):
    filename, server = data
    _apache._global_lock(server, None, 0)
    try:
        with dbm.open(filename, 'c') as db:
            now = time.time()
            expired = []
            for key in db.keys():
                try:
                    record = pickle.loads(db[key])
                    if now - record['_accessed'] > record['_timeout']:
                        expired.append(key)
                except Exception:  # unreadable record: drop it
                    expired.append(key)
            for key in expired:
                del db[key]
    finally:
        _apache._global_unlock(server, None, 0)


class DbmSession(BaseSession):
    """All sessions in one dbm file, every access under global lock 0."""

    def __init__(self, req, dbm=None, sid=0, secret=None, dbmtype=dbm, timeout=0, lock=1):
        if not dbm:
            opts = req.get_options()
            dbm = _option(opts, 'mod_python.dbm_session.database_filename', 'session_dbm')
            if dbm is None:
                directory = _option(opts, 'mod_python.dbm_session.database_directory',
                                    'mod_python.session.database_directory',
                                    'session_directory', default=tempdir)
                dbm = os.path.join(directory, 'mp_sess.dbm')
        self._dbmfile = dbm
        self._dbmtype = dbmtype
        BaseSession.__init__(self, req, sid=sid, secret=secret, timeout=timeout, lock=lock)

    def _with_db(self, action):
        _apache._global_lock(self._req.server, None, 0)
        try:
            db = self._dbmtype.open(self._dbmfile, 'c', stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP)
            try:
                return action(db, self._sid.encode('ascii'))
            finally:
                db.close()
        finally:
            _apache._global_unlock(self._req.server, None, 0)

    def do_load(self):
        return self._with_db(lambda db, k: pickle.loads(db[k]) if k in db else None)

    def do_save(self, record):
        def store(db, k):
            db[k] = pickle.dumps(record)
        self._with_db(store)

    def do_delete(self):
        def remove(db, k):
            if k in db:
                del db[k]
        self._with_db(remove)

    def do_cleanup(self):
        self._req.register_cleanup(_dbm_cleanup, [self._dbmfile, self._req.server])
        self._req.log_error('DbmSession: registered database cleanup.', apache.APLOG_NOTICE)


# --------------------------------------------------------------------------- files

DFT_FAST_CLEANUP = True
DFT_VERIFY_CLEANUP = True
DFT_GRACE_PERIOD = 240
DFT_CLEANUP_TIME_LIMIT = 2
FS_STAT_VERSION = 'MPFS_3.2'


class FileSession(BaseSession):
    """One pickle file per session: <dir>/mp_sess/<first two hex digits>/<sid>."""

    def __init__(self, req, sid=0, secret=None, timeout=0, lock=1, fast_cleanup=-1,
                 verify_cleanup=-1):
        opts = req.get_options()
        if fast_cleanup == -1:
            fast_cleanup = true_or_false(_option(
                opts, 'mod_python.file_session.enable_fast_cleanup', 'session_fast_cleanup',
                default=DFT_FAST_CLEANUP))
        if verify_cleanup == -1:
            verify_cleanup = true_or_false(_option(
                opts, 'mod_python.file_session.verify_session_timeout', 'session_verify_cleanup',
                default=DFT_VERIFY_CLEANUP))
        self._fast_cleanup = fast_cleanup
        self._verify_cleanup = verify_cleanup
        self._grace_period = int(_option(opts, 'mod_python.file_session.cleanup_grace_period',
                                         'session_grace_period', default=DFT_GRACE_PERIOD))
        self._cleanup_time_limit = int(_option(
            opts, 'mod_python.file_session.cleanup_time_limit', 'session_cleanup_time_limit',
            default=DFT_CLEANUP_TIME_LIMIT))
        directory = _option(opts, 'mod_python.file_session.database_directory',
                            'mod_python.session.database_directory', 'session_directory',
                            default=tempdir)
        self._sessdir = os.path.join(directory, 'mp_sess')
        self._cleanup_timeout = timeout or DFT_TIMEOUT
        BaseSession.__init__(self, req, sid=sid, secret=secret, timeout=timeout, lock=lock)

    def _filename(self):
        if not _check_sid(self._sid):  # never build a path from an unchecked id
            raise ValueError('Invalid Session ID: sid=%s' % (self._sid,))
        return os.path.join(self._sessdir, self._sid[:2], self._sid)

    def _lock_file(self):
        # Without the session lock, hold the sid's lock just around the file access.
        if not self._locked:
            _apache._global_lock(self._req.server, self._sid)
            self._locked = 1

    def _unlock_file(self):
        if self._locked and not self._lock:
            _apache._global_unlock(self._req.server, self._sid)
            self._locked = 0

    def do_load(self):
        self._lock_file()
        try:
            filename = self._filename()
            try:
                with open(filename, 'rb') as fp:
                    record = pickle.load(fp)
            except FileNotFoundError:
                return None
            except Exception:
                self._req.log_error('Error while loading a session : %s' % traceback.format_exc())
                return None
            if time.time() - record['_accessed'] <= record['_timeout']:
                os.utime(filename, None)  # a live session is not cleaned up
            return record
        finally:
            self._unlock_file()

    def do_save(self, record):
        self._lock_file()
        try:
            filename = self._filename()
            if not os.path.isdir(os.path.dirname(filename)):
                make_filesession_dirs(self._sessdir)
            _write_in_place(filename, pickle.dumps(record, 2))
        except Exception:
            self._req.log_error('Error while saving a session : %s' % traceback.format_exc())
        finally:
            self._unlock_file()

    def do_delete(self):
        self._lock_file()
        try:
            try:
                os.unlink(self._filename())
            except OSError:
                pass
        finally:
            self._unlock_file()

    def do_cleanup(self):
        data = {'req': self._req, 'sessdir': self._sessdir, 'fast_cleanup': self._fast_cleanup,
                'verify_cleanup': self._verify_cleanup, 'timeout': self._cleanup_timeout,
                'grace_period': self._grace_period,
                'cleanup_time_limit': self._cleanup_time_limit}
        self._req.register_cleanup(filesession_cleanup, data)
        self._req.log_error('FileSession: registered filesession cleanup.', apache.APLOG_NOTICE)


def _write_in_place(filename, data):
    """Overwrites `filename` with `data`, then cuts it to length.

    Not a temporary file renamed over the old one, nor a truncate-then-write: ext4 (the usual
    filesystem) flushes a file that replaces another by rename, or that was truncated to zero,
    when it is closed; that cost 200-300 us per save on the bench machine against ~10 us for
    this. Loads and saves of a sid always hold its lock (_lock_file), so no load sees a save half
    done; and while a shorter record still has the old tail after it, pickle stops reading at
    its STOP opcode. Two things the rename gave that this does not: filesession_cleanup's expiry
    check (verify_cleanup) reads files without the lock, so it may meet a save half done (the
    error is logged and that file is left for the next pass); and a save that fails midway
    (ENOSPC, EIO) leaves a broken record, which the next load logs and replaces with a new
    session, where the rename kept the old one."""
    fd = os.open(filename, os.O_WRONLY | os.O_CREAT, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.ftruncate(fd, len(data))
    finally:
        os.close(fd)


def make_filesession_dirs(sess_dir):
    """Create the 256 sub-directories 00..ff."""
    for i in range(256):
        os.makedirs(os.path.join(sess_dir, '%02x' % i), stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP,
                    exist_ok=True)


def _read_status(sessdir):
    try:
        with open(os.path.join(sessdir, 'fs_status.txt')) as f:
            parts = f.readline().split()
        if parts[0] != FS_STAT_VERSION:
            raise ValueError(parts[0])
        return int(parts[1]), int(parts[2]), int(parts[3]), float(parts[4])
    except (OSError, ValueError, IndexError):
        return 0, 0, 0, 0.0


def _is_expired(filename, now, fast, verify, timeout, grace):
    if fast and now - os.stat(filename).st_mtime < timeout + grace:
        return False
    if fast and not verify:
        return True
    with open(filename, 'rb') as fp:
        record = pickle.load(fp)
    return now - record['_accessed'] > record['_timeout'] + grace


def filesession_cleanup(data):
    """Delete expired session files; resumable (fs_status.txt), one run at a time."""
    req, sessdir = data['req'], data['sessdir']
    lockfile = os.path.join(sessdir, '.mp_sess.lck')
    try:
        os.makedirs(sessdir, exist_ok=True)
        lockfd = os.open(lockfile, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o660)
    except FileExistsError:
        if os.stat(lockfile).st_mtime < time.time() - 3600:
            req.log_error('FileSession cleanup: stale lockfile found - deleting it',
                          apache.APLOG_NOTICE)
            os.remove(lockfile)
        else:
            req.log_error('FileSession cleanup: another process is already running',
                          apache.APLOG_NOTICE)
        return
    try:
        next_i, expired, total, total_time = _read_status(sessdir)
        start = time.time()
        i = next_i
        for i in range(next_i, 256):
            path = os.path.join(sessdir, '%02x' % i)
            names = os.listdir(path) if os.path.isdir(path) else []
            total += len(names)
            for name in names:
                filename = os.path.join(path, name)
                try:
                    if _is_expired(filename, time.time(), data['fast_cleanup'],
                                   data['verify_cleanup'], data['timeout'],
                                   data['grace_period']):
                        os.unlink(filename)
                        expired += 1
                except Exception:
                    req.log_error('FileSession cleanup error: %s' % traceback.format_exc(),
                                  apache.APLOG_NOTICE)
            next_i = (i + 1) % 256
            limit = data['cleanup_time_limit']
            if limit > 0 and time.time() - start > limit:
                break
        total_time += time.time() - start
        if next_i == 0:
            req.log_error('FileSession cleanup: deleted %d of %d in %.4f seconds'
                          % (expired, total, total_time), apache.APLOG_NOTICE)
            expired, total, total_time = 0, 0, 0.0
        with open(os.path.join(sessdir, 'fs_status.txt'), 'w') as f:
            f.write('%s %d %d %d %f\n' % (FS_STAT_VERSION, next_i, expired, total, total_time))
    finally:
        os.close(lockfd)
        try:
            os.unlink(lockfile)
        except OSError:
            pass


# --------------------------------------------------------------------------- factory

_SESSION_TYPES = {
    'MemorySession': MemorySession,
    'DbmSession': DbmSession,
    'FileSession': FileSession,
    'RedisSession': RedisSession,
}


def Session(req, sid=0, secret=None, timeout=0, lock=1):  # noqa: N802 — upstream's name
    """A session of the type named by PythonOption mod_python.session.session_type
    (MemorySession, DbmSession, FileSession, RedisSession); default MemorySession, which
    modpy shares between all worker processes."""
    opts = req.get_options()
    name = _option(opts, 'mod_python.session.session_type', 'session', default='MemorySession')
    cls = _SESSION_TYPES.get(name)
    if cls is None:
        raise Exception('Unknown session type %s (use one of: %s)'
                        % (name, ', '.join(sorted(_SESSION_TYPES))))
    return cls(req, sid=sid, secret=secret, timeout=timeout, lock=lock)
