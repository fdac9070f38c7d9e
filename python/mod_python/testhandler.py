"""mod_python.testhandler — an information page about the server and the request.

    <Location /mpinfo>
      SetHandler mod_python
      PythonHandler mod_python.testhandler
    </Location>

Written for modpy. Shows versions, interpreter, sys.path, the request's headers,
environment, config, options and notes, the server's config/options and the configuration
tree; ``?view_log=1`` adds the tail of the error log. Everything is HTML-escaped. It
discloses configuration: do not leave it reachable in production.
"""

import html
import os
import sys

from . import apache

_LOG_TAIL_BYTES = 64 * 1024


def _e(value):
    return html.escape('%s' % (value,))


def _table(title, rows):
    out = ['<h2>%s</h2>\n<table border="1" cellpadding="3">\n' % _e(title)]
    for key, value in rows:
        out.append('<tr><td><tt>%s</tt></td><td><tt>%s</tt></td></tr>\n' % (_e(key), _e(value)))
    out.append('</table>\n')
    return ''.join(out)


def _available(module):
    try:
        __import__('mod_python.' + module)
        return 'available'
    except Exception as e:  # report, never fail the page
        return 'unavailable (%s)' % e


def _tree(nodes, depth=0):
    rows = []
    for node in nodes:
        if isinstance(node, tuple):
            rows.append(('  ' * depth + node[0], ' '.join(node[1]) if isinstance(node[1], (list, tuple)) else node[1]))
        else:
            rows.extend(_tree(node, depth + 1))
    return rows


def _log_tail(req):
    path = getattr(req.server, 'error_fname', None)
    if not path or not os.path.isfile(path):
        return '(no error log file)'
    with open(path, 'rb') as f:
        f.seek(max(0, os.path.getsize(path) - _LOG_TAIL_BYTES))
        return f.read().decode('utf-8', 'replace')


def handler(req):
    req.content_type = 'text/html'
    parts = ['<html><head><title>mod_python test page</title></head><body>\n',
             '<h1>mod_python test page</h1>\n']
    general = [
        ('Server root', apache.server_root()),
        ('Document root', req.document_root()),
        ('Python version', sys.version),
        ('Python executable', sys.executable),
        ('Interpreter name', req.interpreter),
        ('Threaded / forked MPM', '%s / %s' % (apache.mpm_query(apache.AP_MPMQ_IS_THREADED),
                                              apache.mpm_query(apache.AP_MPMQ_IS_FORKED))),
        ('mod_python.publisher', _available('publisher')),
        ('mod_python.psp', _available('psp')),
        ('Error log', getattr(req.server, 'error_fname', '')),
    ]
    parts.append(_table('General information', general))
    parts.append(_table('sys.path', enumerate(sys.path)))
    parts.append(_table('Request headers', req.headers_in.items()))
    req.add_common_vars()
    parts.append(_table('Request environment (subprocess_env)', req.subprocess_env.items()))
    parts.append(_table('Request config (req.get_config())', req.get_config().items()))
    parts.append(_table('Request options (req.get_options())', req.get_options().items()))
    parts.append(_table('Request notes', req.notes.items()))
    parts.append(_table('Server config (req.server.get_config())', req.server.get_config().items()))
    parts.append(_table('Server options (req.server.get_options())',
                        req.server.get_options().items()))
    parts.append(_table('Configuration tree (apache.config_tree())', _tree(apache.config_tree())))
    if 'view_log=1' in (req.args or ''):
        parts.append('<h2>Error log</h2>\n<pre>%s</pre>\n' % _e(_log_tail(req)))
    else:
        parts.append('<p><a href="?view_log=1">View the error log</a></p>\n')
    parts.append('</body></html>\n')
    req.write(''.join(parts), 0)
    return apache.OK
