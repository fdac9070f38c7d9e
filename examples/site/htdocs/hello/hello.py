"""The smallest mod_python handler: answers every request below /hello/."""
from mod_python import apache


def handler(req):
    req.content_type = "text/plain"
    req.write("Hello from mod_python on modpy!\n")
    req.write("uri=%s interpreter=%s\n" % (req.uri, req.interpreter))
    return apache.OK
