-- wrk script of bench/faults: the ingest bench's reports (bench/ingest/report.lua: random clients in
-- 10.0.0.0/8 through X-Forwarded-For, random (service, problem type) pairs of targets.lua, reports for the
-- seconds given as first argument, then only a rare health GET), with the answers counted by status:
-- 201, 200 (not counted), 429, 503, other 5xx, anything else; and wrk's socket errors and slowest answer.
dofile("bench/ingest/report.lua")

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

local report_init = init
function init(args)
  report_init(args)
  dup, limited, unavailable, s5xx = 0, 0, 0, 0
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  elseif status == 200 and string.find(body, '"counted"', 1, true) then
    dup = dup + 1
  elseif status == 200 then
    health = health + 1
  elseif status == 429 then
    limited = limited + 1
  elseif status == 503 then
    unavailable = unavailable + 1
  elseif status >= 500 then
    s5xx = s5xx + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local t = {created = 0, dup = 0, limited = 0, unavailable = 0, s5xx = 0, other = 0}
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do
      t[k] = t[k] + thread:get(k)
    end
  end
  io.write(string.format("RESULT created=%d dup=%d limited=%d unavailable=%d s5xx=%d other=%d errors=%d timeouts=%d max_ms=%d p99_ms=%d\n",
    t.created, t.dup, t.limited, t.unavailable, t.s5xx, t.other,
    summary.errors.connect + summary.errors.read + summary.errors.write, summary.errors.timeout,
    latency.max / 1000, latency:percentile(99) / 1000))
end
