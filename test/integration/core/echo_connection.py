"""PythonConnectionHandler for connection-handler.test.ts: echoes one line, prefixed."""
from mod_python import apache


def connectionhandler(conn):
    line = conn.readline()
    conn.write(b"echo: " + line)
    return apache.OK
