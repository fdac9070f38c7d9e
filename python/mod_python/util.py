"""mod_python.util — form data (FieldStorage), query strings, redirect and apply_fs_data.

Written for modpy. Differences from mod_python 3.5 on Python 3, on purpose (docs/library.md):
* parse_qsl keeps keys of any length (upstream corrupts keys of <= 3 characters, #117/#144);
* names and values of urlencoded POST fields are ``str``, as from the query string; upstream
  gives ``bytes`` there, so published functions never received them (multipart parts keep
  upstream's types: ``str`` names, ``bytes`` values, ``str`` file names);
* option dictionaries of multipart parts accept ``str`` and ``bytes`` keys.
"""

import collections.abc
import io
import tempfile
from types import FunctionType, MethodType
from urllib.parse import unquote, unquote_to_bytes

from . import apache
from ._multipart import MultipartReader

# Upstream's read size for form bodies (its name is kept: some code tunes it).
readBlockSize = 65368

_MethodWrapper = type(object.__call__)
_CO_VARKEYWORDS = 0x08


def _text(raw):
    """bytes from the wire → str: UTF-8 when valid (what browsers send), else latin-1."""
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode('utf-8')
    except UnicodeDecodeError:
        return raw.decode('latin-1')


# --------------------------------------------------------------------------- query strings

def parse_qsl(qs, keep_blank_values=0, strict_parsing=0):
    """Split a query string into (name, value) pairs, in order.

    ``&`` and ``;`` separate pairs, ``+`` is a space, ``%XX`` is unescaped. A pair without
    ``=`` or with an empty value is dropped unless keep_blank_values. ``str`` in → ``str`` out
    (UTF-8), ``bytes`` in → ``bytes`` out. With strict_parsing a pair without ``=`` raises
    ValueError.
    """
    is_bytes = isinstance(qs, (bytes, bytearray))
    if is_bytes:
        qs = bytes(qs)
        amp, semi, eq, plus, space = b'&', b';', b'=', b'+', b' '
    elif isinstance(qs, str):
        amp, semi, eq, plus, space = '&', ';', '=', '+', ' '
    else:
        raise TypeError('parse_qsl() argument must be str or bytes, not %s' % type(qs).__name__)
    pairs = []
    for chunk in qs.replace(semi, amp).split(amp):
        if not chunk:
            continue
        name, has_eq, value = chunk.partition(eq)
        if not has_eq:
            if strict_parsing:
                raise ValueError('bad query field: %r' % (chunk,))
            if not keep_blank_values:
                continue
        if not value and not keep_blank_values:
            continue
        name = name.replace(plus, space)
        value = value.replace(plus, space)
        if is_bytes:
            pairs.append((unquote_to_bytes(name), unquote_to_bytes(value)))
        else:
            pairs.append((unquote(name, errors='replace'), unquote(value, errors='replace')))
    return pairs


def parse_qs(qs, keep_blank_values=0, strict_parsing=0):
    """Like parse_qsl, as a dict name → list of values."""
    result = {}
    for name, value in parse_qsl(qs, keep_blank_values, strict_parsing):
        result.setdefault(name, []).append(value)
    return result


def parse_header(line):
    """Parse a Content-Type-like header value.

    Returns (main value lower-cased, {parameter name lower-cased: value}); quotes around a
    value are removed. Given ``bytes`` (upstream's contract) the main value and names are
    bytes and values latin-1 ``str``; given ``str`` everything is ``str``.
    """
    if isinstance(line, str):
        as_bytes = False
        line = line.encode('latin-1', 'replace')
    elif isinstance(line, (bytes, bytearray)):
        as_bytes = True
        line = bytes(line)
    else:
        raise TypeError('parse_header() accepts bytes or str')
    parts = _split_params(line)
    key = parts[0].strip().lower()
    params = {}
    for part in parts[1:]:
        name, has_eq, value = part.partition(b'=')
        if not has_eq:
            continue
        name = name.strip().lower()
        value = value.strip()
        if len(value) >= 2 and value[:1] == value[-1:] == b'"':
            value = value[1:-1].replace(b'\\\\', b'\\').replace(b'\\"', b'"')
        params[name if as_bytes else name.decode('latin-1')] = value.decode('latin-1')
    return (key if as_bytes else key.decode('latin-1')), params


def _split_params(line):
    """Split on ';' outside double quotes (a filename may contain ';')."""
    parts, start, quoted, i = [], 0, False, 0
    while i < len(line):
        ch = line[i:i + 1]
        if ch == b'\\' and quoted:
            i += 2
            continue
        if ch == b'"':
            quoted = not quoted
        elif ch == b';' and not quoted:
            parts.append(line[start:i])
            start = i + 1
        i += 1
    parts.append(line[start:])
    return parts


class _Options(dict):
    """Header parameters keyed by str; ``bytes`` keys (upstream's on Python 3) work too."""

    @staticmethod
    def _k(key):
        return key.decode('latin-1') if isinstance(key, (bytes, bytearray)) else key

    def __getitem__(self, key):
        return dict.__getitem__(self, self._k(key))

    def __contains__(self, key):
        return dict.__contains__(self, self._k(key))

    def get(self, key, default=None):
        return dict.get(self, self._k(key), default)


# --------------------------------------------------------------------------- fields

class Field:
    """A form field backed by a file: file uploads (``filename`` set)."""

    def __init__(self, name, *args, **kwargs):
        self.name = name
        self.filename = None
        self.file = None
        self.type = None
        self.type_options = _Options()
        self.disposition = None
        self.disposition_options = _Options()
        self.headers = {}
        if args or kwargs:
            # Old third-party code (Trac) builds Fields with these positional arguments.
            self._legacy_init(*args, **kwargs)

    def _legacy_init(self, file, ctype, type_options, disp, disp_options, headers=None):
        self.file = file
        self.type = ctype
        self.type_options = type_options
        self.disposition = disp
        self.disposition_options = disp_options
        self.filename = disp_options.get('filename') if disp_options else None
        self.headers = headers if headers is not None else {}

    @property
    def value(self):
        """The whole content as bytes (reads the file; fine for small uploads only)."""
        if self.file is None:
            return None
        self.file.seek(0)
        data = self.file.read()
        self.file.seek(0)
        return data

    def __repr__(self):
        return 'Field(%r, %r)' % (self.name, self.filename if self.filename else self.value)

    def __del__(self):
        file = getattr(self, 'file', None)
        if file is not None:
            try:
                file.close()
            except Exception:  # a user file_callback object may not close cleanly
                pass


class StringField(bytes):
    """An ordinary form field: bytes (the UTF-8 encoding of the value) with cgi-like
    attributes. ``.value`` is the value as given (``str`` for parsed form data)."""

    filename = None
    headers = {}
    type = 'text/plain'
    ctype = 'text/plain'
    type_options = {}
    disposition = None
    disposition_options = {}
    disp_options = None
    name = None

    def __new__(cls, value):
        if isinstance(value, str):
            return bytes.__new__(cls, value.encode('utf-8'))
        return bytes.__new__(cls, value)

    def __init__(self, value):
        self.value = value

    def __getattr__(self, attr):
        if attr != 'file':
            raise AttributeError(attr)
        self.file = io.BytesIO(bytes(self))
        return self.file

    def __repr__(self):
        return 'Field(%r, %r)' % (self.name, self.value)


class FieldList(list):
    """The fields in submission order, with a lazily built name → [fields] index."""

    _index = None  # (a class default: FieldStorage makes one per request, most stay empty)

    def table(self):
        if self._index is None:
            index = {}
            for item in self:
                index.setdefault(item.name, []).append(item)
            self._index = index
        return self._index


def _invalidating(name):
    """A list method that also drops FieldList's name index (the list changed)."""
    base = getattr(list, name)

    def method(self, *args):
        self._index = None
        return base(self, *args)
    method.__name__ = name
    return method


for _name in ('__delitem__', '__setitem__', '__iadd__', '__imul__', 'append', 'extend', 'insert',
              'pop', 'remove', 'clear', 'sort', 'reverse'):
    setattr(FieldList, _name, _invalidating(_name))
del _name


# --------------------------------------------------------------------------- FieldStorage

class FieldStorage:
    """The form data of a request: query string always, the body for POST.

    Reads the whole body when created: make one per request (publisher and PSP keep it as
    ``req.form``). File parts are spooled to temporary files, never held in memory.
    """

    def __init__(self, req, keep_blank_values=0, strict_parsing=0, file_callback=None,
                 field_callback=None):
        self.list = FieldList()
        if req.args:
            for name, value in parse_qsl(req.args, keep_blank_values):
                self.add_field(name, value)
        if req.method != 'POST':
            return
        try:
            clen = int(req.headers_in['content-length'])
            if clen < 0:
                raise ValueError(clen)
        except (KeyError, ValueError, TypeError):
            raise apache.SERVER_RETURN(apache.HTTP_LENGTH_REQUIRED)
        ctype = req.headers_in.get('content-type') or 'application/x-www-form-urlencoded'
        if isinstance(ctype, bytes):
            ctype = ctype.decode('latin-1')
        main_type, params = parse_header(ctype)
        if main_type == 'application/x-www-form-urlencoded':
            body = _read_exactly(req, clen)
            for name, value in parse_qsl(body, keep_blank_values):
                self.add_field(_text(name), _text(value))
        elif main_type.startswith('multipart/'):
            boundary = params.get('boundary')
            if not boundary:
                raise apache.SERVER_RETURN(apache.HTTP_BAD_REQUEST)
            reader = MultipartReader(req, boundary.encode('latin-1'), clen, readBlockSize)
            for meta, file in reader.parts(lambda headers: self._open_part(headers, file_callback,
                                                                           field_callback)):
                self.list.append(_make_field(meta, file))
        else:
            raise apache.SERVER_RETURN(apache.HTTP_NOT_IMPLEMENTED)

    @staticmethod
    def _open_part(headers, file_callback, field_callback):
        """Called by the multipart reader with a part's headers: returns (field, file)."""
        disp, disp_opts = 'form-data', _Options()
        ctype, type_opts = 'text/plain', _Options()
        table = apache.make_table()
        for name, value in headers:
            table.add(name, value)
            lname = name.lower()
            if lname == 'content-disposition':
                disp, opts = parse_header(value)
                disp_opts = _Options((k, _text(v.encode('latin-1'))) for k, v in opts.items())
            elif lname == 'content-type':
                ctype, opts = parse_header(value)
                type_opts = _Options(opts)
                if '/' not in ctype:
                    # IE 6 sent binary rubbish as the type of files without a suffix.
                    ctype = 'application/octet-stream'
        name = disp_opts.get('name')
        filename = disp_opts.get('filename')
        if filename is not None:
            if callable(file_callback):
                file = file_callback(filename)
            elif filename:
                file = tempfile.TemporaryFile('w+b')
            else:
                file = io.BytesIO()  # a file input left empty: becomes an ordinary field
        elif callable(field_callback):
            file = field_callback()
        else:
            file = io.BytesIO()
        meta = dict(name=name, filename=filename, type=ctype, type_options=type_opts,
                    disposition=disp, disposition_options=disp_opts, headers=table)
        return meta, file

    # -- building ----------------------------------------------------------------------
    def add_field(self, key, value):
        """Append a field (key and value as given)."""
        item = StringField(value)
        item.name = key
        self.list.append(item)

    def __setitem__(self, key, value):
        if not isinstance(value, (str, bytes)):
            raise TypeError('field value must be str or bytes')
        if key in self.list.table():
            del self[key]
        self.add_field(key, value)

    def __delitem__(self, key):
        for item in self.list.table()[key]:
            self.list.remove(item)

    def clear(self):
        self.list = FieldList()

    # -- mapping API ---------------------------------------------------------------------
    def __getitem__(self, key):
        found = self.list.table()[key]
        return found[0] if len(found) == 1 else found

    def get(self, key, default=None):
        try:
            return self[key]
        except (KeyError, TypeError):
            return default

    def getfirst(self, key, default=None):
        found = self.list.table().get(key)
        return found[0] if found else default

    def getlist(self, key):
        return list(self.list.table().get(key, []))

    def keys(self):
        return list(self.list.table().keys())

    def items(self):
        """(name, field) pairs in submission order (repeated names repeat)."""
        return [(item.name, item) for item in self.list]

    def has_key(self, key):
        return key in self.list.table()

    __contains__ = has_key

    def __iter__(self):
        return iter(self.keys())

    def __len__(self):
        return len(self.list.table())

    def __repr__(self):
        return repr(self.list.table())


def _read_exactly(req, clen):
    """Read clen bytes of body (less if the client sent less)."""
    chunks, left = [], clen
    while left > 0:
        data = req.read(min(left, readBlockSize))
        if not data:
            break
        chunks.append(data)
        left -= len(data)
    return b''.join(chunks)


def _make_field(meta, file):
    if meta['filename']:
        field = Field(meta['name'])
        field.filename = meta['filename']
    else:
        # bytes, as upstream gives for multipart parts (code written for 3.5 decodes them)
        field = StringField(file.read())
        file.seek(0)
        field.name = meta['name']
    field.file = file
    field.type = meta['type']
    field.type_options = meta['type_options']
    field.disposition = meta['disposition']
    field.disposition_options = meta['disposition_options']
    field.headers = meta['headers']
    return field


# --------------------------------------------------------------------------- apply_fs_data

def _expected_args(obj):
    """(code object or None, accepted argument names) for a callable, or a redirect target."""
    if hasattr(obj, '__code__'):
        fc = obj.__code__
        return fc, fc.co_varnames[:fc.co_argcount + fc.co_kwonlyargcount]
    if hasattr(obj, '__func__') and hasattr(obj.__func__, '__code__'):
        fc = obj.__func__.__code__
        return fc, fc.co_varnames[1:fc.co_argcount + fc.co_kwonlyargcount]
    if isinstance(obj, type):
        init = getattr(obj, '__init__', None)
        if init is not None and hasattr(init, '__code__'):
            fc = init.__code__
            return fc, fc.co_varnames[1:fc.co_argcount + fc.co_kwonlyargcount]
        return None, ()
    call = getattr(obj, '__call__', None)
    if isinstance(call, MethodType):
        fc = call.__func__.__code__
        return fc, fc.co_varnames[1:fc.co_argcount + fc.co_kwonlyargcount]
    return None, ()


def apply_fs_data(object, fs, **args):  # noqa: A002 — upstream's parameter name
    """Call ``object`` with the form fields it declares as keyword arguments.

    Uploads are passed as Field objects, other fields as their value, repeated names as
    lists; ``args`` (the publisher passes ``req=req``) are merged in. Names the callable
    does not accept are dropped unless it takes ``**kwargs``.
    """
    if type(object) is FunctionType:
        # A plain function (the common case): _expected_args' first branch, without the
        # hasattr() chain.
        fc = object.__code__
        expected = fc.co_varnames[:fc.co_argcount + fc.co_kwonlyargcount]
    else:
        if (not hasattr(object, '__code__') and not hasattr(object, '__func__')
                and not isinstance(object, type)):
            call = getattr(object, '__call__', None)
            if call is not None and not isinstance(call, (MethodType, _MethodWrapper)) \
                    and isinstance(call, collections.abc.Callable):
                # An object whose __call__ is itself a callable object: follow the chain.
                return apply_fs_data(call, fs, **args)
        fc, expected = _expected_args(object)
    for field in fs.list:
        value = field if field.filename else field.value
        args.setdefault(field.name, []).append(value)
    for name, value in args.items():
        # (Replacing a value keeps the dict's size: safe while iterating.)
        if isinstance(value, list) and len(value) == 1:
            args[name] = value[0]
    if fc is None:
        args = {}
    elif not fc.co_flags & _CO_VARKEYWORDS:
        args = {k: v for k, v in args.items() if k in expected}
    return object(**args)


# --------------------------------------------------------------------------- redirect

def redirect(req, location, permanent=0, text=None):
    """Redirect the client (301 when permanent, else 302) from any phase.

    Raises SERVER_RETURN(DONE) so no later handler or phase runs; IOError if the response
    body has already started.
    """
    if not isinstance(location, str):
        raise TypeError('location must be of type str')
    if req.sent_bodyct:
        raise IOError('Cannot redirect after headers have already been sent.')
    req.err_headers_out['Location'] = location
    req.status = apache.HTTP_MOVED_PERMANENTLY if permanent else apache.HTTP_MOVED_TEMPORARILY
    if text is None:
        req.write('<p>The document has moved <a href="%s">here</a></p>\n' % _attr_escape(location))
    else:
        req.write(text)
    raise apache.SERVER_RETURN(apache.DONE)


def _attr_escape(s):
    return s.replace('&', '&amp;').replace('"', '&quot;').replace('<', '&lt;').replace('>', '&gt;')

