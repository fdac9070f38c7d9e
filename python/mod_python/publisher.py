"""mod_python.publisher — publish the functions and objects of a Python file at URLs.

Written for modpy, following mod_python 3.5's rules: ``/dir/module.py/func`` (or
``/dir/module/func``, falling back to ``index.py`` and ``index``) calls ``func`` with the form
fields it declares. Security rules kept exactly (CVE-2005-0088): a path segment starting with
``_`` is 403; modules, classes and builtins are neither traversed nor published; other
built-in types (functions, methods, containers) are published but never traversed; a missing
attribute is 404. Pages are executed into private module objects (not in sys.modules) and
re-executed when their file changes, unless ``PythonAutoReload Off``.

Differences from upstream, on purpose (docs/library.md): Basic credentials are decoded with
base64.b64decode (upstream's decodestring is gone, so any credentials gave 400); nested
``__auth__``/``__access__``/``__auth_realm__`` are found by reading the function's bytecode
by instruction name, not by version-specific constant arithmetic; ``bytes`` results are
written as they are (upstream wrote their repr); after a successful ``__auth__`` check
``req.user`` is the authenticated user.
"""

import base64
import binascii
import dis
import functools
import os
import re
import stat
import types

from . import apache, util
from .cache import NOT_INITIALIZED, ModuleCache

# --------------------------------------------------------------------------- page cache


class PageCache(ModuleCache):
    """Page modules by file name; a stat per request decides whether to re-execute.

    Looked up with ``page_cache[req]`` or, from the handler, ``page_cache[(req, st)]`` where
    ``st`` is the stat the handler has just made of req.filename (one stat, not two).
    """

    def key(self, name):
        return (name[0] if type(name) is tuple else name).filename

    def check(self, key, name, entry):
        req, st = name if type(name) is tuple else (name, None)
        if entry._value is not NOT_INITIALIZED and req.get_config().get('PythonAutoReload', '1') == '0':
            return None
        if st is None:
            return ModuleCache.check(self, key, req, entry)
        return self.reopen_if_changed(key, st, entry)

    def build(self, key, name, opened, entry):
        req = name[0] if type(name) is tuple else name
        if req.get_config().get('PythonDebug', '0') == '1':
            verb = 'loading' if entry._value is NOT_INITIALIZED else 'reloading'
            req.log_error('Publisher %s page %s' % (verb, req.filename), apache.APLOG_NOTICE)
        return ModuleCache.build(self, key, req, opened, entry)


page_cache = PageCache()

_ALLOWED_METHODS = ['GET', 'POST', 'HEAD']

# --------------------------------------------------------------------------- handler


@functools.lru_cache(maxsize=64)
def _suffix_matcher(suffixes):
    """Regex removing any of the handler extensions from the end of a file name."""
    return re.compile('|'.join(r'\.%s$' % re.escape(s.lstrip('.')) for s in suffixes if s.lstrip('.')))


def _regular_file(path):
    """os.stat(path) when path is a regular file, else None."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st if stat.S_ISREG(st.st_mode) else None


# URL facts → the two candidate pages, worked out once per distinct request shape (the file
# system is still asked on every request: which candidate exists can change).
@functools.lru_cache(maxsize=512)
def _candidates(filename, path_info, exts, extension):
    """((page file, dotted path), (index.py, dotted path)) for the request's URL facts."""
    directory, module_name = os.path.split(filename)
    if not module_name:
        module_name = 'index'
    suffixes = ('py', *exts.split(), *((extension[1:],) if extension else ()))
    module_name = _suffix_matcher(suffixes).sub('', module_name)
    func_path = ''
    if path_info:
        func_path = path_info[1:]
        if func_path.endswith('/'):
            func_path = func_path[:-1]
    index_path = module_name + '/' + func_path if func_path else module_name
    return (
        (os.path.normpath(os.path.join(directory, module_name + '.py')),
         (func_path or 'index').replace('/', '.')),
        (os.path.normpath(os.path.join(directory, 'index.py')), index_path.replace('/', '.')),
    )


def _module_and_path(req):
    """(module file, dotted object path, its stat) for the request, or SERVER_RETURN(404)."""
    for filename, func_path in _candidates(req.filename, req.path_info,
                                           req.get_addhandler_exts(), req.extension):
        st = _regular_file(filename)
        if st is not None:
            return filename, func_path, st
    raise apache.SERVER_RETURN(apache.HTTP_NOT_FOUND)


def handler(req):
    req.allow_methods(_ALLOWED_METHODS)
    if req.method not in _ALLOWED_METHODS:
        raise apache.SERVER_RETURN(apache.HTTP_METHOD_NOT_ALLOWED)
    filename, func_path, st = _module_and_path(req)
    if filename != req.filename:
        # (Setting the same name again would only send it back to the server unchanged.)
        req.filename = filename
    module = page_cache[(req, st)]
    realm, user, passwd = process_auth(req, module)
    obj = resolve_object(req, module, func_path, realm, user, passwd)
    published = publish_object(req, obj)
    if not published and req._bytes_queued == 0 and req.next is None:
        if req.get_config().get('PythonDebug', '0') == '1':
            req.log_error('mod_python.publisher: nothing to publish.')
    return apache.OK


# --------------------------------------------------------------------------- authentication

_AUTH_NAMES = ('__auth__', '__access__', '__auth_realm__')
# code object → {name: value}. A plain dict, bounded (cleared when full), not a
# WeakKeyDictionary: its Python-level lookup made a weak reference on every published call. The
# keys compare as before (code objects by value); the values held the code alive before too
# (a nested __auth__ function's globals lead back to it).
_nested_cache = {}
_NESTED_CACHE_MAX = 1024
_NO_NESTED = types.MappingProxyType({})  # (read-only: it is shared by every such function)


def _nested_auth(func):
    """Values that a function body assigns to __auth__/__access__/__auth_realm__.

    The body is not run: its bytecode is read instruction by instruction (by opname) and the
    simple right-hand sides are evaluated — constants, list/tuple/set/dict displays of
    constants, globals, and nested ``def``s (which become functions with the page's
    globals). This is what upstream did with constant-index arithmetic that broke with each
    Python release.
    """
    code = func.__code__
    found = _nested_cache.get(code)
    if found is not None:
        return found
    local_names = code.co_varnames + code.co_cellvars + code.co_names
    if not any(name in local_names for name in _AUTH_NAMES):
        found = _NO_NESTED
    else:
        found = _evaluate_assignments(code, func.__globals__)
    if len(_nested_cache) >= _NESTED_CACHE_MAX:
        _nested_cache.clear()  # many distinct functions (pages reloaded often): start over
    _nested_cache[code] = found
    return found


def _evaluate_assignments(code, func_globals):
    found = {}
    stack = []
    builtins = func_globals.get('__builtins__', {})
    if isinstance(builtins, types.ModuleType):
        builtins = builtins.__dict__
    for ins in dis.get_instructions(code):
        op, arg = ins.opname, ins.arg
        try:
            if op in ('LOAD_CONST', 'LOAD_SMALL_INT'):
                stack.append(ins.argval)
            elif op in ('LOAD_GLOBAL', 'LOAD_NAME'):
                name = ins.argval
                stack.append(func_globals[name] if name in func_globals else builtins[name])
            elif op == 'LOAD_CLOSURE':
                stack.append(types.CellType())
            elif op in ('BUILD_LIST', 'BUILD_TUPLE', 'BUILD_SET'):
                items = stack[len(stack) - arg:] if arg else []
                del stack[len(stack) - arg:]
                kind = {'BUILD_LIST': list, 'BUILD_TUPLE': tuple, 'BUILD_SET': set}[op]
                stack.append(kind(items))
            elif op == 'BUILD_MAP':
                flat = stack[len(stack) - 2 * arg:] if arg else []
                del stack[len(stack) - 2 * arg:]
                stack.append(dict(zip(flat[::2], flat[1::2])))
            elif op == 'BUILD_CONST_KEY_MAP':
                keys = stack.pop()
                values = stack[len(stack) - arg:]
                del stack[len(stack) - arg:]
                stack.append(dict(zip(keys, values)))
            elif op in ('LIST_EXTEND', 'SET_UPDATE', 'DICT_UPDATE'):
                extra = stack.pop()
                target = stack[-arg]
                target.update(extra) if hasattr(target, 'update') else target.extend(extra)
            elif op == 'MAKE_FUNCTION':
                stack.append(_make_function(stack, arg or 0, func_globals))
            elif op == 'SET_FUNCTION_ATTRIBUTE':
                fn = stack.pop()
                value = stack.pop()
                stack.append(_set_function_attribute(fn, arg, value))
            elif op in ('STORE_FAST', 'STORE_NAME', 'STORE_DEREF', 'STORE_GLOBAL'):
                value = stack.pop()
                if ins.argval in _AUTH_NAMES and ins.argval not in found:
                    found[ins.argval] = value
                stack.clear()
            elif op in ('RESUME', 'NOP', 'CACHE', 'PUSH_NULL', 'MAKE_CELL', 'COPY_FREE_VARS',
                        'EXTENDED_ARG', 'NOT_TAKEN'):
                continue
            else:
                stack.clear()  # something we do not model: forget what we knew
        except (IndexError, KeyError, TypeError, AttributeError):
            stack.clear()
    return found


def _make_function(stack, flags, func_globals):
    code = stack.pop()
    if isinstance(code, str):  # Python <= 3.10 pushed the qualified name last
        code = stack.pop()
    if not isinstance(code, types.CodeType):
        raise TypeError('not a code object')
    closure = stack.pop() if flags & 0x08 else None
    if flags & 0x04:
        stack.pop()  # annotations
    kwdefaults = stack.pop() if flags & 0x02 else None
    defaults = stack.pop() if flags & 0x01 else None
    if code.co_freevars and not closure:
        closure = tuple(types.CellType() for _ in code.co_freevars)
    fn = types.FunctionType(code, func_globals, code.co_name, defaults, closure)
    if kwdefaults:
        fn.__kwdefaults__ = kwdefaults
    return fn


def _set_function_attribute(fn, flag, value):
    if flag == 0x01:
        fn.__defaults__ = value
    elif flag == 0x02:
        fn.__kwdefaults__ = value
    elif flag == 0x08:
        fn = types.FunctionType(fn.__code__, fn.__globals__, fn.__name__, fn.__defaults__, value)
    return fn


def _basic_credentials(req):
    """(user, password) from an Authorization: Basic header; (None, None) for other schemes;
    400 when the Basic credentials are malformed."""
    header = req.headers_in.get('Authorization')
    if not header:
        return None, None
    scheme, _, token = header.strip().partition(' ')
    if scheme.lower() != 'basic':
        return None, None
    try:
        raw = base64.b64decode(token.strip(), validate=True)
        try:
            text = raw.decode('utf-8')
        except UnicodeDecodeError:
            text = raw.decode('latin-1')
        user, passwd = text.split(':', 1)
    except (binascii.Error, ValueError):
        raise apache.SERVER_RETURN(apache.HTTP_BAD_REQUEST)
    return user, passwd


def process_auth(req, object, realm='unknown', user=None, passwd=None):  # noqa: A002
    """Apply the __auth__/__access__/__auth_realm__ found on (or inside) ``object``."""
    found_auth = found_access = False
    auth = access = None
    kind = type(object)
    if kind is types.ModuleType or kind is types.FunctionType:
        # A plain module or function has these names only in its __dict__: looked up there,
        # without the AttributeError each miss of hasattr() builds (pages, published functions).
        own = object.__dict__
        if kind is types.ModuleType and '__getattr__' in own:
            own = None  # a module __getattr__ may answer: ask it the ordinary way
    else:
        own = None
    if own is not None:
        if '__auth_realm__' in own:
            realm = own['__auth_realm__']
    elif hasattr(object, '__auth_realm__'):
        realm = object.__auth_realm__
    func = object.__func__ if isinstance(object, types.MethodType) else object
    if own is not None and kind is types.ModuleType:
        if '__auth__' in own:
            found_auth, auth = True, own['__auth__']
        if '__access__' in own:
            found_access, access = True, own['__access__']
    elif isinstance(func, types.FunctionType):
        nested = _nested_auth(func)
        if nested is not _NO_NESTED:  # (most functions assign none of the names)
            found_auth, auth = '__auth__' in nested, nested.get('__auth__')
            found_access, access = '__access__' in nested, nested.get('__access__')
            realm = nested.get('__auth_realm__', realm)
    else:
        if hasattr(object, '__auth__'):
            found_auth, auth = True, object.__auth__
        if hasattr(object, '__access__'):
            found_access, access = True, object.__access__

    if (found_auth or found_access) and not user:
        user, passwd = _basic_credentials(req)

    if found_auth:
        if not user:
            _unauthorized(req, realm)
        if callable(auth):
            ok = auth(req, user, passwd)
        elif isinstance(auth, dict):
            ok = user in auth and auth[user] == passwd
        else:
            ok = auth
        if not ok:
            _unauthorized(req, realm)
        # The page (and the access log's %u) can see who authenticated.
        req.user = user

    if found_access:
        if callable(access):
            ok = access(req, user)
        elif isinstance(access, (list, tuple, set, frozenset)):
            ok = user in access
        else:
            ok = access
        if not ok:
            raise apache.SERVER_RETURN(apache.HTTP_FORBIDDEN)
    return realm, user, passwd


def _unauthorized(req, realm):
    req.err_headers_out['WWW-Authenticate'] = 'Basic realm="%s"' % realm
    raise apache.SERVER_RETURN(apache.HTTP_UNAUTHORIZED)


# --------------------------------------------------------------------------- traversal rules

# type → (traversable, publishable). Every type of the `types` module: published, never
# traversed; modules, builtins and classes: neither; anything else (instances of user
# classes, typically): both.
tp_rules = {}
for _t in vars(types).values():
    if isinstance(_t, type):
        tp_rules[_t] = (False, True)
tp_rules.update({
    types.ModuleType: (False, False),
    types.BuiltinFunctionType: (False, False),
    type: (False, False),
    types.GeneratorType: (False, True),
})
for _t in (dict, list, tuple, set, frozenset, str, bytes, int, float, bool):
    tp_rules.setdefault(_t, (False, True))
default_tp_rule = (True, True)
del _t


def _rule(obj):
    if isinstance(obj, type):  # classes, metaclasses included
        return tp_rules[type]
    return tp_rules.get(type(obj), default_tp_rule)


def resolve_object(req, obj, object_str, realm=None, user=None, passwd=None):
    """Walk the dotted path from the module, applying the security rules at each step."""
    first = True
    for part in object_str.split('.'):
        if not part:
            raise apache.SERVER_RETURN(apache.HTTP_NOT_FOUND)
        if part[0] == '_':
            req.log_error('Cannot traverse %s in %s because it starts with an underscore'
                          % (part, req.unparsed_uri), apache.APLOG_WARNING)
            raise apache.SERVER_RETURN(apache.HTTP_FORBIDDEN)
        if first:
            first = False
        elif not _rule(obj)[0]:
            req.log_error('Cannot traverse %s in %s because %s is not a traversable object'
                          % (part, req.unparsed_uri, _describe(obj)), apache.APLOG_WARNING)
            raise apache.SERVER_RETURN(apache.HTTP_FORBIDDEN)
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise apache.SERVER_RETURN(apache.HTTP_NOT_FOUND)
        realm, user, passwd = process_auth(req, obj, realm, user, passwd)
    if not _rule(obj)[1]:
        req.log_error('Cannot publish %s in %s because %s is not publishable'
                      % (object_str, req.unparsed_uri, _describe(obj)), apache.APLOG_WARNING)
        raise apache.SERVER_RETURN(apache.HTTP_FORBIDDEN)
    return obj


def _describe(obj):
    return '<%s object>' % type(obj).__name__


# --------------------------------------------------------------------------- output

_re_html = re.compile(r'</HTML\s*>\s*$', re.I)


def publish_object(req, obj):
    """Call callables with the form (recursively publishing the result), write the rest."""
    if type(obj) is str:  # the usual result: none of the checks below applies
        result, text = obj, obj[-100:]
    else:
        if callable(obj) and not isinstance(obj, type):
            form = getattr(req, 'form', None)
            if not isinstance(form, util.FieldStorage):
                form = req.form = util.FieldStorage(req, keep_blank_values=1)
            return publish_object(req, util.apply_fs_data(obj, form, req=req))
        if isinstance(obj, type):
            raise apache.SERVER_RETURN(apache.HTTP_FORBIDDEN)
        if obj is None:
            return False
        if isinstance(obj, (bytes, bytearray)):
            result, text = bytes(obj), bytes(obj[-100:]).decode('latin-1')
        else:
            result = str(obj)
            text = result[-100:]
    if not getattr(req, '_content_type_set', 0):
        req.content_type = 'text/html' if _re_html.search(text) else 'text/plain'
    # No flush: the server then knows the whole body and sends Content-Length.
    req.write(result, 0)
    return True
