"""Handler for vhosts.test.ts: handler() writes req.interpreter and req.server.server_hostname."""
from mod_python import apache


def handler(req):
    req.content_type = "text/plain"
    req.write("%s %s" % (req.interpreter, req.server.server_hostname))
    return apache.OK
