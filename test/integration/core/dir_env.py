"""Handlers for dir-env-loglevel.test.ts: subprocess_env as SetEnv/UnsetEnv/PassEnv leave it,
and messages at two levels for the per-directory LogLevel."""
from mod_python import apache


def handler(req):
    env = req.subprocess_env
    req.content_type = 'text/plain'
    req.write('%s|%s|%s' % (env.get('GREETING'), env.get('GONE'), env.get('MODPY_TEST_PASSED')))
    return apache.OK


def headerparser(req):
    # mod_env runs at fixups: a header-parser handler does not see SetEnv yet.
    req.notes['early_greeting'] = str(req.subprocess_env.get('GREETING'))
    return apache.OK


def early(req):
    req.content_type = 'text/plain'
    req.write(req.notes['early_greeting'])
    return apache.OK


def logs(req):
    req.log_error('dirlevel-debug ' + req.uri, apache.APLOG_DEBUG)
    req.log_error('dirlevel-notice ' + req.uri, apache.APLOG_NOTICE)
    req.content_type = 'text/plain'
    req.write('logged')
    return apache.OK
