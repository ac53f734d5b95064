#!/usr/bin/env bash
# Benchmark of the packaged service against the loopback ceiling (nginx answering a fixed 200 from memory).
#
# Prints one table: /example throughput and latency, RSS, /metrics scrape latency and size, and time to the first
# 200 on /live, for nginx, the JVM jar (with the production JVM options below), the JDK 25 AOT-cached jar (if built)
# and a native executable (if passed), with each figure's ratio to nginx's.
#
# Usage: src/test/bench/bench.sh [--quick] [--pinned] [--native PATH] [--jar DIR] [--aot-jar DIR]
#   --quick      a few seconds per row: only checks that the benchmark still works (CI), figures are meaningless
#   --pinned     each server on CPU 0 (nginx with one worker), the load on CPU 1 (taskset): the shape of a 1-CPU pod
#   --native     a native executable built with -Dnative (e.g. target/*-runner)
#   --jar        the fast-jar directory (default target/quarkus-app, from ./mvnw package)
#   --aot-jar    the AOT jar directory (default target/aot/quarkus-app, from a JDK 25 ./mvnw verify -Paot)
# Environment: JAVA (java for the jar row, default: java on PATH), JAVA25 (default
# /usr/lib/jvm/temurin-25-jdk-amd64/bin/java), JVM_OPTS (to try other options than the production ones).
#
# Needs: wrk, hey, nginx, curl (Debian packages of the same names). Client and service share the machine's cores,
# and anything else running there moves the figures: compare ratios within one run, not absolute values across runs.
set -euo pipefail

# The JVM options the project ships for production: exactly what src/main/docker/Dockerfile.jvm passes, where the
# heap follows the container's memory limit. A plain `java -jar` has no such limit: -XX:MaxRAM stands in for the
# 256 MiB limit the options are sized for (the README's `java -jar` line, which keeps the hsperfdata file for jps
# and jstat). JVM_OPTS in the environment overrides it, to measure alternatives.
JVM_OPTS="${JVM_OPTS:--XX:MaxRAM=256m -XX:+UseSerialGC -XX:MaxRAMPercentage=50 -XX:InitialRAMPercentage=25 -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError}"

# What Prometheus 2.x sends: the service answers it with the classic text format.
PROMETHEUS_ACCEPT='Accept: application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'

cd "$(dirname "$0")/../../.."

quick=false
pinned=false
native=""
jar_dir="target/quarkus-app"
aot_dir="target/aot/quarkus-app"
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=true ;;
        --pinned) pinned=true ;;
        --native) native="$2"; shift ;;
        --jar) jar_dir="$2"; shift ;;
        --aot-jar) aot_dir="$2"; shift ;;
        -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

if $quick; then
    load_seconds=1; warmup_seconds=1; warmup_window=1; warmup_max=2; starts=1; scrapes=20; scrape_warmup=5
else
    load_seconds=10; warmup_seconds=10; warmup_window=5; warmup_max=60; starts=5; scrapes=200; scrape_warmup=20
fi
connections=32
# Pinned: the servers get CPU 0 and the load generators CPU 1, so that neither takes the other's CPU.
server_cpu=() client_cpu=() nginx_workers=2
if $pinned; then
    [ "$(nproc)" -ge 2 ] || { echo "--pinned needs 2 CPUs" >&2; exit 2; }
    server_cpu=(taskset -c 0) client_cpu=(taskset -c 1) nginx_workers=1
fi

JAVA="${JAVA:-java}"
JAVA25="${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"

for tool in wrk hey nginx curl taskset "$JAVA"; do
    command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install wrk hey nginx curl)" >&2; exit 2; }
done
[ -f "$jar_dir/quarkus-run.jar" ] || { echo "missing $jar_dir/quarkus-run.jar: run ./mvnw package first" >&2; exit 2; }

work=$(mktemp -d /tmp/bench.XXXXXX)
started_pids=()
cleanup() {
    for pid in "${started_pids[@]}"; do
        kill -KILL "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

failed=0
fail() {
    echo "FAILED: $*" >&2
    failed=1
}

now_us() {
    local t=$EPOCHREALTIME
    echo "${t/./}"
}

# A loopback port nobody listens on (a connection to it is refused), below the kernel's ephemeral range: the load
# generators' own connections take ports from that range, and bind() fails on a port one of them holds.
ephemeral_start=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
used_ports=" "
free_port() {
    local port
    while true; do
        port=$((10000 + RANDOM % (ephemeral_start - 10000)))
        case "$used_ports" in *" $port "*) continue ;; esac
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            used_ports+="$port "
            echo "$port"
            return
        fi
    done
}

rss_kib() {
    local total=0 pid kib
    for pid in "$@"; do
        kib=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
        total=$((total + ${kib:-0}))
    done
    echo "$total"
}

# Samples the RSS of the given pids every 0.2 s and writes the peak (KiB) to $work/peak-rss until stopped.
sample_peak_rss() {
    local peak=0 rss
    while true; do
        rss=$(rss_kib "$@")
        if [ "$rss" -gt "$peak" ]; then
            peak=$rss
            echo "$peak" >"$work/peak-rss"
        fi
        sleep 0.2
    done
}

to_ms() {  # wrk latency such as 326.00us, 1.20ms or 1.01s
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) printf "%.3f", v / 1000; else if (v ~ /ms$/) printf "%.3f", v + 0; else printf "%.3f", v * 1000 }'
}

# CPU time (clock ticks) that the JIT compiler threads of the pids have used so far (0 without a JIT: nginx, native).
jit_ticks() {
    local total=0 task
    for task in $(printf '/proc/%s/task/* ' "$@"); do
        if grep -qE '^C[12] CompilerThre' "$task/comm" 2>/dev/null; then
            total=$(( total + $(awk '{ print $14 + $15 }' "$task/stat" 2>/dev/null || echo 0) ))
        fi
    done
    echo "$total"
}

# Load on $1 until the pids $2... are warm: $warmup_seconds, then more windows of $warmup_window seconds while their
# JIT compiler threads still take more than 2 % of a window's time (at most $warmup_max seconds). On one CPU the
# compilers share the service's core: in the second 10 s of load they still took 6-8 % of it, so a fixed 10 s
# measured compilation as much as the request path. Sets warmed_s.
warm_up() {
    local url=$1; shift
    local jit_before jit_used
    "${client_cpu[@]}" wrk -t1 -c"$connections" -d"${warmup_seconds}s" "$url" >/dev/null
    warmed_s=$warmup_seconds
    while [ "$warmed_s" -lt "$warmup_max" ]; do
        jit_before=$(jit_ticks "$@")
        "${client_cpu[@]}" wrk -t1 -c"$connections" -d"${warmup_window}s" "$url" >/dev/null
        warmed_s=$(( warmed_s + warmup_window ))
        jit_used=$(( $(jit_ticks "$@") - jit_before ))
        [ $(( jit_used * 100 )) -gt $(( warmup_window * $(getconf CLK_TCK) * 2 )) ] || break
    done
}

# Runs wrk against $1 after a warm-up; sets rps, p50, p99, peak_rss (peak RSS of the pids $2...) and cpu_us (CPU
# time, user and system, that those pids used per request).
load_test() {
    local url=$1; shift
    local out="$work/wrk.txt" sampler cpu_before cpu_after pid
    warm_up "$url" "$@"
    echo 0 >"$work/peak-rss"
    sample_peak_rss "$@" &
    sampler=$!
    cpu_before=0; for pid in "$@"; do cpu_before=$(( cpu_before + $(cpu_ticks "$pid") )); done
    "${client_cpu[@]}" wrk -t1 -c"$connections" -d"${load_seconds}s" --latency "$url" >"$out"
    cpu_after=0; for pid in "$@"; do cpu_after=$(( cpu_after + $(cpu_ticks "$pid") )); done
    kill "$sampler"; wait "$sampler" 2>/dev/null || true
    peak_rss=$(( $(cat "$work/peak-rss") / 1024 ))
    cpu_us=$(awk -v ticks=$(( cpu_after - cpu_before )) -v tck="$(getconf CLK_TCK)" \
        -v n="$(awk '/ requests in / {print $1}' "$out")" 'BEGIN { if (n > 0) printf "%.1f", ticks * 1e6 / tck / n; else print "-" }')
    rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")
    p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")
    p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")
    if grep -qE 'Non-2xx|Socket errors' "$out"; then
        fail "$url: $(grep -E 'Non-2xx|Socket errors' "$out" | tr -s ' ')"
    fi
}

# Sequential scrapes on one keep-alive connection, as Prometheus does; sets scrape_ms (mean) and scrape_kib.
scrape_test() {
    local url=$1 csv="$work/hey.csv"
    hey -n "$scrape_warmup" -c 1 -H "$PROMETHEUS_ACCEPT" "$url" >/dev/null
    hey -n "$scrapes" -c 1 -H "$PROMETHEUS_ACCEPT" -o csv "$url" >"$csv"
    scrape_ms=$(awk -F, 'NR > 1 { sum += $1; n++ } END { printf "%.2f", sum * 1000 / n }' "$csv")
    local not_ok
    not_ok=$(awk -F, 'NR > 1 && $7 != 200' "$csv" | wc -l)
    [ "$not_ok" -eq 0 ] || fail "$url: $not_ok scrapes did not answer 200"
    scrape_kib=$(curl -s -H "$PROMETHEUS_ACCEPT" "$url" | wc -c | awk '{printf "%.1f", $1 / 1024}')
}

stop() {
    local pid=$1
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# CPU time (user + system, clock ticks) the process has used so far.
cpu_ticks() {
    awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# CPU time (user + system, ms) the process has used so far: unlike wall time, barely moved by other load.
cpu_ms() {
    awk -v tck="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / tck }' "/proc/$1/stat"
}

median() {
    tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

rows=()
add_row() {  # name rps p50 p99 cpu_us warmed_s rss_start rss_load scrape_ms scrape_kib start_ms start_cpu_ms
    rows+=("$*")
}

bench_nginx() {
    local port conf pid
    port=$(free_port)
    mkdir -p "$work/nginx"
    conf="$work/nginx/nginx.conf"
    cat >"$conf" <<EOF
worker_processes $nginx_workers;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    server {
        listen 127.0.0.1:$port;
        location / { default_type text/plain; return 200 "ok\n"; }
    }
}
EOF
    "${server_cpu[@]}" nginx -c "$conf" -p "$work/nginx" &
    pid=$!
    started_pids+=("$pid")
    until curl -sf -o /dev/null "http://127.0.0.1:$port/example"; do
        kill -0 "$pid" 2>/dev/null || { fail "nginx did not start: $(cat "$work/nginx/error.log")"; return; }
        sleep 0.05
    done
    local pids=("$pid" $(ps -o pid= --ppid "$pid"))
    local rss_start
    rss_start=$(( $(rss_kib "${pids[@]}") / 1024 ))
    load_test "http://127.0.0.1:$port/example" "${pids[@]}"
    add_row nginx "$rps" "$p50" "$p99" "$cpu_us" "$warmed_s" "$rss_start" "$peak_rss" - - - -
    stop "$pid"
}

# Whether GET /live on the port answers 200. Bash's own TCP client rather than curl: a curl process per poll takes
# CPU from the service while it starts (about 50 ms more to the first 200 with the AOT jar on 2 cores).
live() {
    local status_line
    { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
    printf 'GET /live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
    read -r -t 2 status_line <&3 || status_line=""
    exec 3<&-
    [[ $status_line == "HTTP/1.1 200 "* ]]
}

# bench_service NAME DIR COMMAND...: starts the service $starts times (in DIR), timing the first 200 on /live,
# and keeps the last one running for the load and scrape tests.
bench_service() {
    local name=$1 dir=$2; shift 2
    local http_port mgmt_port pid t0 t1 start_times="" start_cpu="" rss_starts="" i log="$work/$name.log"
    for i in $(seq "$starts"); do
        http_port=$(free_port)
        mgmt_port=$(free_port)
        t0=$(now_us)
        (cd "$dir" && exec "${server_cpu[@]}" env EXAMPLE_FAILURE_RATE=0 QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
            QUARKUS_HTTP_PORT="$http_port" QUARKUS_MANAGEMENT_PORT="$mgmt_port" "$@" >"$log" 2>&1) &
        pid=$!
        started_pids+=("$pid")
        # Polls every 10 ms at most: tighter polling would take CPU from the starting service on 2 cores.
        until live "$http_port"; do
            if ! kill -0 "$pid" 2>/dev/null; then
                fail "$name exited during start-up:"; cat "$log" >&2; return
            fi
            if [ $(( $(now_us) - t0 )) -gt 60000000 ]; then
                fail "$name not live after 60 s"; cat "$log" >&2; stop "$pid"; return
            fi
            sleep 0.01
        done
        t1=$(now_us)
        start_times+=" $(( (t1 - t0) / 1000 ))"
        start_cpu+=" $(cpu_ms "$pid")"
        rss_starts+=" $(( $(rss_kib "$pid") / 1024 ))"
        if [ "$i" -lt "$starts" ]; then
            stop "$pid"
        fi
    done
    load_test "http://127.0.0.1:$http_port/example" "$pid"
    scrape_test "http://127.0.0.1:$mgmt_port/metrics"
    add_row "$name" "$rps" "$p50" "$p99" "$cpu_us" "$warmed_s" "$(echo "$rss_starts" | median)" "$peak_rss" "$scrape_ms" "$scrape_kib" \
        "$(echo "$start_times" | median)" "$(echo "$start_cpu" | median)"
    if grep -qE 'WARN|ERROR' "$log"; then
        echo "--- $name logged warnings:" >&2
        grep -E 'WARN|ERROR' "$log" >&2
    fi
    stop "$pid"
}

echo "Benchmark $(date -u '+%Y-%m-%d %H:%M UTC')$($quick && echo ' (QUICK: figures meaningless)')"
echo "Machine: $(nproc) cores ($(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)), \
$(awk '/^MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM, $(uname -sr); load average at start: \
$(cut -d' ' -f1-3 /proc/loadavg)"
echo "Load: wrk -t1 -c$connections -d${load_seconds}s after a warm-up of ${warmup_seconds}s, then ${warmup_window}s more at \
a time while the JIT compilers take over 2 % of it (at most ${warmup_max}s)$($pinned && echo \
    ', servers pinned to CPU 0 (nginx: 1 worker), wrk to CPU 1'); scrapes: mean of $scrapes \
sequential (after $scrape_warmup); start: median of $starts, process start to first 200 on /live (wall time, and
the CPU time the service had used by then, which other load on the machine barely moves)"
echo "JVM jar: $("$JAVA" -version 2>&1 | head -1), options: $JVM_OPTS"

bench_nginx
bench_service "JVM jar" "$jar_dir" "$JAVA" $JVM_OPTS -jar quarkus-run.jar
if [ -f "$aot_dir/app.aot" ] && [ -x "$JAVA25" ]; then
    echo "AOT jar: $("$JAVA25" -version 2>&1 | head -1), -XX:AOTCache=app.aot $JVM_OPTS"
    bench_service "AOT jar (JDK 25)" "$aot_dir" "$JAVA25" -XX:AOTCache=app.aot $JVM_OPTS -jar quarkus-run.jar
else
    echo "AOT jar: skipped (needs $aot_dir/app.aot from a JDK 25 './mvnw verify -Paot', and $JAVA25)"
fi
if [ -n "$native" ]; then
    bench_service "native" "$(dirname "$native")" "./$(basename "$native")"
fi

echo "Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '| %-16s | %14s | %14s | %14s | %9s | %9s | %9s | %9s | %9s | %9s | %9s | %9s |\n' \
    "" "/example req/s" "p50 ms" "p99 ms" "CPU us" "warm-up" "RSS start" "RSS load" "scrape ms" "scrape" "first 200" "CPU until"
printf '| %-16s | %14s | %14s | %14s | %9s | %9s | %9s | %9s | %9s | %9s | %9s | %9s |\n' \
    "" "(x nginx)" "(x nginx)" "(x nginx)" "per req" "s" "MiB" "MiB" "mean" "KiB" "/live ms" "then ms"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' "------------------" "---------------:" "---------------:" \
    "---------------:" "----------:" "----------:" "----------:" "----------:" "----------:" "----------:" "----------:" "----------:"
base_rps=0 base_p50=0 base_p99=0
if [[ "${rows[0]}" == "nginx "* ]]; then
    read -r _ base_rps base_p50 base_p99 _ <<<"${rows[0]}"
fi
for row in "${rows[@]}"; do
    # The name may contain spaces: the eleven figures are the last fields.
    figures=$(echo "$row" | awk '{ for (i = NF - 10; i <= NF; i++) printf "%s ", $i }')
    name=$(echo "$row" | awk '{ for (i = 1; i <= NF - 11; i++) printf "%s%s", $i, (i < NF - 11 ? " " : "") }')
    read -r rps p50 p99 cpu_us warmed_s rss_start rss_load scrape_ms scrape_kib start_ms start_cpu <<<"$figures"
    ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
    printf '| %-16s | %6s (%5s) | %6s (%5s) | %6s (%5s) | %9s | %9s | %9s | %9s | %9s | %9s | %9s | %9s |\n' "$name" \
        "$rps" "$(ratio "$rps" "$base_rps")" "$p50" "$(ratio "$p50" "$base_p50")" "$p99" "$(ratio "$p99" "$base_p99")" \
        "$cpu_us" "$warmed_s" "$rss_start" "$rss_load" "$scrape_ms" "$scrape_kib" "$start_ms" "$start_cpu"
done
exit "$failed"
