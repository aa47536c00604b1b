-- wrk script of `make bench-load` (benchmarks/bench_load.py fills in the mix): each
-- connection walks the list of requests from its own starting point; htmx partials
-- carry HX-Request. Prints one RESULT line (latencies in microseconds) at the end.

local paths = { --PATHS-- }
local htmx = { --HTMX-- }
local threads = 0
local counter = 0

function setup(thread)
   threads = threads + 1
   thread:set("tid", threads)
end

function init(args)
   counter = tid * 997
end

function request()
   counter = counter + 1
   local i = counter % #paths + 1
   if htmx[i] then
      return wrk.format("GET", paths[i], { ["HX-Request"] = "true" })
   end
   return wrk.format("GET", paths[i])
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "RESULT %d %d %d %d %d %d %d %d %d %d %d\n",
      summary.requests, summary.duration,
      latency:percentile(50), latency:percentile(95), latency:percentile(99),
      latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
