-- wrk script: the flash crowd's writers. Every report goes to one service and problem type (the real
-- outage pattern), each from a new person: a random client address in 10.0.0.0/8 (X-Forwarded-For
-- from loopback, a trusted proxy) and one of many User-Agents.
-- Reports are sent for the number of seconds given as first argument (wrk ... -- 30); after that, until
-- wrk stops, a rare GET /favicon.svg (a static file; health is on the management port), so that no report is in flight when wrk closes its connections.
-- done() prints the 201s, the other answers and the latency, for run.sh to check against the database.
local service = os.getenv("FLOOD_SERVICE") or "la-poste"
local problem = os.getenv("FLOOD_PROBLEM") or "parcel-tracking"
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
  local ip = "10." .. math.random(0, 255) .. "." .. math.random(0, 255) .. "." .. math.random(1, 254)
  local headers = {
    ["Content-Type"] = "application/json",
    ["X-Forwarded-For"] = ip,
    ["User-Agent"] = "flash/" .. math.random(1, 50) .. " (wrk)",
  }
  local body = '{"problem":"' .. problem .. '","country":"FR","city":"Paris"}'
  return wrk.format("POST", "/api/v1/services/" .. service .. "/reports", headers, body)
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
