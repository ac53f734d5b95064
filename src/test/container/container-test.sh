#!/usr/bin/env bash
# Builds the JVM image from src/main/docker/Dockerfile.jvm with podman and runs it the way Kubernetes runs the
# generated manifests: read-only root filesystem with a writable /tmp, all capabilities dropped, no privilege
# escalation, their resource limits (256 MiB, one CPU). Checks the endpoints, the non-root user, the heap that
# follows the memory limit and JSON logs, then that SIGTERM stops the service within the grace period.
#
# The usual base image (registry.access.redhat.com) cannot be reached from CI, so `podman build --from` replaces
# it with a Java 17 runtime base made here from Debian packages (debootstrap + openjdk-17-jre-headless).
#
# Needs: root, podman, runc, debootstrap, curl, and the packaged application (./mvnw package).
#
#   container-test.sh                 makes the base, builds the image, runs it (1-3 minutes, mostly the base)
#   container-test.sh --prepare DIR   only makes the base, in podman storage under DIR (.ci/run does this in the
#                                     background, at low priority, while ./mvnw verify runs: it is mostly downloads)
#   container-test.sh --base DIR      the test with the base of --prepare DIR; removes DIR at the end
# Everything podman creates lives in a temporary directory that is removed at the end, also on failure.
set -euo pipefail
cd "$(dirname "$0")/../../.."

GRACE_SECONDS=20            # podman stop: SIGTERM, then SIGKILL after this (the manifests allow 30 s)
START_TIMEOUT_SECONDS=60
IMAGE=localhost/prometheus-example:container-test
NAME=prometheus-example-container-test

# House rule: in CI (CI set) a missing tool is a failure; on a developer machine the test is skipped.
missing() {
    if [ -n "${CI:-}" ]; then echo "container-test: FAILED: $*" >&2; exit 1; fi
    echo "container-test: SKIPPED: $*" >&2
    exit 0
}
[ "$(id -u)" = 0 ] || missing "needs root (debootstrap, podman with runc)"
for tool in podman runc debootstrap curl; do
    command -v "$tool" >/dev/null || missing "$tool is missing (apt-get install $tool)"
done
mode=full
case "${1:-}" in
    "") work=$(mktemp -d /var/tmp/container-test.XXXXXX) ;;
    --prepare | --base) mode=${1#--}; work=${2:?"usage: $0 [--prepare DIR | --base DIR]"}; mkdir -p "$work" ;;
    *) echo "usage: $0 [--prepare DIR | --base DIR]" >&2; exit 2 ;;
esac
[ "$mode" = prepare ] || [ -f target/quarkus-app/quarkus-run.jar ] \
    || { echo "container-test: run ./mvnw package first" >&2; exit 1; }
# Own storage, so nothing is shared with other podman users of this machine; runc because crun fails on
# the cgroup layout of the CI machines.
podman=(podman --root "$work/storage" --runroot "$work/run" --runtime runc --cgroup-manager cgroupfs
        --events-backend file)

prepared=false
cleanup() {
    $prepared && return  # --prepare keeps the base for --base
    "${podman[@]}" rm --force --ignore "$NAME" >/dev/null 2>&1 || true
    "${podman[@]}" rmi --all --force >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

step() {
    echo "container-test: $* (at $SECONDS s)"
}

# --- A Java 17 runtime base from Debian packages ---------------------------------------------------------
make_base() {
    step "debootstrap bookworm (minbase)"
    debootstrap --variant=minbase bookworm "$work/rootfs" >"$work/debootstrap.log" 2>&1 \
        || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
    tar -C "$work/rootfs" -c . | "${podman[@]}" import --quiet - localhost/debian-bookworm-minbase >/dev/null
    rm -rf "$work/rootfs"

    step "Java 17 runtime base"
    # User 185 as in the UBI OpenJDK images (Dockerfile.jvm runs as USER 185).
    mkdir "$work/empty"
    "${podman[@]}" build --quiet --network=host --tag localhost/debian-openjdk-17-jre -f - "$work/empty" \
        <<'EOF' >"$work/base-build.log" 2>&1 || { tail -20 "$work/base-build.log" >&2; exit 1; }
FROM localhost/debian-bookworm-minbase
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 185 --gid 0 --home-dir /home/default --create-home --shell /usr/sbin/nologin default
EOF
}
[ "$mode" = base ] || make_base
if [ "$mode" = prepare ]; then
    prepared=true
    step "base ready in $work"
    exit 0
fi

# --- The image, as src/main/docker/Dockerfile.jvm builds it ------------------------------------------------
step "podman build -f src/main/docker/Dockerfile.jvm"
"${podman[@]}" build --quiet --network=host --from localhost/debian-openjdk-17-jre \
    -f src/main/docker/Dockerfile.jvm --tag "$IMAGE" . >"$work/build.log" 2>&1 \
    || { tail -20 "$work/build.log" >&2; exit 1; }

# --- Run it -----------------------------------------------------------------------------------------------
# Host network (a bridge leaves firewall rules behind), so the ports must be free ones, not 8080/9101: below the
# kernel's ephemeral range, where a port nobody listens on may still be held by some client connection, and then
# cannot be bound ("Address already in use"; seen once while other tests ran on the machine).
ephemeral_start=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
free_port() {
    local port
    while :; do
        port=$((10000 + RANDOM % (ephemeral_start - 10000)))
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
    done
}
http_port=$(free_port)
management_port=$(free_port)
while [ "$management_port" = "$http_port" ]; do management_port=$(free_port); done
base="http://127.0.0.1:$http_port"
management="http://127.0.0.1:$management_port"

step "podman run (http $http_port, management $management_port)"
nofile=$(ulimit -Hn)
"${podman[@]}" run --detach --name "$NAME" --network=host \
    --read-only --read-only-tmpfs --cap-drop=ALL --security-opt=no-new-privileges \
    --memory=256m --cpus=1 --ulimit "nofile=$nofile:$nofile" --ulimit nproc=4096:4096 \
    -e QUARKUS_HTTP_PORT="$http_port" -e QUARKUS_MANAGEMENT_PORT="$management_port" \
    -e EXAMPLE_FAILURE_RATE=0 \
    "$IMAGE" >/dev/null

# Waits up to 15 s for a line matching $1 in the container's log (podman may hand the log over a moment after the
# line was written). The log is captured first: grep -q on a pipe would end podman early, which pipefail reports.
wait_for_log() {
    local deadline=$((SECONDS + 15)) log
    while :; do
        log=$("${podman[@]}" logs "$NAME" 2>&1 || true)
        grep -q -- "$1" <<<"$log" && return 0
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.5
    done
}

fail() {
    echo "container-test: FAILED: $*" >&2
    echo "--- container log ---" >&2
    "${podman[@]}" logs "$NAME" >&2 2>&1 || true
    exit 1
}

deadline=$((SECONDS + START_TIMEOUT_SECONDS))
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/live")" = 200 ]; do
    [ "$("${podman[@]}" inspect --format '{{.State.Running}}' "$NAME")" = true ] || fail "the container exited"
    [ "$SECONDS" -lt "$deadline" ] || fail "/live did not answer 200 within $START_TIMEOUT_SECONDS s"
    sleep 0.2
done
step "live"

expect_status() {  # expect_status CODE URL
    local status
    status=$(curl -s -o /dev/null -w '%{http_code}' "$2")
    [ "$status" = "$1" ] || fail "$2 answered $status, expected $1"
}
expect_status 200 "$base/ready"
expect_status 200 "$base/started"
[ "$(curl -s "$base/example")" = ok ] || fail "/example did not answer ok (failure rate 0)"
metrics=$(curl -s "$management/metrics")
grep -q '^example_requests_total{outcome="success"} 1' <<<"$metrics" \
    || fail ":$management_port/metrics has no example_requests_total{outcome=\"success\"} 1"
# Container-aware heap: MaxRAMPercentage=50 of the 256 MiB limit (without the limit it would follow the host).
heap_max=$(awk '/^jvm_memory_max_bytes\{area="heap"/ { sum += $NF } END { printf "%d", sum }' <<<"$metrics")
[ "$heap_max" -gt 0 ] && [ "$heap_max" -le $((128 * 1024 * 1024)) ] \
    || fail "maximum heap $heap_max bytes, expected at most half of the 256 MiB memory limit"

pid=$("${podman[@]}" inspect --format '{{.State.Pid}}' "$NAME")
uid=$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")
[ "$uid" = 185 ] || fail "the service runs as uid $uid, expected the non-root user 185"
wait_for_log '^{.*"message":".*started in' || fail "no JSON start-up log line"
rss_kib=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
step "endpoints, uid $uid, JSON logs ok; max heap $((heap_max / 1048576)) MiB, RSS $((rss_kib / 1024)) MiB"

stop_started=$(date +%s%N)
"${podman[@]}" stop --time "$GRACE_SECONDS" "$NAME" >/dev/null
stop_ms=$((($(date +%s%N) - stop_started) / 1000000))
exit_code=$("${podman[@]}" inspect --format '{{.State.ExitCode}}' "$NAME")
# 143 = exited on SIGTERM after the shutdown hooks ran; 137 would mean it had to be killed.
[ "$exit_code" = 143 ] || [ "$exit_code" = 0 ] || fail "exit code $exit_code after SIGTERM (137: killed after ${GRACE_SECONDS} s)"
wait_for_log '"message":"prometheus-example stopped in' || fail "no shutdown log line"
step "stopped by SIGTERM in $stop_ms ms (exit code $exit_code)"

"${podman[@]}" rm "$NAME" >/dev/null
echo "container-test: OK in $SECONDS s"
