-- bench/api_search.lua — wrk script for bench/api: GET /v1/search?q=...&limit=10 over a fixed
-- mix of Arabic queries (names, a transaction number in both digit scripts, common words, with
-- and without ال and hamza), one query per request in turn; each thread starts at another query.
-- The token comes from $SIJILL_TOKEN (bench/api sets it). bench/api also reads this list (every
-- line that is only a quoted string) to check each query once before timing.
-- Non-2xx answers are not counted here: a response() function would make wrk hand every
-- response's headers and body to Lua; wrk's own "Non-2xx or 3xx responses" line counts them.
local queries = {
  "احمد",
  "أحمد ابراهيم",
  "إبراهيم",
  "81559/1982",
  "٨١٥٥٩/١٩٨٢",
  "وزارة العدل",
  "نقل ملكية",
  "الطلب",
  "طلب",
  "السيوفي",
  "مصطفى",
  "رقم المعاملة",
}

local token = os.getenv("SIJILL_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

local function encode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local paths = {}
for i, q in ipairs(queries) do
  paths[i] = "/v1/search?q=" .. encode(q) .. "&limit=10"
end

-- setup() runs in wrk's main Lua state, once per thread; init() and request() in the thread's.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("first", threads)
end

local next_query = 0
function init(args)
  next_query = (first or 0) % #paths
end

function request()
  next_query = next_query % #paths + 1
  return wrk.format("GET", paths[next_query])
end
