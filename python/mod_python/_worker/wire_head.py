"""The order of the request head's fields in ``request.begin`` (docs/protocol.md).

The server sends the head as a JSON array of its values, not an object: without the ~20 keys
``json.loads`` of a hello's ``request.begin`` takes 1.6 µs instead of 2.8, and the server's
``JSON.stringify`` of the head 0.8 µs instead of 1.3.
The order is defined once on each side: here, and as ``HEAD_FIELDS`` in src/ipc/messages.ts
(test/unit/ipc/head-fields.test.ts reads this file and compares the two). The last two fields
are there only for an internal redirect or a subrequest: a shorter array leaves them out, and
``prev_rid`` is None when only ``main_rid`` is set.

The worker turns the array back into the dict the request objects read (``req._h``):
``dict(zip(HEAD_FIELDS, values))``, ~0.6 µs of the 1.2 µs saved (begin net: 3.35 → 2.8 µs);
index access would spread these positions over every module that reads a head field. A field
the array stops before is absent from the dict, as it was from the object.
"""

HEAD_FIELDS = (
    "the_request",
    "method",
    "method_number",
    "protocol",
    "proto_num",
    "unparsed_uri",
    "hostname",
    "request_time",
    "headers_in",
    "header_only",
    "expecting_100",
    "clength_in",
    "read_chunked",
    "parsed_uri",
    "range",
    "document_root",
    "is_https",
    "keepalives",
    "connection",
    "server",
    "prev_rid",
    "main_rid",
)
