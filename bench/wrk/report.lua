-- wrk script for the bench: an optional POST body (WRK_POST_BYTES), optional session
-- cookies to rotate through (WRK_COOKIES="name=v1,name=v2,…"), and one machine-readable
-- RESULT line at the end.
local post = tonumber(os.getenv("WRK_POST_BYTES") or "0")
if post > 0 then
  wrk.method = "POST"
  wrk.body = string.rep("a", post)
  wrk.headers["Content-Type"] = "application/octet-stream"
end

local cookies = {}
for c in string.gmatch(os.getenv("WRK_COOKIES") or "", "[^,]+") do
  table.insert(cookies, c)
end
if #cookies > 0 then
  local i = 0
  -- consecutive requests use different sessions, so concurrent ones rarely share a lock
  request = function()
    i = i % #cookies + 1
    wrk.headers["Cookie"] = cookies[i]
    return wrk.format()
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d bytes=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.1f err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
