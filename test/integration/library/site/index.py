"""Published page. Endpoints: /pub/ (index), /pub/hello?name=, /pub/args (POST or GET
fields), /pub/upload (multipart file), /pub/page (HTML), /pub/nothing, /pub/private (nested __auth__), plus things the
security rules must refuse: _secret, re (a module), Klass (a class), somedict/keys,
index/__code__."""

import re  # noqa: F401 — published module attribute: must be refused with 403

_secret = 'do not show'
somedict = {'a': 1}


def index(req):
    return 'publisher index'


def hello(req, name='world'):
    return 'hello %s' % name


def args(req, day=None, uid=None, usid=None):
    return 'day=%r uid=%r usid=%r' % (day, uid, usid)


def upload(req, f=None, note=None):
    return '%s %d %s note=%r' % (f.filename, len(f.value), type(f.file).__name__, note)


def page(req):
    return '<html><body>page</body></html>'


def nothing(req):
    return None


def private(req):
    __auth_realm__ = 'Members'
    __auth__ = {'alice': 'wonderland'}
    return 'secret for %s' % req.user if getattr(req, 'user', None) else 'secret'


class Klass:
    pass
