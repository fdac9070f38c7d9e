"""parse_qs / parse_qsl as _apache exposes them: '&' and ';' both separate fields, '+' is a
space, %XX is decoded. str in → str out (UTF-8, invalid bytes replaced), bytes in → bytes
out. Upstream 3.5 corrupted short keys ("a=1" gave ('1', '1')); this does not."""

from typing import Any, Union

_HEX = {f"{i:02x}".encode(): bytes([i]) for i in range(256)}
_HEX.update({f"{i:02X}".encode(): bytes([i]) for i in range(256)})


def _unquote(raw: bytes) -> bytes:
    raw = raw.replace(b"+", b" ")
    if b"%" not in raw:
        return raw
    parts = raw.split(b"%")
    out = [parts[0]]
    for p in parts[1:]:
        code = _HEX.get(p[:2])
        out.append(code + p[2:] if code is not None else b"%" + p)
    return b"".join(out)


def parse_qsl(qs: Union[str, bytes], keep_blank_values: Any = 0,
              strict_parsing: Any = 0) -> list:
    as_text = isinstance(qs, str)
    raw = qs.encode("utf-8") if as_text else bytes(qs)
    pairs = []
    for field in raw.replace(b";", b"&").split(b"&"):
        if not field:
            continue
        name, eq, value = field.partition(b"=")
        if not eq:
            if strict_parsing:
                raise ValueError("bad query field: %r" % (field,))
            if not keep_blank_values:
                continue
        if not value and not keep_blank_values:
            continue
        k, v = _unquote(name), _unquote(value)
        if as_text:
            pairs.append((k.decode("utf-8", "replace"), v.decode("utf-8", "replace")))
        else:
            pairs.append((k, v))
    return pairs


def parse_qs(qs: Union[str, bytes], keep_blank_values: Any = 0,
             strict_parsing: Any = 0) -> dict:
    result: dict = {}
    for k, v in parse_qsl(qs, keep_blank_values, strict_parsing):
        result.setdefault(k, []).append(v)
    return result
