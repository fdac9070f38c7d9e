"""mod_python.apache: constants, SERVER_RETURN and the module-level functions handlers use
(spec §4.1). Everything here works the same inside any modpy worker."""

import sys

from mod_python import _apache
from mod_python._worker import state
from mod_python._worker.cgi import CGIStdin, CGIStdout, build_cgi_env, restore_nocgi, setup_cgi  # noqa: F401
from mod_python._worker.importer import import_module, module_mtime, resolve_object  # noqa: F401

# Code written for mod_python imports the C module by its bare name.
sys.modules.setdefault("_apache", _apache)

# --- functions (same objects as _apache's, as upstream aliases them) -----------------------
log_error = _apache.log_error
table = _apache.table
make_table = _apache.table
config_tree = _apache.config_tree
server_root = _apache.server_root
mpm_query = _apache.mpm_query
exists_config_define = _apache.exists_config_define
stat = _apache.stat
parse_qs = _apache.parse_qs
parse_qsl = _apache.parse_qsl
SERVER_RETURN = _apache.SERVER_RETURN
# Cross-process locks (served by the modpy server, so all workers share them).
_global_lock = _apache._global_lock
_global_trylock = _apache._global_trylock
_global_unlock = _apache._global_unlock


def register_cleanup(callback, data=None):
    """Run callback(data) when this worker process exits (do not pass req)."""
    _apache.register_cleanup(state.interpreter, state.main_server, callback, data)


def init(name, server):
    """Upstream's start-up hook; modpy's worker sets these itself (kept for old callers)."""
    global interpreter, main_server
    interpreter = state.interpreter = name
    main_server = state.main_server = server
    sys.argv = ["mod_python"]


def __getattr__(name):
    # interpreter/main_server are set by worker_init after this module may have been imported.
    if name == "interpreter":
        return state.interpreter
    if name == "main_server":
        return state.main_server
    raise AttributeError("module 'mod_python.apache' has no attribute '%s'" % name)


# --- result codes ---------------------------------------------------------------------------
OK = REQ_PROCEED = 0
DECLINED = REQ_NOACTION = -1
DONE = -2

# --- HTTP status codes ----------------------------------------------------------------------
HTTP_CONTINUE = 100
HTTP_SWITCHING_PROTOCOLS = 101
HTTP_PROCESSING = 102
HTTP_OK = 200
HTTP_CREATED = 201
HTTP_ACCEPTED = 202
HTTP_NON_AUTHORITATIVE = 203
HTTP_NO_CONTENT = 204
HTTP_RESET_CONTENT = 205
HTTP_PARTIAL_CONTENT = 206
HTTP_MULTI_STATUS = 207
HTTP_MULTIPLE_CHOICES = 300
HTTP_MOVED_PERMANENTLY = 301
HTTP_MOVED_TEMPORARILY = 302
HTTP_SEE_OTHER = 303
HTTP_NOT_MODIFIED = 304
HTTP_USE_PROXY = 305
HTTP_TEMPORARY_REDIRECT = 307
HTTP_BAD_REQUEST = 400
HTTP_UNAUTHORIZED = 401
HTTP_PAYMENT_REQUIRED = 402
HTTP_FORBIDDEN = 403
HTTP_NOT_FOUND = 404
HTTP_METHOD_NOT_ALLOWED = 405
HTTP_NOT_ACCEPTABLE = 406
HTTP_PROXY_AUTHENTICATION_REQUIRED = 407
HTTP_REQUEST_TIME_OUT = 408
HTTP_CONFLICT = 409
HTTP_GONE = 410
HTTP_LENGTH_REQUIRED = 411
HTTP_PRECONDITION_FAILED = 412
HTTP_REQUEST_ENTITY_TOO_LARGE = 413
HTTP_REQUEST_URI_TOO_LARGE = 414
HTTP_UNSUPPORTED_MEDIA_TYPE = 415
HTTP_RANGE_NOT_SATISFIABLE = 416
HTTP_EXPECTATION_FAILED = 417
HTTP_IM_A_TEAPOT = 418
HTTP_UNPROCESSABLE_ENTITY = 422
HTTP_LOCKED = 423
HTTP_FAILED_DEPENDENCY = 424
HTTP_UPGRADE_REQUIRED = 426
HTTP_INTERNAL_SERVER_ERROR = 500
HTTP_NOT_IMPLEMENTED = 501
HTTP_BAD_GATEWAY = 502
HTTP_SERVICE_UNAVAILABLE = 503
HTTP_GATEWAY_TIME_OUT = 504
HTTP_VERSION_NOT_SUPPORTED = 505
HTTP_VARIANT_ALSO_VARIES = 506
HTTP_INSUFFICIENT_STORAGE = 507
HTTP_NOT_EXTENDED = 510

# --- log levels (syslog values) -------------------------------------------------------------
APLOG_EMERG = 0
APLOG_ALERT = 1
APLOG_CRIT = 2
APLOG_ERR = 3
APLOG_WARNING = 4
APLOG_NOTICE = 5
APLOG_INFO = 6
APLOG_DEBUG = 7
APLOG_NOERRNO = 0  # deprecated, kept for old code

# --- get_remote_host types ------------------------------------------------------------------
REMOTE_HOST = 0
REMOTE_NAME = 1
REMOTE_NOLOOKUP = 2
REMOTE_DOUBLE_REV = 3

# --- legacy -----------------------------------------------------------------------------------
REQ_ABORTED = HTTP_INTERNAL_SERVER_ERROR
REQ_EXIT = "REQ_EXIT"

# --- req.finfo indexes ----------------------------------------------------------------------
(FINFO_MODE, FINFO_INO, FINFO_DEV, FINFO_NLINK, FINFO_UID, FINFO_GID, FINFO_SIZE, FINFO_ATIME,
 FINFO_MTIME, FINFO_CTIME, FINFO_FNAME, FINFO_NAME, FINFO_FILETYPE) = range(13)

# --- req.parsed_uri indexes -----------------------------------------------------------------
(URI_SCHEME, URI_HOSTINFO, URI_USER, URI_PASSWORD, URI_HOSTNAME, URI_PORT, URI_PATH, URI_QUERY,
 URI_FRAGMENT) = range(9)

# --- req.proxyreq ---------------------------------------------------------------------------
PROXYREQ_NONE = 0
PROXYREQ_PROXY = 1
PROXYREQ_REVERSE = 2
PROXYREQ_RESPONSE = 3

# --- method numbers -------------------------------------------------------------------------
(M_GET, M_PUT, M_POST, M_DELETE, M_CONNECT, M_OPTIONS, M_TRACE, M_PATCH, M_PROPFIND,
 M_PROPPATCH, M_MKCOL, M_COPY, M_MOVE, M_LOCK, M_UNLOCK, M_VERSION_CONTROL, M_CHECKOUT,
 M_UNCHECKOUT, M_CHECKIN, M_UPDATE, M_LABEL, M_REPORT, M_MKWORKSPACE, M_MKACTIVITY,
 M_BASELINE_CONTROL, M_MERGE, M_INVALID) = range(27)

# --- req.used_path_info ---------------------------------------------------------------------
AP_REQ_ACCEPT_PATH_INFO = 0
AP_REQ_REJECT_PATH_INFO = 1
AP_REQ_DEFAULT_PATH_INFO = 2

# --- mpm_query ------------------------------------------------------------------------------
AP_MPMQ_NOT_SUPPORTED = 0
AP_MPMQ_STATIC = 1
AP_MPMQ_DYNAMIC = 2
AP_MPMQ_MAX_DAEMON_USED = 1
AP_MPMQ_IS_THREADED = 2
AP_MPMQ_IS_FORKED = 3
AP_MPMQ_HARD_LIMIT_DAEMONS = 4
AP_MPMQ_HARD_LIMIT_THREADS = 5
AP_MPMQ_MAX_THREADS = 6
AP_MPMQ_MIN_SPARE_DAEMONS = 7
AP_MPMQ_MIN_SPARE_THREADS = 8
AP_MPMQ_MAX_SPARE_DAEMONS = 9
AP_MPMQ_MAX_SPARE_THREADS = 10
AP_MPMQ_MAX_REQUESTS_DAEMON = 11
AP_MPMQ_MAX_DAEMONS = 12

# --- magic MIME types -----------------------------------------------------------------------
CGI_MAGIC_TYPE = "application/x-httpd-cgi"
INCLUDES_MAGIC_TYPE = "text/x-server-parsed-html"
INCLUDES_MAGIC_TYPE3 = "text/x-server-parsed-html3"
DIR_MAGIC_TYPE = "httpd/unix-directory"

# --- req.read_body --------------------------------------------------------------------------
REQUEST_NO_BODY = 0
REQUEST_CHUNKED_ERROR = 1
REQUEST_CHUNKED_DECHUNK = 2

# --- connection keepalive -------------------------------------------------------------------
AP_CONN_UNKNOWN = _apache.AP_CONN_UNKNOWN
AP_CONN_CLOSE = _apache.AP_CONN_CLOSE
AP_CONN_KEEPALIVE = _apache.AP_CONN_KEEPALIVE

# --- finfo file types -----------------------------------------------------------------------
APR_NOFILE = _apache.APR_NOFILE
APR_REG = _apache.APR_REG
APR_DIR = _apache.APR_DIR
APR_CHR = _apache.APR_CHR
APR_BLK = _apache.APR_BLK
APR_PIPE = _apache.APR_PIPE
APR_LNK = _apache.APR_LNK
APR_SOCK = _apache.APR_SOCK
APR_UNKFILE = _apache.APR_UNKFILE

MODULE_MAGIC_NUMBER_MAJOR = _apache.MODULE_MAGIC_NUMBER_MAJOR
MODULE_MAGIC_NUMBER_MINOR = _apache.MODULE_MAGIC_NUMBER_MINOR

# --- apache.stat() wanted flags -------------------------------------------------------------
APR_FINFO_LINK = 0x00000001
APR_FINFO_MTIME = 0x00000010
APR_FINFO_CTIME = 0x00000020
APR_FINFO_ATIME = 0x00000040
APR_FINFO_SIZE = 0x00000100
APR_FINFO_CSIZE = 0x00000200
APR_FINFO_DEV = 0x00001000
APR_FINFO_INODE = 0x00002000
APR_FINFO_NLINK = 0x00004000
APR_FINFO_TYPE = 0x00008000
APR_FINFO_USER = 0x00010000
APR_FINFO_GROUP = 0x00020000
APR_FINFO_UPROT = 0x00100000
APR_FINFO_GPROT = 0x00200000
APR_FINFO_WPROT = 0x00400000
APR_FINFO_ICASE = 0x01000000
APR_FINFO_NAME = 0x02000000
APR_FINFO_MIN = 0x00008170
APR_FINFO_IDENT = 0x00003000
APR_FINFO_OWNER = 0x00030000
APR_FINFO_PROT = 0x00700000
APR_FINFO_NORM = 0x0073B170
APR_FINFO_DIRENT = 0x02000000
