"""Worker internals: the transport (main, channel, frames) and the mod_python objects
(request, table, server, connection, filter) plus HandlerDispatch. Not public API."""
