# mod_python Session read + write (PythonHandler session_rw): loads the session named by the
# pysid cookie (or starts one), bumps a counter, saves it, and answers "hits=N".
from mod_python import apache, Session


def handler(req):
    sess = Session.Session(req)
    hits = sess.get('hits', 0) + 1
    sess['hits'] = hits
    sess.save()
    req.content_type = 'text/plain'
    req.write('hits=%d\n' % hits)
    return apache.OK
