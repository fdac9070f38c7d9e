"""mod_python.wsgi — run a WSGI application as a mod_python handler.

    <Location /app>
      SetHandler mod_python
      PythonHandler mod_python.wsgi
      PythonOption mod_python.wsgi.application mypkg.wsgi::application
      PythonOption mod_python.wsgi.base_uri /app        # optional; must not end with '/'
    </Location>

Written for modpy. The environ and start_response are the request's own
(``req.build_wsgi_env()``, ``req.wsgi_start_response``), which in modpy apply the status
(upstream lost it: every WSGI response was a 200), give PATH_INFO as latin-1 per PEP 3333, and
let the application's Content-Type win. Iterators are streamed one item per write;
a list/tuple result is written unflushed so the server can send Content-Length.
"""

from . import apache


def _load_application(req, app_str):
    module_name, _, callable_name = app_str.partition('::')
    config = req.get_config()
    module = apache.import_module(module_name.strip(),
                                  autoreload=config.get('PythonAutoReload', '1') == '1',
                                  log=config.get('PythonDebug', '0') == '1')
    return module.__dict__.get(callable_name.strip() or 'application')


def handler(req):
    options = req.get_options()
    app_str = options.get('mod_python.wsgi.application')
    if not app_str:
        req.log_error('WSGI handler: PythonOption mod_python.wsgi.application is not set '
                      '(e.g. "mypkg.wsgi::application").')
        return apache.HTTP_INTERNAL_SERVER_ERROR
    app = _load_application(req, app_str)
    if app is None:
        req.log_error('WSGI handler: mod_python.wsgi.application (%r) not found, declining.'
                      % app_str, apache.APLOG_WARNING)
        return apache.DECLINED

    env = req.build_wsgi_env()
    if env is None:
        req.log_error('WSGI handler: req.uri (%r) does not start with mod_python.wsgi.base_uri '
                      '(%r), declining.' % (req.uri, options.get('mod_python.wsgi.base_uri')),
                      apache.APLOG_WARNING)
        return apache.DECLINED

    response = app(env, req.wsgi_start_response)
    try:
        # A list or tuple is the whole body: unflushed writes let the server compute
        # Content-Length. Anything else may be a stream: each item goes out as it comes.
        flush = 0 if isinstance(response, (list, tuple)) else 1
        for item in response:
            if item:
                req.write(item, flush)
    finally:
        close = getattr(response, 'close', None)
        if close is not None:
            close()
    return apache.OK
