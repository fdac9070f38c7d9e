"""A tiny line-based key-value protocol, served by PythonConnectionHandler.

Commands, one per line (answers end with CRLF):
    SET key value   -> +OK
    GET key         -> the value, or -ERR no such key
    DEL key         -> +OK (1) or +OK (0)
    COUNT           -> how many keys are stored
    QUIT            -> +BYE, and the connection closes

The store lives in the worker process, so it persists between connections: the point of
persistent interpreters. (With several worker processes each has its own store, as each
Apache child had under mod_python; use ModpyPool processes=1 for one shared store.)
"""
from mod_python import apache

STORE = {}


def answer(conn, text):
    conn.write((text + "\r\n").encode("utf-8"))


def connectionhandler(conn):
    answer(conn, "+READY kvstore on %s" % conn.base_server.server_hostname)
    while True:
        line = conn.readline()
        if not line:  # the client closed the connection
            return apache.OK
        words = line.decode("utf-8", "replace").strip().split(None, 2)
        if not words:
            continue
        command, args = words[0].upper(), words[1:]
        if command == "SET" and len(args) == 2:
            STORE[args[0]] = args[1]
            answer(conn, "+OK")
        elif command == "GET" and len(args) == 1:
            value = STORE.get(args[0])
            answer(conn, value if value is not None else "-ERR no such key")
        elif command == "DEL" and len(args) == 1:
            answer(conn, "+OK (%d)" % (1 if STORE.pop(args[0], None) is not None else 0))
        elif command == "COUNT" and not args:
            answer(conn, str(len(STORE)))
        elif command == "QUIT":
            answer(conn, "+BYE")
            return apache.OK
        else:
            answer(conn, "-ERR unknown command or wrong arguments: %s" % words[0])
