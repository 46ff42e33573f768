-- wrk script for benchmarks/serve_load.sh: cycles through the request paths in $QUIRE_PATHS (one a
-- line, each thread from its own offset) and prints requests/s and latency percentiles as one line.
local paths = {}
local counter = 0

function init(args)
  for line in io.lines(os.getenv("QUIRE_PATHS")) do
    paths[#paths + 1] = line
  end
  counter = math.random(#paths)
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status +
                 summary.errors.timeout
  io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, errors))
end
