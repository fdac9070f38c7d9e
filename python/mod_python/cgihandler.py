"""mod_python.cgihandler — run CGI scripts inside the worker (a migration aid).

    PythonHandler mod_python.cgihandler

Written for modpy. For each request, under one lock per process: modules imported by an
earlier script are dropped so the script's own modules are re-imported fresh, the working
directory becomes the script's, os.environ/sys.stdin/sys.stdout are swapped for CGI ones
(``apache.setup_cgi``; Status/Content-Type/other header lines are parsed from stdout), the
script runs as ``__main__`` (as a real CGI process would; upstream used the file's base
name, so ``if __name__ == '__main__'`` blocks never ran), and everything is restored.
``sys.exit()`` in a script ends it normally.
"""

import os
import runpy
import sys
import sysconfig
import threading

from . import apache

_lock = threading.Lock()
_original_modules = set(sys.modules)
_kept_roots = tuple(os.path.realpath(p) + os.sep for p in {
    sysconfig.get_paths()[k] for k in ('stdlib', 'platstdlib', 'purelib', 'platlib')}
    | {os.path.dirname(os.path.dirname(os.path.abspath(__file__)))})


def _forget_script_modules():
    """Drop modules imported since this handler loaded, except the stdlib and installed
    packages, so each run re-imports the script's own helpers."""
    for name in list(sys.modules):
        if name in _original_modules:
            continue
        path = getattr(sys.modules[name], '__file__', None)
        if path and not os.path.realpath(path).startswith(_kept_roots):
            del sys.modules[name]


def _script_path(req):
    script = req.subprocess_env.get('SCRIPT_FILENAME') or req.filename
    if not script or not os.path.isfile(script):
        raise apache.SERVER_RETURN(apache.HTTP_NOT_FOUND)
    return os.path.abspath(script)


def handler(req):
    script = _script_path(req)
    _forget_script_modules()
    with _lock:
        cwd = os.getcwd()
        os.chdir(os.path.dirname(script))
        env, si, so = apache.setup_cgi(req)
        argv = sys.argv
        sys.argv = [script]  # what a CGI process gets; runpy also needs argv[0]
        try:
            try:
                runpy.run_path(script, run_name='__main__')
            except SystemExit as e:
                if e.code not in (None, 0):
                    req.log_error('cgihandler: %s exited with status %r' % (script, e.code))
            sys.stdout.flush()
        finally:
            sys.argv = argv
            apache.restore_nocgi(env, si, so)
            os.chdir(cwd)
    return apache.OK
