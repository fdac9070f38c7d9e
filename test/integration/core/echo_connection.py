"""PythonConnectionHandler for connection-handler.test.ts: greets, then echoes one line."""
from mod_python import apache


def connectionhandler(conn):
    conn.write(b"hi\n")
    line = conn.readline()
    conn.write(b"echo: " + line)
    return apache.OK
