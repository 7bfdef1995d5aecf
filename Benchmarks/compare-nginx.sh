#!/usr/bin/env bash
# Benchmarks/compare-nginx.sh — Baton vs nginx `return 200` (one worker) under wrk, in one run: interleaved,
# ROUNDS rounds (default 3), medians and ratios, at 100 and 1000 connections (issues 2, 3 and 4):
#   /health · keys GET of one key · keys PUT of one key (-memory), all under wrk; and lock acquire+release
#   cycles on distinct keys under the load generator (`baton bench -s lock-cycle`, issue 4), compared with
#   nginx loaded by the same tool at the same connection count (`baton bench -s get`): wrk cannot carry a
#   lock index from one response to the next request unless every connection has its own thread, and a
#   thousand wrk threads measure wrk, not the server.
# Installs wrk and nginx-light when missing, builds Baton in release mode, starts both servers on 127.0.0.1
# and stops them by PID.   Usage: Benchmarks/compare-nginx.sh   (env: ROUNDS DURATION=5s CONNS="100 1000" TESTS="nginx health get put nginxbench lock"
#                                 THREADS=1 BATON=path SKIP_INSTALL=1)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5s}
CONNS=${CONNS:-100 1000}
THREADS=${THREADS:-1}
WORK=$(mktemp -d /tmp/baton-nginx.XXXXXX)
P_BATON=14201 P_NGINX=14202
PIDS=()
log() { echo "compare-nginx: $*" >&2; }
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

if [[ -z ${SKIP_INSTALL:-} ]]; then
    need=()
    command -v wrk >/dev/null || need+=(wrk)
    command -v nginx >/dev/null || need+=(nginx-light)
    command -v python3 >/dev/null || need+=(python3)
    if ((${#need[@]})); then
        SUDO=; [[ $(id -u) == 0 ]] || SUDO=sudo
        $SUDO apt-get update -qq
        printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null; $SUDO chmod +x /usr/sbin/policy-rc.d
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
        $SUDO rm -f /usr/sbin/policy-rc.d
    fi
fi
if [[ -z ${BATON:-} ]]; then
    swift build -c release --product baton >&2
    BATON=$ROOT/.build/release/baton
fi
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

wait_port() { for _ in $(seq 1 200); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.05; done; exit 1; }

"$BATON" -memory -addr 127.0.0.1:$P_BATON -log-level warning 2>"$WORK/baton.log" &
PIDS+=($!); wait_port $P_BATON
curl -fsS -XPUT http://127.0.0.1:$P_BATON/v2/keys/baton-bench/get -d value=baton-bench-value >/dev/null
mkdir -p "$WORK/nginx"
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
worker_rlimit_nofile 20000;
events { worker_connections 19000; }
http {
    access_log off;
    keepalive_requests 100000000;
    client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx;
    uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
    server { listen 127.0.0.1:$P_NGINX; location / { return 200; } }
}
CONF
nginx -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" &
PIDS+=($!); wait_port $P_NGINX

run_wrk() { # connections threads url [script] → requests/s; errors to the log
    local c=$1 t=$2 url=$3 script=${4:-}
    local out
    out=$(wrk -t"$t" -c"$c" -d"$DURATION" ${script:+-s "$script"} "$url" 2>&1)
    if grep -qE "Socket errors|Non-2xx" <<<"$out"; then log "$(grep -E 'Socket errors|Non-2xx' <<<"$out" | tr -s ' ') ($url c=$c)"; fi
    awk '/Requests\/sec/ {print $2}' <<<"$out"
}

run_bench() { # connections scenario url → requests/s (baton bench, one loop)
    "$BATON" bench --target "$3" -s "$2" -c "$1" -d "$DURATION" --json --no-progress 2>>"$WORK/bench.log" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests_per_second"])'
}

declare -A R
read -r -a TESTS <<<"${TESTS:-nginx health get put nginxbench lock}"
for round in $(seq 1 "$ROUNDS"); do
    for c in $CONNS; do
        t=$THREADS; ((t > c)) && t=$c
        for test in "${TESTS[@]}"; do
            case $test in
            nginx)  v=$(run_wrk "$c" "$t" http://127.0.0.1:$P_NGINX/) ;;
            health) v=$(run_wrk "$c" "$t" http://127.0.0.1:$P_BATON/health) ;;
            get)    v=$(run_wrk "$c" "$t" http://127.0.0.1:$P_BATON/v2/keys/baton-bench/get) ;;
            put)    v=$(run_wrk "$c" "$t" http://127.0.0.1:$P_BATON/v2/keys/baton-bench/put Benchmarks/wrk-put.lua) ;;
            nginxbench) v=$(run_bench "$c" get http://127.0.0.1:$P_NGINX/) ;;
            lock)   v=$(run_bench "$c" lock-cycle http://127.0.0.1:$P_BATON) ;;
            esac
            R[$test-$c]+="$v "
            log "round $round c=$c $test: $v"
        done
    done
done

python3 - "$ROUNDS" "$DURATION" "$THREADS" <<PY
import statistics, sys
rounds, dur, threads = sys.argv[1:4]
R = {k: [float(x) for x in v.split()] for k, v in {
$(for k in "${!R[@]}"; do echo "    '$k': '${R[$k]}',"; done)
}.items()}
print(f"\nBenchmarks/compare-nginx.sh: wrk -t{threads} -d{dur}; lock and its nginx row: baton bench -d{dur}; "
      f"{rounds} interleaved rounds, medians\n")
print("| test | connections | median req/s | rounds | vs nginx | target |")
print("|---|---:|---:|---|---:|---|")
targets = {"nginx": "", "health": ">= 0.9x", "get": ">= 0.8x", "put": ">= 0.7x", "nginxbench": "",
           "lock": ">= 0.8x"}
names = {"nginx": "nginx return 200", "health": "Baton /health", "get": "Baton keys GET",
         "put": "Baton keys PUT (-memory)", "nginxbench": "nginx return 200 (baton bench)",
         "lock": "Baton lock acquire+release (requests, baton bench)"}
for c in "$CONNS".split():
    for t in [t for t in ["nginx", "health", "get", "put", "nginxbench", "lock"] if f"{t}-{c}" in R]:
        # Each row is compared with nginx under the same load generator.
        base_row = "nginxbench" if t in ("nginxbench", "lock") else "nginx"
        base = statistics.median(R.get(f"{base_row}-{c}", [float("nan")]))
        vs = R[f"{t}-{c}"]; m = statistics.median(vs)
        print(f"| {names[t]} | {c} | {m:,.0f} | {' '.join(f'{x:,.0f}' for x in vs)} | {m / base:.2f}x | {targets[t]} |")
PY
