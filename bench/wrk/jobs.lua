-- What the wrk scripts send (require "bench.wrk.jobs"; they run from the repository's root): the
-- benchmark's job, 100 bytes as PerfTest's messages, a batch of them, and the bench key's headers.
local jobs = {}

jobs.job = '{"pad":"' .. string.rep("x", 80) .. '"}'

function jobs.batch(n)
  local list = {}
  for i = 1, n do list[i] = jobs.job end
  return "[" .. table.concat(list, ",") .. "]"
end

function jobs.headers()
  return { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY") }
end

return jobs
