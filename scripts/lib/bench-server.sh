# Shared by the benchmark scripts: builds the jar and the test classpath, starts calltrack on a fresh embedded
# database with free loopback ports, and stops everything on exit. Sets CP, HTTP, AGI, PG, TOKEN, DATA, and JDBC:
# the embedded database's URL with the role calltrack and its password (the only login it accepts).
# KEEP=1 keeps the data directory and logs.

bench_build() {
  mvn -B -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
    -Dmdep.includeScope=test
  CP="target/test-classes:target/classes:$(cat target/bench.classpath)"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# bench_ami_settings: AMI for an AMI peer inside the load generator (CallsBench.AMI_USER/AMI_SECRET), and
# AMI_SETTINGS, calltrack's settings to log in to it (and the fallback Dial of CallsBench.ROUTING's managers)
bench_ami_settings() {
  AMI=$(free_port)
  AMI_SETTINGS=(CALLTRACK_AMI_HOST=127.0.0.1 CALLTRACK_AMI_PORT="$AMI" CALLTRACK_AMI_USERNAME=calltrack
    CALLTRACK_AMI_SECRET=bench-secret CALLTRACK_AGI_FALLBACK_DIAL=Local/reception@managers)
}

# bench_log_summary: how many warnings and errors calltrack logged, the most frequent first
bench_log_summary() {
  echo "calltrack's log: $(grep -c -E ' (WARN|ERROR) ' "$DATA/calltrack.log" || true) warnings/errors, e.g.:"
  grep -E " (WARN|ERROR) " "$DATA/calltrack.log" | cut -d" " -f2- | cut -c1-200 | sort | uniq -c | sort -rn | head -8 || true
}

bench_pids=()
bench_stop() {
  kill "${bench_pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  if [ -n "${KEEP:-}" ]; then echo "logs kept in $DATA"; else rm -rf "$DATA"; fi
}

# bench_start_calltrack: extra CALLTRACK_* settings may be passed as NAME=value arguments
bench_start_calltrack() {
  HTTP=$(free_port); AGI=$(free_port); PG=$(free_port)
  DATA=$(mktemp -d); TOKEN=bench-token
  trap bench_stop EXIT
  env CALLTRACK_DATA_DIR="$DATA" CALLTRACK_HTTP_PORT="$HTTP" CALLTRACK_AGI_PORT="$AGI" CALLTRACK_SIP_ENABLED=false \
    CALLTRACK_DB_EMBEDDED_PORT="$PG" CALLTRACK_ADMIN_TOKEN="$TOKEN" CALLTRACK_RECORDING_DIR="$DATA/recordings" \
    CALLTRACK_DB_EMBEDDED_BINARIES_DIR="$PWD/target/embedded-postgres-bin" \
    "$@" java -Xmx1g -jar target/calltrack.jar > "$DATA/calltrack.log" 2>&1 &
  bench_pids+=($!)
  for _ in $(seq 1 120); do
    if curl -fs "http://127.0.0.1:$HTTP/health" >/dev/null 2>&1; then
      JDBC="jdbc:postgresql://127.0.0.1:$PG/postgres?user=calltrack&password=$(cat "$DATA/db-password")"
      return 0
    fi
    sleep 0.5
  done
  echo "calltrack did not start:"; tail -20 "$DATA/calltrack.log"; exit 1
}
