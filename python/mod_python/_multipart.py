"""Streaming multipart/form-data parsing for mod_python.util.FieldStorage (private).

Written for modpy: reads the body through req.read in blocks and never holds an uploaded
file in memory; util.FieldStorage turns each part it yields into a Field or StringField.
"""

from ._apache import SERVER_RETURN
from .apache import HTTP_BAD_REQUEST

# A multipart part's header block larger than this is malformed, not a form.
MAX_PART_HEADER_BYTES = 65536


class MultipartReader:
    """Streaming multipart/form-data parser over ``req.read``.

    The body is read in blocks of block_size; part data is copied to each part's file as
    it arrives, keeping back only a delimiter's length so a boundary (or the CR before it)
    split across two reads is still recognised. Lines may end in CRLF or bare LF.
    """

    def __init__(self, req, boundary, clen, block_size):
        self._req = req
        self._block = block_size
        self._left = clen
        self._delim = b'\n--' + boundary
        # A leading CRLF lets the first boundary, at offset 0, match the delimiter too.
        self._buf = b'\r\n'

    def _fill(self):
        """Append one more block of body to the buffer; False at the end of the body."""
        if self._left <= 0:
            return False
        data = self._req.read(min(self._block, self._left))
        if not data:
            self._left = 0
            return False
        self._left -= len(data)
        self._buf += data
        return True

    def _is_delimiter_end(self, after):
        """A boundary must be followed by '--', padding or a line end (RFC 2046 §5.1.1)."""
        while len(self._buf) < after + 2 and self._fill():
            pass
        nxt = self._buf[after:after + 2]
        return nxt == b'--' or nxt[:1] in (b'', b'\r', b'\n', b' ', b'\t')

    def _copy_until_delimiter(self, sink):
        """Copy data to sink (None discards) up to the next delimiter.

        Returns True with the buffer just after the delimiter, False at the end of the body
        (the rest was copied: upstream tolerates a missing closing boundary too).
        """
        delim = self._delim
        search_from = 0
        while True:
            i = self._buf.find(delim, search_from)
            if i >= 0:
                after = i + len(delim)
                if self._is_delimiter_end(after):
                    data_end = i - 1 if i > 0 and self._buf[i - 1:i] == b'\r' else i
                    if sink is not None and data_end > 0:
                        sink.write(self._buf[:data_end])
                    self._buf = self._buf[after:]
                    return True
                search_from = i + 1
                continue
            keep = len(delim)
            if len(self._buf) > keep:
                flush_to = len(self._buf) - keep
                if sink is not None:
                    sink.write(self._buf[:flush_to])
                self._buf = self._buf[flush_to:]
                search_from = max(0, search_from - flush_to)
            if not self._fill():
                if sink is not None and self._buf:
                    sink.write(self._buf)
                self._buf = b''
                return False

    def _next_part_follows(self):
        """After a delimiter: False for the closing one, else skip to the headers."""
        while len(self._buf) < 2 and self._fill():
            pass
        if self._buf.startswith(b'--'):
            return False
        while True:
            j = self._buf.find(b'\n')
            if j >= 0:
                self._buf = self._buf[j + 1:]
                return True
            if len(self._buf) > MAX_PART_HEADER_BYTES:
                raise SERVER_RETURN(HTTP_BAD_REQUEST)
            if not self._fill():
                return False

    def _read_headers(self):
        """A part's header lines (continuations joined) as (name, value) str pairs."""
        lines, total = [], 0
        while True:
            j = self._buf.find(b'\n')
            if j < 0:
                if len(self._buf) > MAX_PART_HEADER_BYTES:
                    raise SERVER_RETURN(HTTP_BAD_REQUEST)
                if not self._fill():
                    return None
                continue
            line, self._buf = self._buf[:j + 1], self._buf[j + 1:]
            total += len(line)
            if total > MAX_PART_HEADER_BYTES:
                raise SERVER_RETURN(HTTP_BAD_REQUEST)
            line = line.rstrip(b'\r\n')
            if not line:
                break
            if line[:1] in (b' ', b'\t') and lines:
                lines[-1] += b' ' + line.strip()
            else:
                lines.append(line)
        headers = []
        for line in lines:
            name, sep, value = line.partition(b':')
            if sep:
                headers.append((name.strip().decode('latin-1'), value.strip().decode('latin-1')))
        return headers

    def parts(self, open_part):
        """Yield (meta, file) per part, the file rewound; open_part(headers) → (meta, file)."""
        if not self._copy_until_delimiter(None):
            return
        while self._next_part_follows():
            headers = self._read_headers()
            if headers is None:
                return
            meta, file = open_part(headers)
            found = self._copy_until_delimiter(file)
            file.seek(0)
            yield meta, file
            if not found:
                return
