"""A Flask application run unchanged under PythonHandler mod_python.wsgi (Debian's
python3-flask, so the pool runs /usr/bin/python3).

Endpoints (mounted at /flask): /  /form (GET form, POST sets a cookie)  /whoami (reads it)
/go (302)  /missing (404)  /busy (429 with its own Content-Type)  /path/<name>
/upload (multipart)  /log (wsgi.errors)  /stream (a generator body)
"""

from flask import Flask, abort, make_response, redirect, request

app = Flask(__name__)


@app.route('/')
def index():
    return 'flask home'


@app.route('/form', methods=['GET', 'POST'])
def form():
    if request.method == 'POST':
        resp = make_response('hello %s' % request.form['name'])
        resp.set_cookie('name', request.form['name'], max_age=600, httponly=True)
        return resp
    return '<form method="post"><input name="name"><button>go</button></form>'


@app.route('/whoami')
def whoami():
    return 'cookie=%s' % request.cookies.get('name', '')


@app.route('/go')
def go():
    return redirect(request.script_root + '/whoami')


@app.route('/missing')
def missing():
    abort(404)


@app.route('/busy')
def busy():
    # A status Apache knows (it answers 500 for unknown ones such as 418, and so does modpy).
    return 'slow down', 429, {'Content-Type': 'text/x-busy'}


@app.route('/path/<name>')
def path(name):
    return 'name=%s script_root=%s' % (name, request.script_root)


@app.route('/upload', methods=['POST'])
def upload():
    f = request.files['file']
    return '%s:%d' % (f.filename, len(f.read()))


@app.route('/log')
def log():
    request.environ['wsgi.errors'].write('flask-says-hello-to-the-error-log\n')
    request.environ['wsgi.errors'].flush()
    return 'logged'


@app.route('/stream')
def stream():
    def chunks():
        for i in range(3):
            yield 'part%d;' % i
    return app.response_class(chunks(), mimetype='text/plain')
