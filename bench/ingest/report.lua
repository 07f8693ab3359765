-- wrk script: JSON reports from many simulated clients (X-Forwarded-For from loopback, a trusted proxy).
-- Each request has a random client address in 10.0.0.0/8 and one of many User-Agents, and reports one
-- of the (service, problem type) pairs of targets.lua. Counts the 201s (counted reports) per thread
-- and prints the totals in done(), for run.sh to compare with the database.
-- Reports are sent for the number of seconds given as first script argument (wrk ... -- 30); after
-- that, until wrk stops (run it a few seconds longer), only a rare GET /favicon.svg (a static file; health is on the management port) (one per
-- connection per second, a few hundred samples against hundreds of thousands): every report sent is
-- then answered and counted here, none is left in flight when wrk closes its connections.
local targets = dofile(os.getenv("TARGETS") or "target/bench-ingest/targets.lua")
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  created, ok, other, health = 0, 0, 0, 0
  deadline = os.time() + tonumber(args[1] or "30")
  math.randomseed(os.time() * 1000 + id)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function delay()
  if os.time() >= deadline then
    return 1000
  end
  return 0
end

function request()
  if os.time() >= deadline then
    return wrk.format("GET", "/favicon.svg", {}, nil)
  end
  local t = targets[math.random(#targets)]
  local ip = "10." .. math.random(0, 255) .. "." .. math.random(0, 255) .. "." .. math.random(1, 254)
  local headers = {
    ["Content-Type"] = "application/json",
    ["X-Forwarded-For"] = ip,
    ["User-Agent"] = "bench/" .. math.random(1, 50) .. " (wrk)",
  }
  local body = '{"problem":"' .. t[2] .. '","country":"FR","city":"Lyon"}'
  return wrk.format("POST", "/api/v1/services/" .. t[1] .. "/reports", headers, body)
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  elseif status == 200 and #body > 0 and string.find(body, '"counted"', 1, true) then
    ok = ok + 1
  elseif status == 200 then
    health = health + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local c, o, x, h = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    c = c + thread:get("created")
    o = o + thread:get("ok")
    x = x + thread:get("other")
    h = h + thread:get("health")
  end
  io.write(string.format("RESULT created=%d duplicates=%d other=%d health=%d p50_us=%d p99_us=%d\n",
    c, o, x, h, latency:percentile(50), latency:percentile(99)))
end
