#!/usr/bin/env python3
"""CPU per request of one Python worker, without Node: bench/worker-cpu.py [options].

Spawns `python -m mod_python._worker.main` on one end of a socketpair (fd 3, as
src/workers/worker-process.ts does), plays the server's side of docs/protocol.md — worker.ready,
worker.init, then request.begin frames with their first phase (`call`) in batches
of --batch like the pool sends them, the END frames of a batch riding with the next one — and
reports the worker's CPU time per request for the bench scenarios (hello, publisher, PSP,
mod_python.wsgi, and echo: a 64 KiB POST body read and written back). Messages have the shape
of what modpy sends for bench/conf/site-modpython.conf (captured with strace from a running
server).

CPU comes from /proc/PID/stat (user and system ticks) and /proc/PID/schedstat (on-CPU
nanoseconds, the precise total), read after a warm-up and again after the measured requests, so
start-up and imports are not counted. The machine is shared: this measures CPU, not wall time;
repeat with --repeat and read the median.

--profile DIR runs each worker under cProfile and writes DIR/<scenario>.prof (read it with
`python3 -m pstats`); CPU numbers are then meaningless.
"""

import argparse
import json
import os
import socket
import statistics
import struct
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The protocol this harness speaks is its own checkout's (request.begin's head order, the
# version worker.ready must announce), whichever package --package runs.
sys.path.insert(0, os.path.join(REPO, "python"))
from mod_python._worker.frames import PROTOCOL_VERSION  # noqa: E402
from mod_python._worker.wire_head import HEAD_FIELDS  # noqa: E402

HANDLERS = os.path.join(REPO, "bench", "handlers")
HEADER = struct.Struct(">IBI")
JSON, BODY, FILTER, END = 0, 1, 2, 3
PORT = 19431
TICK = os.sysconf("SC_CLK_TCK")
HELLO = b"Hello, World!\n"
ECHO_BODY = bytes(range(256)) * 256  # 64 KiB
ECHO_PIECE = 16384

CONFIG = {"PythonPath": "sys.path+['%s']" % HANDLERS, "PythonAutoReload": "0", "PythonDebug": "0"}
SERVER = {
    "server_hostname": "127.0.0.1", "server_admin": "[no address given]", "port": 0,
    "is_virtual": False, "defn_name": "/tmp/worker-cpu/site.conf", "defn_line_number": 0,
    "error_fname": "/tmp/worker-cpu/error.log", "loglevel": 4, "timeout": 60,
    "keep_alive_timeout": 5, "keep_alive_max": 0, "keep_alive": True, "names": [],
    "wild_names": [], "limit_req_line": 8190, "limit_req_fieldsize": 8190,
    "limit_req_fields": 100, "config": CONFIG, "options": {},
}


def finfo(path):
    st = os.stat(path)
    return [st.st_mode & 0o7777, st.st_ino, st.st_dev, st.st_nlink, st.st_uid, st.st_gid,
            st.st_size, int(st.st_atime), int(st.st_mtime), int(st.st_ctime), path, None, 1]


def file_sync(path, path_info, extra):
    sync = {"filename": path, "canonical_filename": path, "path_info": path_info,
            "finfo": finfo(path), "mtime": int(os.stat(path).st_mtime), "config": CONFIG,
            "requires": ["all granted"]}
    sync.update(extra)
    sync["handler"] = "mod_python"
    return sync


def scenarios():
    """name -> (URI, handler entry, the first phase's sync, the request body or None)."""
    pub = os.path.join(HANDLERS, "pub", "hello.py")
    psp = os.path.join(HANDLERS, "psp", "hello.psp")
    return {
        "hello": ("/mp/hello", {"handler": "mp_hello", "directory": "/mp/hello", "isLocation": True},
                  {"config": CONFIG, "handler": "mod_python"}, None),
        "publisher": ("/pub/hello.py/hello",
                      {"handler": "mod_python.publisher", "directory": HANDLERS + "/pub/",
                       "isLocation": False},
                      file_sync(pub, "/hello", {"content_type": "text/x-python"}), None),
        "psp": ("/psp/hello.psp",
                {"handler": "mod_python.psp", "directory": HANDLERS + "/psp/", "isLocation": False},
                file_sync(psp, "", {"addhandler_exts": "psp"}), None),
        # 64 KiB POST echoed back (mp_hello::echo): the body follows request.begin as the server
        # sends a preread one, in 16 KiB pieces, then the first phase.
        "echo": ("/mp/echo", {"handler": "mp_hello::echo", "directory": "/mp/echo",
                              "isLocation": True},
                 {"config": CONFIG, "handler": "mod_python"}, ECHO_BODY),
        "wsgi": ("/mpwsgi",
                 {"handler": "mod_python.wsgi", "directory": "/mpwsgi", "isLocation": True},
                 {"config": CONFIG, "options": {"mod_python.wsgi.application": "wsgi_hello"},
                  "handler": "mod_python"}, None),
    }


def begin_message(rid, uri, entry, sync, conn_id, keepalives, ref=None, body=None):
    """request.begin as src/workers/worker.ts sends it: the head as the array of its values in
    HEAD_FIELDS order (no prev_rid/main_rid: not a redirect). `ref(key, value)` → the number of
    a value sent once by ref.define (the server, the connection's facts, the handler list and
    the config/options tables); without it everything is inline."""
    ref = ref or (lambda key, value: value)
    conn = {"id": conn_id, "client_ip": "127.0.0.1", "client_port": 40000 + conn_id,
            "local_ip": "127.0.0.1", "local_port": PORT, "local_host": None,
            "remote_host": None, "keepalive": 0}
    head = {
        "the_request": "%s %s HTTP/1.1" % ("POST" if body else "GET", uri),
        "method": "POST" if body else "GET", "method_number": 2 if body else 0,
        "protocol": "HTTP/1.1", "proto_num": 1001, "unparsed_uri": uri, "hostname": "127.0.0.1",
        "request_time": round(time.time(), 3),
        "headers_in": [["Host", "127.0.0.1:%d" % PORT], ["User-Agent", "wrk"], ["Accept", "*/*"]],
        "header_only": False, "expecting_100": False,
        "clength_in": len(body) if body else None, "read_chunked": False,
        "parsed_uri": [None, None, None, None, None, PORT, uri, None, None], "range": None,
        "document_root": "/tmp/worker-cpu/htdocs", "is_https": False,
        "connection": ref(("conn", conn_id), conn), "keepalives": keepalives,
        "server": ref(("server",), SERVER),
    }
    sync = dict(sync)
    for key in ("config", "options"):
        if key in sync:
            sync[key] = ref((key, json.dumps(sync[key])), sync[key])
    call = {"phase": "PythonHandler", "hlist": ref(("hlist", uri), [dict(entry, silent=False)]),
            "extension": None, "sync": sync}
    values = [head[name] for name in HEAD_FIELDS[:-2]]
    return {"type": "request.begin", "rid": rid, "head": values, "deadlineMs": 300000,
            "call": call}


def json_frame(msg):
    payload = json.dumps(msg, separators=(",", ":")).encode()
    return HEADER.pack(len(payload), JSON, 0) + payload


class Reader:
    def __init__(self, sock):
        self.sock = sock
        self.buf = bytearray()

    def frame(self):
        while True:
            if len(self.buf) >= 9:
                length, kind, ident = HEADER.unpack_from(self.buf)
                if len(self.buf) >= 9 + length:
                    payload = bytes(self.buf[9:9 + length])
                    del self.buf[:9 + length]
                    return kind, ident, json.loads(payload) if kind == JSON else payload
            data = self.sock.recv(1 << 20)
            if not data:
                raise EOFError("the worker closed its socket (see its stderr above)")
            self.buf += data

    def message(self, mtype):
        while True:
            kind, _, obj = self.frame()
            if kind == JSON and obj["type"] == mtype:
                return obj
            if kind == JSON and obj["type"] == "log":
                sys.stderr.write("worker log: %s\n" % obj["message"])


class Worker:
    def __init__(self, python, package, profile=None):
        parent, child = socket.socketpair()
        env = dict(os.environ)
        env["PYTHONPATH"] = package + ":" + HANDLERS
        env.pop("MODPY_SCOREBOARD", None)
        cmd = [python, "-m", "mod_python._worker.main"]
        if profile:
            cmd = [python, "-m", "cProfile", "-o", profile, "-m", "mod_python._worker.main"]
        fd = child.fileno()
        self.proc = subprocess.Popen(cmd, env=env, cwd="/", stdin=subprocess.DEVNULL,
                                     preexec_fn=lambda: os.dup2(fd, 3), pass_fds=(3,))
        child.close()
        self.sock = parent
        self.reader = Reader(parent)
        ready = self.reader.message("worker.ready")
        self.pid = ready["pid"]
        if ready["protocol"] != PROTOCOL_VERSION:
            self.proc.kill()
            raise SystemExit("the worker speaks protocol %s, this harness %s: run the harness of "
                             "the package's own checkout" % (ready["protocol"], PROTOCOL_VERSION))
        init = {"server": SERVER, "config_tree": [], "defines": ["FOREGROUND"],
                "server_root": "/tmp/worker-cpu", "mpm": {}, "python_optimize": False,
                "imports": [], "interpreter": "127.0.0.1"}
        parent.sendall(json_frame({"type": "worker.init", "init": init}))
        self.reader.message("worker.initialized")
        self.rid = 0
        self.ends = b""
        self.refs = {}  # key -> number, as src/workers/ref-table.ts keeps them
        self.defines = []  # ref.define frames to send before the message that names them

    def ref(self, key, value):
        number = self.refs.get(key)
        if number is None:
            number = self.refs[key] = len(self.refs) + 1
            self.defines.append(json_frame({"type": "ref.define", "ref": number, "value": value}))
        return number

    def cpu(self):
        """(user s, system s, on-CPU s) of the worker so far."""
        with open("/proc/%d/stat" % self.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        with open("/proc/%d/schedstat" % self.pid) as f:
            ns = int(f.read().split()[0])
        return int(fields[11]) / TICK, int(fields[12]) / TICK, ns / 1e9

    def run(self, scenario, count, batch, gap=0.0):
        uri, entry, sync, body = scenario
        self.expected = body or HELLO
        done = 0
        while done < count:
            if gap:
                time.sleep(gap)
            n = min(batch, count - done)
            rids = []
            out = [self.ends]
            for _ in range(n):
                self.rid += 1
                conn = self.rid % 8 + 1
                msg = begin_message(self.rid, uri, entry, sync, conn, self.rid // 8, self.ref,
                                    body)
                out.extend(self.defines)
                self.defines.clear()
                if body:
                    # As the server sends a preread body: begin, the body, then the first phase.
                    call = msg.pop("call")
                    out.append(json_frame(msg))
                    for at in range(0, len(body), ECHO_PIECE):
                        piece = body[at:at + ECHO_PIECE]
                        out.append(HEADER.pack(len(piece), BODY, self.rid) + piece)
                    out.append(json_frame({"type": "body.end", "rid": self.rid}))
                    out.append(json_frame({"type": "phase.run", "rid": self.rid, "call": call}))
                else:
                    out.append(json_frame(msg))
                rids.append(self.rid)
            # Like the pool: the lazy END frames of the last batch ride with this batch's begins.
            self.sock.sendall(b"".join(out))
            self._collect(rids)
            self.ends = b"".join(HEADER.pack(0, END, r) for r in rids)
            done += n

    def _collect(self, rids):
        waiting = set(rids)
        bodies = {}
        while waiting:
            kind, ident, obj = self.reader.frame()
            if kind == BODY:
                bodies[ident] = bodies.get(ident, b"") + obj
            elif kind == JSON:
                t = obj["type"]
                if t == "phase.done":
                    if obj["result"]["status"] != 0 or bodies.get(obj["rid"]) != self.expected:
                        raise RuntimeError("request %d: %r, body %r"
                                           % (obj["rid"], obj["result"], bodies.get(obj["rid"])))
                    waiting.discard(obj["rid"])
                elif t == "phase.error":
                    raise RuntimeError("request %d failed: %r" % (obj["rid"], obj))
                elif t == "log":
                    sys.stderr.write("worker log: %s\n" % obj["message"])

    def close(self):
        self.sock.sendall(self.ends)
        # End of stream: the worker answers the last ENDs, sees EOF and exits.
        self.sock.shutdown(socket.SHUT_WR)
        while self.sock.recv(1 << 16):
            pass
        self.sock.close()
        self.proc.wait(30)


def measure(python, package, name, count, warmup, batch, profile_dir=None, gap=0.0):
    profile = os.path.join(profile_dir, name + ".prof") if profile_dir else None
    w = Worker(python, package, profile)
    sc = scenarios()[name]
    try:
        w.run(sc, warmup, batch)
        u0, s0, t0 = w.cpu()
        w.run(sc, count, batch, gap)
        u1, s1, t1 = w.cpu()
    finally:
        w.close()
    k = 1e6 / count
    return (u1 - u0) * k, (s1 - s0) * k, (t1 - t0) * k


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("scenarios", nargs="*", default=["hello", "publisher", "psp", "wsgi"])
    ap.add_argument("-n", "--requests", type=int, default=20000)
    ap.add_argument("--warmup", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--gap", type=float, default=0.0, metavar="MS",
                    help="idle time before each batch (a lightly loaded worker: its timers "
                         "fire while it waits)")
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--profile", metavar="DIR", help="write DIR/<scenario>.prof (cProfile)")
    ap.add_argument("--package", metavar="DIR", default=os.path.join(REPO, "python"),
                    help="directory holding the mod_python package (compare a checkout: "
                         "git archive HEAD python | tar -x -C /tmp/base); it must speak this "
                         "harness's protocol, else run that checkout's harness")
    args = ap.parse_args()
    if args.profile:
        os.makedirs(args.profile, exist_ok=True)
        args.repeat = 1
    print("worker CPU per request, µs (median of %d runs of %d requests, batches of %d%s)"
          % (args.repeat, args.requests, args.batch,
             ", %g ms apart" % args.gap if args.gap else ""))
    print("%-10s %8s %8s %8s   %s" % ("scenario", "total", "user", "sys", "all runs (total)"))
    for name in args.scenarios:
        runs = [measure(args.python, args.package, name, args.requests, args.warmup, args.batch,
                        args.profile, args.gap / 1000.0)
                for _ in range(args.repeat)]
        total = statistics.median(r[2] for r in runs)
        user = statistics.median(r[0] for r in runs)
        system = statistics.median(r[1] for r in runs)
        print("%-10s %8.1f %8.1f %8.1f   %s" % (name, total, user, system,
                                               " ".join("%.1f" % r[2] for r in runs)), flush=True)


if __name__ == "__main__":
    main()
