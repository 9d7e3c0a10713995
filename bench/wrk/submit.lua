-- wrk script for warren's intake: POST one job (or, with WRK_BATCH=n, a batch of n) per request,
-- with the bench key, and count what warren answered. Prints one line at the end:
--   wrk requests=.. accepted_jobs=.. refused=.. p50_ms=.. p99_ms=..
local jobs = require "bench.wrk.jobs"
local batch = tonumber(os.getenv("WRK_BATCH") or "0")

wrk.method = "POST"
for name, value in pairs(jobs.headers()) do wrk.headers[name] = value end
wrk.body = batch > 0 and jobs.batch(batch) or jobs.job

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  accepted = 0
  refused = 0
end

function response(status, headers, body)
  if batch > 0 and status == 200 then
    local _, n = string.gsub(body, '"status":"ACCEPTED"', "")
    accepted = accepted + n
  elseif batch == 0 and status == 202 then
    accepted = accepted + 1
  else
    refused = refused + 1
  end
end

function done(summary, latency, requests)
  local a, r = 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("accepted")
    r = r + t:get("refused")
  end
  io.write(string.format("wrk requests=%d accepted_jobs=%d refused=%d socket_errors=%d p50_ms=%.1f p99_ms=%.1f\n",
    summary.requests, a, r, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
