#!/usr/bin/env bash
# Soak benchmark (not run in CI): runs the packaged service under constant load and prints, once a minute, its
# resident memory, thread count and open file descriptors, which should stay flat, and the old generation in use
# (what the heap retains: with the default maximum heap, a quarter of RAM, RSS grows while the JVM enlarges the
# heap, which is not a leak; old_gen_mib is the figure that would show one).
#
#   ./mvnw -B -q package -DskipTests      # the jar
#   src/test/bench/soak.sh                # 10 minutes, 32 connections, failure rate 0.1
#
# The load comes from src/test/java/org/acme/example/testing/HttpLoad.java, which Java runs from its source.
#
# Settings (environment): SOAK_MINUTES (10), SOAK_CONNECTIONS (32), SOAK_HTTP_PORT (18080),
# SOAK_MANAGEMENT_PORT (19101), SOAK_JAVA_OPTS (the production options, as in README's "Run the production jar";
# set it empty to soak with the JVM defaults), EXAMPLE_FAILURE_RATE (0.1).
# Linux only (reads /proc). It keeps both cores busy: on a shared machine, run it under nice.
set -euo pipefail
cd "$(dirname "$0")/../../.."

minutes=${SOAK_MINUTES:-10}
connections=${SOAK_CONNECTIONS:-32}
http_port=${SOAK_HTTP_PORT:-18080}
management_port=${SOAK_MANAGEMENT_PORT:-19101}
jar=target/quarkus-app/quarkus-run.jar
[ -f "$jar" ] || { echo "build first: ./mvnw -B -q package -DskipTests" >&2; exit 1; }

log=$(mktemp /tmp/soak-service-XXXXXX.log)
QUARKUS_HTTP_PORT=$http_port QUARKUS_MANAGEMENT_PORT=$management_port \
    QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
    EXAMPLE_FAILURE_RATE=${EXAMPLE_FAILURE_RATE:-0.1} java ${SOAK_JAVA_OPTS--XX:MaxRAM=256m -XX:+UseSerialGC -XX:MaxRAMPercentage=50 -XX:InitialRAMPercentage=25 -XX:+ExitOnOutOfMemoryError} -jar "$jar" >"$log" 2>&1 &
service=$!
load=
cleanup() {
    [ -n "$load" ] && kill "$load" 2>/dev/null || true
    kill "$service" 2>/dev/null || true
    rm -f "$log" "$log.load"
}
trap cleanup EXIT

for _ in $(seq 300); do
    curl -fs -o /dev/null "http://127.0.0.1:$http_port/live" && break
    kill -0 "$service" 2>/dev/null || { echo "the service exited:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.2
done

format='%-8s %8s %12s %8s %8s %12s\n'
sample() { # minute label
    local rss threads fds metrics requests old_gen
    rss=$(awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$service/status")
    threads=$(awk '/^Threads/ { print $2 }' "/proc/$service/status")
    fds=$(ls "/proc/$service/fd" | wc -l)
    metrics=$(curl -fs -H 'Accept: text/plain; version=0.0.4' "http://127.0.0.1:$management_port/metrics")
    # The value is the last field: label values may hold spaces (id="Tenured Gen").
    requests=$(awk '/^example_requests_total/ { sum += $NF } END { printf "%d", sum }' <<<"$metrics")
    old_gen=$(awk '/^jvm_memory_used_bytes\{.*id="(G1 Old Gen|Tenured Gen)"/ { printf "%.1f", $NF / 1048576 }' <<<"$metrics")
    printf "$format" "$1" "$rss" "${old_gen:-?}" "$threads" "$fds" "$requests"
}

echo "service pid $service on :$http_port, $connections connections for $minutes min, $(nproc) cores"
printf "$format" minute rss_mib old_gen_mib threads fds requests
sample 0
java src/test/java/org/acme/example/testing/HttpLoad.java "$http_port" /example "$connections" $((minutes * 60)) \
    > "$log.load" 2>&1 &
load=$!
for minute in $(seq "$minutes"); do
    sleep 60
    sample "$minute"
done
wait "$load" || true
load=
echo "load: $(cat "$log.load")"
