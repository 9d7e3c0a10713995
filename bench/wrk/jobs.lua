-- What the wrk scripts send (require "bench.wrk.jobs"; they run from the repository's root): the
-- benchmark's job, 90 bytes of JSON (near PerfTest's 100-byte messages; BENCH_PAYLOAD=N: N bytes, and
-- the yardstick's messages as long), a batch of them, and the bench key's headers.
local jobs = {}

jobs.job = '{"pad":"' .. string.rep("x", (tonumber(os.getenv("BENCH_PAYLOAD")) or 90) - 10) .. '"}'

function jobs.batch(n)
  local list = {}
  for i = 1, n do list[i] = jobs.job end
  return "[" .. table.concat(list, ",") .. "]"
end

function jobs.headers()
  return { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY") }
end

return jobs
