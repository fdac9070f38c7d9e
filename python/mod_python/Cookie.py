"""mod_python.Cookie — one cookie per object, plain, signed (HMAC) or marshalled.

Written for modpy. Differences from mod_python 3.5 on Python 3, on purpose (docs/library.md):
* SignedCookie/MarshalCookie work (upstream calls hmac.new without a digest and
  base64.encodestring); new signatures are HMAC-SHA256 (64 hex digits before the value), and
  upstream's 32-hex HMAC-MD5 signatures still verify so existing cookies stay valid; the
  comparison is constant-time;
* ``max_age`` is rendered ``Max-Age=`` (upstream writes ``max_age=``);
* ``$``-prefixed names (RFC 2965 attributes) in a Cookie header are skipped safely.
"""

import base64
import binascii
import hashlib
import hmac
import marshal
import re
import time

_EXPIRES_FORMAT = '%a, %d-%b-%Y %H:%M:%S GMT'

# Attribute name → how it is written in Set-Cookie, in upstream's order.
_ATTRIBUTES = (
    ('version', 'version'), ('path', 'path'), ('domain', 'domain'), ('secure', 'secure'),
    ('comment', 'comment'), ('expires', 'expires'), ('max_age', 'Max-Age'),
    ('samesite', 'samesite'), ('commentURL', 'commentURL'), ('discard', 'discard'),
    ('port', 'port'), ('httponly', 'httponly'),
)
_FLAGS = ('secure', 'discard', 'httponly')


class CookieError(Exception):
    pass


class Cookie(object):
    """A single cookie. ``str(cookie)`` is the Set-Cookie header value."""

    DOWNGRADE = 0
    IGNORE = 1
    EXCEPTION = 3

    _valid_attr = tuple(name for name, _ in _ATTRIBUTES)
    # Unknown attributes raise AttributeError, as upstream's __slots__ did.
    __slots__ = tuple(n for n in _valid_attr if n != 'expires') + (
        'name', 'value', '_expires', '__data__')

    def __init__(self, name, value, **kw):
        self.name, self.value = name, value
        self.__data__ = {}
        for key, val in kw.items():
            # Lower-cased like upstream, except commentURL which is only valid in that case.
            setattr(self, key if key == 'commentURL' else key.lower(), val)

    @property
    def expires(self):
        try:
            return self._expires
        except AttributeError:
            raise AttributeError('expires') from None

    @expires.setter
    def expires(self, value):
        """A 'Wdy, DD-Mon-YYYY HH:MM:SS GMT' string (checked) or seconds since the epoch."""
        if isinstance(value, str):
            try:
                time.strptime(value, _EXPIRES_FORMAT)
            except ValueError:
                raise ValueError('Invalid expires time: %s' % value) from None
        else:
            value = time.strftime(_EXPIRES_FORMAT, time.gmtime(value))
        self._expires = value

    @classmethod
    def parse(cls, str, **kw):  # noqa: A002 — upstream's parameter name
        """Parse a Cookie header value into {name: cookie}."""
        return _parse_cookie(str, cls, **kw)

    def _rendered_value(self):
        return '%s' % (self.value,)

    def _attributes(self):
        parts = []
        for attr, label in _ATTRIBUTES:
            if attr == 'expires':
                present = hasattr(self, '_expires')
            else:
                present = hasattr(self, attr)
            if not present:
                continue
            if attr in _FLAGS:
                if getattr(self, attr):
                    parts.append(label)
            else:
                parts.append('%s=%s' % (label, getattr(self, attr)))
        return parts

    def __str__(self):
        return '; '.join(['%s=%s' % (self.name, self._rendered_value())] + self._attributes())

    def __repr__(self):
        return '<%s: %s>' % (self.__class__.__name__, str(self))


def _key(secret):
    if secret is None or secret == '' or secret == b'':
        raise CookieError('Cannot sign without a secret')
    return secret.encode('utf-8') if isinstance(secret, str) else bytes(secret)


def _sign(secret, name, value, digest=hashlib.sha256):
    mac = hmac.new(_key(secret), digestmod=digest)
    mac.update(('%s' % name).encode('utf-8'))
    mac.update(('%s' % value).encode('utf-8'))
    return mac.hexdigest()


def _verify(secret, name, signed):
    """The value inside a signed cookie value, or None. Accepts SHA-256 and legacy MD5."""
    for size, digest in ((64, hashlib.sha256), (32, hashlib.md5)):
        sig, val = signed[:size], signed[size:]
        if len(sig) == size and hmac.compare_digest(sig.encode('ascii', 'replace'),
                                                    _sign(secret, name, val, digest).encode()):
            return val
    return None


class SignedCookie(Cookie):
    """A cookie whose value carries an HMAC signature, checked by parse()."""

    __slots__ = ()

    def __init__(self, name, value, secret=None, **kw):
        Cookie.__init__(self, name, value, **kw)
        self.__data__['secret'] = secret

    def hexdigest(self, s):
        return _sign(self.__data__.get('secret'), self.name, s)

    def _rendered_value(self):
        value = '%s' % (self.value,)
        return self.hexdigest(value) + value

    def unsign(self, secret):
        value = _verify(secret, self.name, '%s' % (self.value,))
        if value is None:
            raise CookieError('Incorrectly Signed Cookie: %s=%s' % (self.name, self.value))
        self.value = value
        self.__data__['secret'] = secret

    def _check(self, secret):
        self.unsign(secret)

    @classmethod
    def parse(cls, s, secret, mismatch=Cookie.DOWNGRADE, **kw):  # noqa: A002
        cookies = _parse_cookie(s, cls, **kw)
        for name in list(cookies):
            c = cookies[name]
            try:
                c._check(secret)
            except CookieError:
                if mismatch == Cookie.EXCEPTION:
                    raise
                if mismatch == Cookie.IGNORE:
                    del cookies[name]
                else:
                    cookies[name] = Cookie(c.name, c.value)
        return cookies


class MarshalCookie(SignedCookie):
    """A signed cookie holding any marshallable object (unmarshalled only once verified)."""

    __slots__ = ()

    def _rendered_value(self):
        packed = base64.b64encode(marshal.dumps(self.value)).decode('ascii')
        return self.hexdigest(packed) + packed

    def unmarshal(self, secret):
        self.unsign(secret)
        try:
            data = base64.b64decode(self.value, validate=True)
        except (binascii.Error, ValueError):
            raise CookieError('Cannot base64 Decode Cookie: %s=%s' % (self.name, self.value))
        try:
            self.value = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            raise CookieError('Cannot Unmarshal Cookie: %s=%s' % (self.name, self.value))

    def _check(self, secret):
        self.unmarshal(secret)


# Upstream's grammar: separators (space/comma), a name, an optional '=', then a quoted string
# or everything up to the next ';'.
_cookie_pattern = re.compile(
    r'[, ]*(?P<key>[^; =]+) *(?:= *)?(?P<val>"(?:[^\\"]|\\.)*"|[^;]*)\s*;?')


def _parse_cookie(s, cls, names=None):
    result = {}
    for match in _cookie_pattern.finditer(s or ''):
        key, val = match.group('key'), match.group('val') or ''
        if key.startswith('$'):
            continue
        if names is not None and key not in names:
            continue
        result[key] = cls(key, val)
    return result


def add_cookie(req, cookie, value='', **kw):
    """Add a Set-Cookie header (and, once, Cache-Control: no-cache="set-cookie")."""
    if not isinstance(cookie, Cookie):
        cookie = Cookie(cookie, value, **kw)
    if 'Set-Cookie' not in req.headers_out:
        req.headers_out.add('Cache-Control', 'no-cache="set-cookie"')
    req.headers_out.add('Set-Cookie', str(cookie))


def get_cookies(req, Class=Cookie, **kw):  # noqa: N803 — upstream's parameter name
    """All cookies of the request's Cookie header(s), parsed with Class."""
    if 'cookie' not in req.headers_in:
        return {}
    cookies = req.headers_in['cookie']
    if isinstance(cookies, list):
        cookies = '; '.join(cookies)
    return Class.parse(cookies, **kw)


def get_cookie(req, name, Class=Cookie, **kw):  # noqa: N803
    """One cookie by name, or None."""
    return get_cookies(req, Class, names=[name], **kw).get(name)
