"""PythonConnectionHandler for connection-handler.test.ts: greets, then echoes one line.

Every connection, even one the client reset, ends with the line "echo_connection done" in the
error log, so the test can wait until the server has dealt with its connections."""
from mod_python import apache


def connectionhandler(conn):
    try:
        conn.write(b"hi\n")
        line = conn.readline()
        conn.write(b"echo: " + line)
        return apache.OK
    finally:
        conn.log_error("echo_connection done", apache.APLOG_NOTICE)
