-- wrk script for bench/stress.sh: exactly WRK_JOBS jobs in batches of WRK_BATCH, appending the id
-- of every accepted job to WRK_IDS, then the thread stops and creates the file WRK_DONE:
-- bench/Throughput.java's load without a second JVM on the two cores. Run with -t1: the counts
-- live in one thread. wrk calls no function for a request that failed or timed out: a run that
-- stalls so is ended from outside (SIGINT, see bench/stress.sh) and reports an error. Prints the
-- load program's line (check_load reads it):
--   mode=batchN jobs=.. concurrency=.. accepted=.. errors=.. processed=n/a accepted_per_s=.. ...
local bench = require "bench.wrk.jobs"
local batch = tonumber(os.getenv("WRK_BATCH"))
local jobs = tonumber(os.getenv("WRK_JOBS"))
local requests = math.ceil(jobs / batch)

local full, last
local sent, answered, accepted, errors = 0, 0, 0, 0
local ids, idle
local thread

function setup(t)
  thread = t
end

function init(args)
  ids = assert(io.open(os.getenv("WRK_IDS"), "a"))
  full = wrk.format("POST", wrk.path, bench.headers(), bench.batch(batch))
  last = wrk.format("POST", wrk.path, bench.headers(), bench.batch(jobs - (requests - 1) * batch))
  -- once all batches are sent, the connections idle with a cheap request a second until the last
  -- answers (a delay past -d instead kept wrk's loop from seeing the stop; its few answers are in
  -- the latency figures)
  idle = wrk.format("GET", "/observe/health/live")
end

function delay()
  return sent >= requests and 1000 or 0
end

local verified = false

function request()
  if not verified then
    -- wrk's main thread calls request() once after init() to check the request, on this thread's
    -- state, and never sends it (were that to change, one batch more would be sent, its jobs not in
    -- WRK_IDS: bench/stress.sh also counts every job the ledger ran)
    verified = true
    return full
  end
  if sent >= requests then
    return idle
  end
  sent = sent + 1
  return sent == requests and last or full
end

function response(status, headers, answer)
  if answer:find('"checks"', 1, true) then
    return -- an idle request's answer, whatever its status
  end
  answered = answered + 1
  if status ~= 200 then
    errors = errors + 1
  end
  local n = 0
  for id in answer:gmatch('"jobId"%s*:%s*"([^"]+)"') do
    ids:write(id, "\n")
    n = n + 1
  end
  ids:flush()
  accepted = accepted + n
  wrk.thread:set("accepted", accepted) -- also for a run ended from outside
  if answered >= requests then
    finish()
  end
end

-- the counts to done(), which runs on wrk's main thread; unanswered batches and a short one are errors
local finished = false
function finish()
  if finished then
    return
  end
  finished = true
  wrk.thread:set("errors", errors + (requests - answered) + (accepted < jobs and 1 or 0))
  wrk.thread:stop()
  -- wrk's main thread sleeps out -d unless a SIGINT reaches it. Sent from here, the signal could
  -- land on this thread instead (any thread may take it) and the run slept on; so bench/stress.sh
  -- sees this file and sends SIGINT each second until wrk ends (once this thread is gone, only
  -- the main thread can take it)
  assert(io.open(os.getenv("WRK_DONE"), "w")):close()
end

function done(summary, latency, requests_made)
  local a = thread:get("accepted") or 0
  local e = (thread:get("errors") or 1) + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format("mode=batch%d jobs=%d concurrency=%d accepted=%d errors=%d processed=n/a accepted_per_s=%.0f "
      .. "end_to_end_per_s=n/a p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f\n",
    batch, jobs, os.getenv("WRK_CONNECTIONS") or 0, a, e, a / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
