"""Published with mod_python.publisher: each function is a URL below /pub/index.py/."""


def index(req):
    return "Publisher index. Try /pub/index.py/greet?name=you\n"


def greet(req, name="world"):
    req.content_type = "text/plain"
    return "Hello, %s!\n" % name
