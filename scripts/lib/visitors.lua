-- wrk script for scripts/bench-visitors: alternates a new visitor's session start with a heartbeat of a session
-- this thread started earlier, so the server sees one heartbeat per start, as from pages kept open.
-- started and prefix are globals: wrk reads and sets them per thread (thread:get/set)
local n = 0
started = 0
local pending = {}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("prefix", "wrk" .. #threads .. "-")
end

function init(args)
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Origin"] = "https://shop.example"
  wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"
end

function request()
  local id = table.remove(pending)
  if id then
    return wrk.format("POST", wrk.path .. "/" .. id .. "/heartbeat", nil, "{}")
  end
  n = n + 1
  return wrk.format("POST", wrk.path, nil,
    '{"clientId":"' .. prefix .. n .. '","page":"https://shop.example/?utm_source=google&utm_campaign=bench"}')
end

function response(status, headers, body)
  if status == 200 and body:find('"resumed":false', 1, true) then
    started = started + 1
    local id = body:match('"sessionId":"([%x%-]+)"')
    if id then table.insert(pending, id) end
  end
end

function done(summary, latency, requests)
  local starts = 0
  for _, t in ipairs(threads) do starts = starts + t:get("started") end
  local seconds = summary.duration / 1e6
  io.write(string.format("visitor API: %d session starts + heartbeats in %.1f s = %.0f starts/s, %.0f requests/s; "
      .. "latency of all requests p50 %.2f ms, p99 %.2f ms, max %.2f ms; errors: %d non-2xx, %d socket\n",
      starts, seconds, starts / seconds, summary.requests / seconds, latency:percentile(50) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000, summary.errors.status,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
