"""Handlers for wsgi-env.test.ts: the CGI variables a request adds to req.subprocess_env
(mod_python.wsgi's environ, add_cgi_vars), read after the phase by the server and by later
requests and phases."""
from mod_python import apache


def application(environ, start_response):
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return [('probe=%s' % environ.get('HTTP_X_PROBE')).encode()]


def loghandler(req):
    # A later phase of the same request, in the same worker, still has the environment.
    req.log_error('wsgi-env loghandler %s GATEWAY_INTERFACE=%s' % (
        req.uri, req.subprocess_env.get('GATEWAY_INTERFACE')), apache.APLOG_NOTICE)
    return apache.OK


def cgi(req):
    req.add_cgi_vars()
    what = req.uri.rsplit('/', 1)[-1]
    if what == 'gone':
        return apache.HTTP_GONE  # the error page's Header env= reads the variables
    if what == 'missing':
        return apache.HTTP_NOT_FOUND  # ErrorDocument: REDIRECT_* from the variables
    if what == 'redirect':
        req.internal_redirect('/redirected')
        return apache.OK
    if what == 'mine':
        req.subprocess_env['MINE'] = '1'  # changed after the variables: the whole table goes
    req.content_type = 'text/plain'
    req.write('ok')
    return apache.OK


def _redirect_vars(req):
    env = req.subprocess_env
    req.content_type = 'text/plain'
    req.write(' '.join('%s=%s' % (k, env.get(k)) for k in (
        'REDIRECT_STATUS', 'REDIRECT_REQUEST_URI', 'REDIRECT_HTTP_X_PROBE',
        'REDIRECT_GATEWAY_INTERFACE', 'GATEWAY_INTERFACE')))
    return apache.OK


errdoc = redirected = _redirect_vars
