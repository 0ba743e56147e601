-- wrk script: POST the decision request in $RULEBOOK_BODY (a file) to
-- /v1/decide/aps.s26, and count every answer that is not 200 as a failure.
local body_file = os.getenv("RULEBOOK_BODY") or "examples/requests/aps.s26.json"
local f = assert(io.open(body_file, "rb"))
local body = f:read("*a")
f:close()

wrk.method = "POST"
wrk.path = "/v1/decide/aps.s26"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_ok = 0
end

function response(status, headers, body)
  if status ~= 200 then not_ok = not_ok + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("not_ok") end
  local e = summary.errors
  io.write(string.format("RESULT requests=%d not_200=%d connect=%d read=%d write=%d timeout=%d status=%d rate=%.0f p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, bad, e.connect, e.read, e.write, e.timeout, e.status,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
