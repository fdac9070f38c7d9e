"""Python filters (spec §3.7, §4.6): the filter object and the per-request FilterSet.

An output filter function is called once per piece of output (each flushed write of the
handler, or each chunk Node hands to filter_output) and once more at end of stream; it reads
the piece with filter.read() (b"" when the piece is used up, None once at EOS) and writes
what goes on. Nothing is buffered whole-body. An input filter is called when the request
body is read; its read() pulls from the client body. A filter that raises is disabled
(pass-through from then on) and the error is reported through it.
"""

import sys
from typing import Any, Callable, Optional

from mod_python._apache import SERVER_RETURN
from mod_python._worker.errors import report_error
from mod_python._worker.handlers import Settings, call, find_object, server_return_value
from mod_python._worker.request_io import as_bytes

READ_BLOCK = 65536


class Filter:
    """mp_filter."""

    def __init__(self, req: Any, name: str, handler: str, directory: Optional[str],
                 is_input: bool) -> None:
        self.req = req
        self.name = name
        self.handler = handler
        self.dir = directory
        self.is_input = 1 if is_input else 0
        self.closed = 0
        self.softspace = 0
        self.disabled = 0
        self._in = bytearray()
        self._eos = False  # EOS seen on the input side
        self._eos_reported = False
        self._source: Optional[Callable[[int], Optional[bytes]]] = None
        self._written: list = []  # queued by write(), not yet flushed
        self._passed: list = []  # flushed: what the next filter / the client gets
        self._passed_eos = False

    def _check_open(self) -> None:
        if self.closed:
            raise ValueError("I/O operation on closed filter")

    def _pull(self, want: int) -> bool:
        """Input filters: one more piece from upstream (the client body)."""
        if self._eos or self._source is None:
            return False
        piece = self._source(want)
        if piece is None:
            self._eos = True
            return False
        self._in.extend(piece)
        return True

    def _take(self, n: int) -> bytes:
        data = bytes(self._in[:n])
        del self._in[:n]
        return data

    def read(self, length: int = -1) -> Optional[bytes]:
        self._check_open()
        if not self._in and self.is_input:
            self._pull(length if length and length > 0 else READ_BLOCK)
        if not self._in:
            if self._eos:
                self._eos_reported = True
                return None
            return b""
        n = len(self._in) if length is None or length < 0 else length
        return self._take(n)

    def readline(self, length: int = -1) -> Optional[bytes]:
        self._check_open()
        while True:
            i = self._in.find(b"\n")
            if i >= 0 and (length is None or length < 0 or i < length):
                return self._take(i + 1)
            if length is not None and 0 <= length <= len(self._in):
                return self._take(length)
            if not (self.is_input and self._pull(READ_BLOCK)):
                break
        if not self._in:
            if self._eos:
                self._eos_reported = True
                return None
            return b""
        return self._take(len(self._in))

    def write(self, data: Any) -> None:
        self._check_open()
        b = as_bytes(data)
        if b:
            self._written.append(b)

    def flush(self) -> None:
        self._check_open()
        if self._written:
            self._passed.append(b"".join(self._written))
            self._written.clear()

    def close(self) -> None:
        if self.closed:
            return
        self.flush()
        self._passed_eos = True
        self.closed = 1

    def pass_on(self) -> None:
        """Passes what is left of the input through untouched."""
        self._check_open()
        while self.is_input and self._pull(READ_BLOCK):
            pass
        if self._in:
            self._written.append(self._take(len(self._in)))
        self.flush()
        if self._eos:
            self._passed_eos = True

    def disable(self) -> None:
        self.disabled = 1

    def _drain(self) -> list:
        out = [c for c in self._passed if c]
        self._passed.clear()
        return out

    def __repr__(self) -> str:
        return "<mp_filter %s %s>" % (self.name, "input" if self.is_input else "output")


class FilterSet:
    """The Python filters of one request: specs by name, one Filter object per name, and
    the active output/input chains (names from req's output_filters/input_filters)."""

    def __init__(self, req: Any) -> None:
        self.req = req
        self.local_specs: dict = {}
        self.filters: dict = {}
        self.out_chain: list = []
        self.in_chain: list = []
        self.started = False
        self.on_sync()

    def specs(self) -> dict:
        """Filter specs by lower-cased name (Apache filter names ignore case)."""
        specs = {s["name"].lower(): s for s in self.req._s.get("python_filters") or ()}
        specs.update(self.local_specs)
        return specs

    def on_sync(self) -> None:
        specs = self.specs()
        s = self.req._s
        self.out_chain = [n for n in s.get("output_filters") or ()
                          if n.lower() in specs and not specs[n.lower()].get("isInput")]
        self.in_chain = [n for n in s.get("input_filters") or ()
                         if n.lower() in specs and specs[n.lower()].get("isInput")]

    def register(self, name: str, handler: str, directory: Optional[str], is_input: bool) -> None:
        self.local_specs[name.lower()] = {"name": name, "handler": handler, "directory": directory,
                                  "isInput": is_input}
        req = self.req
        req._s["python_filters"] = list(self.specs().values())
        req._dirty.add("python_filters")
        self.on_sync()

    def has_output(self) -> bool:
        return bool(self.out_chain)

    def has_input(self) -> bool:
        return bool(self.in_chain)

    def output_started(self) -> bool:
        return self.started

    def _filter(self, name: str) -> Filter:
        key = name.lower()
        f = self.filters.get(key)
        if f is None:
            spec = self.specs().get(key)
            if spec is None:
                raise KeyError("no Python filter named %r for this request" % name)
            # req.register_*_filter filters run, in mod_python, inside its one generic
            # filter, so their filter.name is that filter's: "mod_python".
            # Apache keeps registered filter names lower-cased (PythonOutputFilter TAG_F → tag_f).
            shown = "mod_python" if key in self.local_specs else key
            f = self.filters[key] = Filter(self.req, shown, spec["handler"],
                                            spec.get("directory"), bool(spec.get("isInput")))
        return f

    # --- output ------------------------------------------------------------------------
    def run_output(self, data: bytes, final: bool) -> list:
        """The request's own output through every active Python output filter."""
        self.started = self.started or bool(data)
        chunks = [data] if data else []
        for name in self.out_chain:
            chunks = self.call_output(name, b"".join(chunks), final)
        return chunks

    def call_output(self, name: str, data: bytes, eos: bool) -> list:
        f = self._filter(name)
        if f.closed:
            return []
        if f.disabled:
            return [data] if data else []
        if not data and not eos:
            return []
        f._in = bytearray(data)
        f._eos = eos
        self._dispatch(f)
        out = f._drain()
        if f.disabled and f._in:
            out.append(f._take(len(f._in)))
        return out

    # --- input -------------------------------------------------------------------------
    def run_input(self, want: int) -> Optional[bytes]:
        """Next piece of the request body after the active input filters (None = EOS)."""
        req = self.req

        def from_client(n: int) -> Optional[bytes]:
            return req._ch.read_body(req._rid, n)

        source: Callable[[int], Optional[bytes]] = from_client
        for name in self.in_chain:
            source = self._input_stage(self._filter(name), source)
        return source(want)

    def _input_stage(self, f: Filter, upstream: Callable[[int], Optional[bytes]]) -> Callable[[int], Optional[bytes]]:
        def read(want: int) -> Optional[bytes]:
            f._source = upstream
            for _ in range(1000):  # a filter that neither writes nor closes: give up
                if f.closed or f._passed_eos:
                    return None
                if f.disabled:
                    if f._in:
                        return f._take(len(f._in))
                    return upstream(want)
                self._dispatch(f)
                out = f._drain()
                if out:
                    return b"".join(out)
                if f._eos and f._eos_reported and not f.closed:
                    return None
            return None
        return read

    # --- calling the filter function -----------------------------------------------------
    def _dispatch(self, f: Filter) -> None:
        req = self.req
        settings = Settings(req._s.get("config") or {})
        default_obj = "inputfilter" if f.is_input else "outputfilter"
        try:
            obj = find_object(f.handler, default_obj, settings, f.dir, False, f, 0)
            try:
                call(obj, f, settings.pdb)
            except SERVER_RETURN as e:
                server_return_value(e, req)
            if not f.closed:
                f.flush()
        except (Exception, SystemExit):
            f.disable()
            f._written.clear()
            report_error(sys.exc_info(), f.name, f.handler, settings.debug, req=req, filt=_Sink(f))


class _Sink:
    """Where a disabled filter's error page goes: straight on, past the filter itself."""

    def __init__(self, f: Filter) -> None:
        self._f = f

    def write(self, text: str) -> None:
        self._f._passed.append(text.encode("utf-8"))

    def flush(self) -> None:
        pass
