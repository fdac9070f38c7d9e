"""mod_python.psp — Python Server Pages: a PSP → Python compiler, the PSP class and handler.

Written for modpy in pure Python (upstream's parser is C/flex). Syntax: ``<% code %>``,
``<%= expr %>``, ``<%@ include file="path" %>``, ``<%-- comment --%>``; everything else is
text, written with ``req.write(<triple-quoted text>,0)``. Code generation follows upstream so pages keep
their meaning: the indentation of the last line of a code block applies to the text after
it, a block ending in ``:`` indents the text by one tab, a one-line block is closed with
``;``, and source line numbers are kept.

Differences from upstream, on purpose (docs/library.md): ``PSP(string=…)`` accepts str as
well as bytes; comments are removed (Debian's build copies their text into the code);
the generated literal is always valid Python (a trailing backslash or ``\\"`` in text
broke upstream's); included files take part in the cache's freshness check; the optional dbm
code cache works on Python 3 and backs the in-memory cache instead of replacing it.
"""

import dbm
import html
import marshal
import os
import re
import stat as _stat  # private: page code runs with this module's globals
import sys

from . import Session, apache, util  # noqa: F401 — page code sees these names, as upstream

try:
    from . import _apache
except ImportError:  # outside a worker; only the dbm code cache needs it
    _apache = None

# --------------------------------------------------------------------------- compiler

_MAX_INCLUDE_DEPTH = 16
_include_re = re.compile(r'^\s*include\s+file\s*=\s*"([^"]*)"\s*$')


class PSPSyntaxError(SyntaxError):
    """A PSP page that cannot be compiled: names the file and the line."""


def _normalize_newlines(text):
    return text.replace('\r\n', '\n').replace('\r', '\n')


def _decode(source):
    if isinstance(source, str):
        return source
    try:
        return source.decode('utf-8')
    except UnicodeDecodeError:
        return source.decode('latin-1')


def _tokens(source, filename, base_dir, depth, deps):
    """Yield (kind, text, line) for text/code/expr/comment, following include directives."""
    source = _normalize_newlines(source)
    pos, line = 0, 1
    while pos < len(source):
        start = source.find('<%', pos)
        if start < 0:
            yield 'text', source[pos:], line
            return
        if start > pos:
            yield 'text', source[pos:start], line
            line += source.count('\n', pos, start)
        if source.startswith('<%--', start):
            kind, open_len, close = 'comment', 4, '--%>'
        elif source.startswith('<%=', start):
            kind, open_len, close = 'expr', 3, '%>'
        elif source.startswith('<%@', start):
            kind, open_len, close = 'directive', 3, '%>'
        else:
            kind, open_len, close = 'code', 2, '%>'
        end = source.find(close, start + open_len)
        if end < 0:
            raise PSPSyntaxError('unterminated %s block (missing "%s")' % (kind, close),
                                 (filename, line, 1, source[start:start + 40]))
        body = source[start + open_len:end]
        if kind == 'directive':
            yield from _include(body, filename, line, base_dir, depth, deps)
        else:
            yield kind, body, line
        line += body.count('\n')
        pos = end + len(close)


def _include(body, filename, line, base_dir, depth, deps):
    match = _include_re.match(body)
    if not match:
        raise PSPSyntaxError('unknown PSP directive %r' % body.strip(), (filename, line, 1, body))
    if depth >= _MAX_INCLUDE_DEPTH:
        raise PSPSyntaxError('includes nested more than %d deep' % _MAX_INCLUDE_DEPTH,
                             (filename, line, 1, body))
    path = match.group(1)
    if base_dir and not os.path.isabs(path):
        path = os.path.join(base_dir, path)
    try:
        with open(path, 'rb') as f:
            included = _decode(f.read())
        deps.append((path, os.path.getmtime(path)))
    except OSError as e:
        raise PSPSyntaxError('cannot include %s: %s' % (path, e.strerror),
                             (filename, line, 1, body)) from None
    yield from _tokens(included, path, base_dir, depth + 1, deps)


def _escape_text(text):
    # Upstream doubles the backslash of \n, \r, \t so they print literally, and escapes ".
    text = re.sub(r'\\([nrt])', r'\\\\\1', text)
    # A quote must stay escaped even after a run of backslashes, and the literal must not
    # end with an odd backslash run (it would swallow the closing quotes).
    text = re.sub(r'(\\*)"', lambda m: m.group(1) + ('\\' if len(m.group(1)) % 2 else '') + '\\"',
                  text)
    return re.sub(r'(\\+)$', lambda m: m.group(1) + ('\\' if len(m.group(1)) % 2 else ''), text)


def _leading_ws(line):
    return line[:len(line) - len(line.lstrip(' \t'))]


def _generate(tokens):
    out = ['req.write("""']
    indent = ''
    for kind, text, _line in tokens:
        if kind == 'text':
            out.append(_escape_text(text))
        elif kind == 'expr':
            out.append('""",0); req.write(str(%s),0); req.write("""' % text)
        elif kind == 'comment':
            newlines = text.count('\n')
            if newlines:  # keep the line numbers of what follows
                out.append('""",0);' + '\n' * newlines + indent + 'req.write("""')
        else:
            out.append('""",0);')
            indent = _emit_code(out, text, indent)
    out.append('""",0)\n')
    return ''.join(out)


def _emit_code(out, code, indent):
    """Append a code block and the opening of the next text; returns the new indentation."""
    if '\n' not in code:
        out.append(code + ';req.write("""')
        return indent
    lines = code.split('\n')
    trailing_code = bool(lines[-1].strip())
    if not trailing_code:
        lines[-1] = ''  # whitespace before %> is not code
    content = [i for i, l in enumerate(lines) if l.strip()]
    last = content[-1] if content else 0
    # The first line shares its line with the text's closing; its indentation is not a level.
    indent = _leading_ws(lines[last]) if last > 0 else ''
    opens_block = bool(content) and lines[last].rstrip().endswith(':')
    if opens_block:
        indent += '\t'
    body = '\n'.join(lines)
    if trailing_code:
        sep = '\n' + indent if opens_block else ';'
        out.append(body + sep + 'req.write("""')
    else:
        out.append(body + indent + 'req.write("""')
    return indent


def _compile_source(source, filename, base_dir):
    """PSP text → (python source, [(included path, mtime)])."""
    deps = []
    return _generate(_tokens(_decode(source), filename, base_dir, 0, deps)), deps


def parse(filename, dir=None):  # noqa: A002 — upstream's parameter name
    """Python source generated for a PSP file (``dir`` is prepended and used for includes)."""
    path = dir + filename if dir else filename
    with open(path, 'rb') as f:
        return _compile_source(f.read(), path, dir)[0]


def parsestring(str):  # noqa: A002
    """Python source generated for PSP text (str or bytes)."""
    return _compile_source(str, '<string>', None)[0]


def _compile(source, filename, base_dir):
    python, deps = _compile_source(source, filename, base_dir)
    try:
        return compile(python, filename, 'exec'), deps
    except SyntaxError as e:
        raise PSPSyntaxError('%s (in the Python code of %s, line %s)' % (e.msg, filename, e.lineno),
                             (filename, e.lineno, e.offset, e.text)) from None


# --------------------------------------------------------------------------- caches

class HitsCache:
    """Bounded cache: when full, the least-hit entries go (down to 75 %), as upstream."""

    def __init__(self, size=512):
        self.cache = {}
        self.size = size

    def store(self, key, val):
        self.cache[key] = [1, val]
        if len(self.cache) > self.size:
            self.clean()

    def get(self, key):
        entry = self.cache.get(key)
        if entry is None:
            return None
        entry[0] += 1
        return entry[1]

    def clean(self):
        by_hits = sorted(self.cache.items(), key=lambda kv: kv[1][0])
        for key, _ in by_hits[:len(self.cache) - int(self.size * .75)]:
            del self.cache[key]


class FileCache(HitsCache):
    """filename → code, valid while the page's (and its includes') mtimes are unchanged."""

    def store(self, filename, mtime, code, deps=()):
        HitsCache.store(self, filename, (mtime, tuple(deps), code))

    def get(self, filename, mtime):
        entry = HitsCache.get(self, filename)
        if entry is None:
            return None
        c_mtime, deps, code = entry
        try:
            # (deps is a tuple: most pages include nothing, and skip the generator.)
            fresh = c_mtime == mtime and (not deps or all(os.path.getmtime(p) == t
                                                          for p, t in deps))
        except OSError:
            fresh = False
        if not fresh:
            del self.cache[filename]
            return None
        return code


mem_scache = HitsCache()
mem_fcache = FileCache()

# The optional dbm code cache (PythonOption mod_python.psp.cache_database_filename) keeps
# compiled pages across restarts. Entries are "<python tag> <mtime> <marshal of (code, deps)>",
# so a worker of another Python version never loads foreign bytecode.
_CACHE_TAG = (sys.implementation.cache_tag or sys.implementation.name).encode('ascii')


def _dbm_cache_name(req):
    opts = req.get_options()
    return opts.get('mod_python.psp.cache_database_filename') or opts.get('PSPDbmCache')


def _with_dbm(req, dbmfile, action):
    # Global lock 0 guards dbm files, as for DbmSession.
    _apache._global_lock(req.server, None, 0)
    try:
        with dbm.open(dbmfile, 'c') as db:
            return action(db)
    finally:
        _apache._global_unlock(req.server, None, 0)


def dbm_cache_get(req, dbmfile, filename, mtime):
    """(code, deps) cached for filename at mtime, or None."""
    key = filename.encode('utf-8')
    raw = _with_dbm(req, dbmfile, lambda db: db[key] if key in db else None)
    if not raw:
        return None
    parts = raw.split(b' ', 2)
    if len(parts) != 3 or parts[0] != _CACHE_TAG or parts[1] != repr(mtime).encode('ascii'):
        return None
    code, deps = marshal.loads(parts[2])
    if any(os.path.getmtime(p) != t for p, t in deps):
        return None
    return code, list(deps)


def dbm_cache_store(req, dbmfile, filename, mtime, code, deps):
    value = b' '.join([_CACHE_TAG, repr(mtime).encode('ascii'), marshal.dumps((code, tuple(deps)))])
    key = filename.encode('utf-8')

    def store(db):
        db[key] = value
    _with_dbm(req, dbmfile, store)

# --------------------------------------------------------------------------- PSP objects


def path_split(filename):
    directory, name = os.path.split(filename)
    return directory + os.sep, name


class PSPInterface:
    """The ``psp`` object of page code."""

    def __init__(self, req, filename, form):
        self.req = req
        self.filename = filename
        self.error_page = None
        self.form = form

    def set_error_page(self, page):
        """Page run (with ``exception``) if this one raises; '/x' is under DocumentRoot."""
        if page and page[0] == '/':
            self.error_page = PSP(self.req, self.req.document_root() + page)
        else:
            self.error_page = PSP(self.req, path_split(self.filename)[0] + page)

    def apply_data(self, object):  # noqa: A002
        """Call ``object`` with the request's form fields as keyword arguments."""
        if not self.form:
            if not hasattr(self.req, 'form'):
                self.req.form = util.FieldStorage(self.req, keep_blank_values=1)
            self.form = self.req.form
        return util.apply_fs_data(object, self.form, req=self.req)

    def redirect(self, location, permanent=0):
        util.redirect(self.req, location, permanent)


class PSP:
    """A compiled page or template: ``PSP(req, filename=…)`` or ``PSP(req, string=…)``."""

    code = None

    def __init__(self, req, filename=None, string=None, vars={}):  # noqa: B006 — upstream API
        if string is not None and filename:
            raise ValueError('Must specify either filename or string')
        self.req, self.vars = req, vars
        if not filename and string is None:
            filename = req.filename
            if not filename:  # a <Location> with no file behind it
                raise apache.SERVER_RETURN(apache.HTTP_NOT_FOUND)
        self.filename, self.string = filename, string
        if filename:
            # (A str path: os.path.isabs without its fspath/separator calls.)
            if not (filename.startswith('/') if type(filename) is str
                    else os.path.isabs(filename)):
                filename = os.path.join(os.path.dirname(req.filename), filename)
            self.filename = filename
            self.load_from_file()
        else:
            code = mem_scache.get(string)
            if code is None:
                code = _compile(string, '__psp__', None)[0]
                mem_scache.store(string, code)
            self.code = code

    def load_from_file(self):
        filename = self.filename
        try:
            st = os.stat(filename)  # one stat gives both the type and the mtime
        except (OSError, ValueError):
            st = None
        if st is None or not _stat.S_ISREG(st.st_mode):
            raise apache.SERVER_RETURN(apache.HTTP_NOT_FOUND)
        mtime = st.st_mtime
        code = mem_fcache.get(filename, mtime)
        if code is None:
            code, deps = self._from_dbm_or_compile(filename, mtime)
            mem_fcache.store(filename, mtime, code, deps)
        self.code = code

    def _from_dbm_or_compile(self, filename, mtime):
        dbmfile = _dbm_cache_name(self.req)
        if dbmfile:
            try:
                cached = dbm_cache_get(self.req, dbmfile, filename, mtime)
                if cached is not None:
                    return cached
            except Exception as e:  # an unreadable cache must not break the page
                self.req.log_error('PSP dbm cache %s unreadable: %s' % (dbmfile, e),
                                   apache.APLOG_WARNING)
        with open(filename, 'rb') as f:
            source = f.read()
        try:
            code, deps = _compile(source, filename, path_split(filename)[0])
        except PSPSyntaxError as e:
            self.req.log_error('PSP syntax error in %s line %s: %s' % (e.filename, e.lineno, e.msg))
            raise
        if dbmfile:
            try:
                dbm_cache_store(self.req, dbmfile, filename, mtime, code, deps)
            except Exception as e:
                self.req.log_error('PSP dbm cache %s not writable: %s' % (dbmfile, e),
                                   apache.APLOG_WARNING)
        return code, deps

    def run(self, vars={}, flush=0):  # noqa: B006
        code, req = self.code, self.req
        created_session = None
        names = code.co_names
        if 'session' in names and not hasattr(req, 'session'):
            req.session = created_session = Session.Session(req)
        form = None
        if 'form' in names:
            if not hasattr(req, 'form'):
                req.form = util.FieldStorage(req, keep_blank_values=1)
            form = req.form
        psp = PSPInterface(req, self.filename, form)
        try:
            scope = dict(globals())
            scope['req'] = req
            scope['form'] = form
            scope['psp'] = psp
            scope['session'] = getattr(req, 'session', None)
            scope.update(self.vars)
            scope.update(vars)
            scope['__file__'] = req.filename
            try:
                exec(code, scope)
                if flush:
                    req.flush()
                if hasattr(req, 'session'):
                    # Upstream saves the session after every page that has one.
                    req.session.save()
            except Exception:
                if psp.error_page is None:
                    raise
                psp.error_page.run({'exception': sys.exc_info()}, flush)
        finally:
            if created_session is not None:
                created_session.unlock()
                del req.session

    def __str__(self):
        self.req.content_type = 'text/html'
        self.run()
        return ''

    def display_code(self):
        """Write an HTML table: generated Python (numbered) beside the PSP source."""
        req, filename = self.req, self.filename
        with open(filename, 'rb') as f:
            raw = f.read()
        source = [s.rstrip() for s in _normalize_newlines(_decode(raw)).split('\n')]
        pycode = [s.rstrip() for s in
                  _compile_source(raw, filename, path_split(filename)[0])[0].split('\n')]
        if pycode and pycode[-1] == '':
            pycode.pop()
        req.write('<table>\n<tr>')
        for cell in ('', '&nbsp;PSP-produced Python Code:', '&nbsp;%s:' % html.escape(filename)):
            req.write('<td><tt>%s</tt></td>' % cell)
        req.write('</tr>\n')
        for n, line in enumerate(pycode, 1):
            right = source[n - 1] if n <= len(source) else ''
            req.write('<tr><td><tt>%d.&nbsp;</tt></td><td><tt><font color=blue>%s</font></tt></td>'
                      '<td><tt>&nbsp;<font color=green>%s</font></tt></td></tr>\n'
                      % (n, _html_code(line), _html_code(right)))
        req.write('</table>\n')


def _html_code(line):
    return html.escape(line).replace('\t', '    ').replace(' ', '&nbsp;')


def handler(req):
    """PythonHandler mod_python.psp: run req.filename; with PythonDebug On, 'page.psp_'
    shows the generated code instead."""
    req.content_type = 'text/html'
    debug = req.get_config().get('PythonDebug', '0') == '1'
    if debug and req.filename.endswith('_'):
        PSP(req, req.filename[:-1]).display_code()
    else:
        PSP(req).run()
    return apache.OK
