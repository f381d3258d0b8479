-- bench/soak.lua — wrk script for bench/soak: a fixed mix of reads over the archive, one request
-- per call in turn: per 10 requests 4 searches (GET /v1/search?q=...&limit=10), 4 object reads
-- (GET /v1/objects/{id}, page images) and 2 page texts (GET /v1/records/{id}/pages/{n}/text).
-- $SOAK_PATHS names a file of "S|O|T<TAB>path" lines (bench/soak writes it from the fixture data
-- and the ingested records); $SIJILL_TOKEN is the Bearer token. Each thread starts at another
-- point of each list.
-- response() counts every answer outside 200-299 by status (this makes wrk hand each response to
-- Lua, which costs some throughput); done() prints "soak: ..." lines that bench/soak parses.
local kinds = { "S", "O", "S", "T", "O", "S", "O", "S", "T", "O" }

local token = os.getenv("SIJILL_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

local lists = { S = {}, O = {}, T = {} }
local file = os.getenv("SOAK_PATHS")
if not file or file == "" then
  error("bench/soak.lua: $SOAK_PATHS is not set")
end
for line in io.lines(file) do
  local kind, path = line:match("^([SOT])\t(/%S+)$")
  if kind then
    table.insert(lists[kind], path)
  end
end
for kind, list in pairs(lists) do
  if #list == 0 then
    error("bench/soak.lua: no " .. kind .. " paths in " .. file)
  end
end

-- setup() runs in wrk's main Lua state, once per thread; init(), request(), response() in the
-- thread's own state; done() in the main state after every thread has stopped.
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("first", #threads)
end

local at = { S = 0, O = 0, T = 0 }
local turn = 0
function init(args)
  local n = (first or 1) - 1
  for kind, list in pairs(lists) do
    at[kind] = (n * 7) % #list
  end
  turn = n % #kinds
end

function request()
  turn = turn % #kinds + 1
  local kind = kinds[turn]
  local list = lists[kind]
  at[kind] = at[kind] % #list + 1
  return wrk.format("GET", list[at[kind]])
end

responses = 0
non2xx = 0
codes = ""   -- "404:3 500:1", per thread
local by_code = {}
function response(status, headers, body)
  responses = responses + 1
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    by_code[status] = (by_code[status] or 0) + 1
    local parts = {}
    for code, n in pairs(by_code) do
      table.insert(parts, code .. ":" .. n)
    end
    codes = table.concat(parts, " ")
  end
end

function done(summary, latency, requests)
  local total_non2xx, total_responses, all_codes = 0, 0, {}
  for _, thread in ipairs(threads) do
    total_non2xx = total_non2xx + (thread:get("non2xx") or 0)
    total_responses = total_responses + (thread:get("responses") or 0)
    local c = thread:get("codes") or ""
    for code, n in c:gmatch("(%d+):(%d+)") do
      all_codes[code] = (all_codes[code] or 0) + tonumber(n)
    end
  end
  local parts = {}
  for code, n in pairs(all_codes) do
    table.insert(parts, code .. "=" .. n)
  end
  table.sort(parts)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format("soak: requests %d\n", summary.requests))
  io.write(string.format("soak: responses %d\n", total_responses))
  io.write(string.format("soak: seconds %.2f\n", seconds))
  io.write(string.format("soak: rps %.1f\n", summary.requests / seconds))
  io.write(string.format("soak: non2xx %d\n", total_non2xx))
  io.write(string.format("soak: codes %s\n", #parts > 0 and table.concat(parts, " ") or "-"))
  io.write(string.format("soak: socket_errors %d %d %d %d\n", e.connect, e.read, e.write, e.timeout))
  io.write(string.format("soak: latency_ms %.2f %.2f %.2f %.2f %.2f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000))
end
