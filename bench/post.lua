-- wrk script: POST a decision request, count answers by status.
-- Non-2xx answers are reported at the end; the bench fails a run that has any.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open(os.getenv("RULEBOOK_BODY") or "examples/requests/aps.s26.json", "r")
wrk.body = f:read("*a")
f:close()

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bad = 0
  good = 0
end

function response(status, headers, body)
  if status >= 200 and status < 300 then good = good + 1 else bad = bad + 1 end
end

function done(summary, latency, requests)
  local g, b = 0, 0
  for _, t in ipairs(threads) do
    g = g + t:get("good")
    b = b + t:get("bad")
  end
  io.write(string.format("answers: %d good, %d bad, %d socket errors (connect %d, read %d, write %d, timeout %d)\n",
    g, b, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  io.write(string.format("latency: p50 %.2f ms, p99 %.2f ms\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
