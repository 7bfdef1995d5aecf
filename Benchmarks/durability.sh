#!/bin/bash
# Durability benchmarks (issue 7), all in one run on this machine:
#   1. PUT of one key with wrk: baton -sync=always, -sync=none, -memory, and etcd 3.4's v2 API (peer).
#   2. Recovery time of a data directory holding 1,000,000 keys (snapshot + log), from the server's log.
# usage: Benchmarks/durability.sh [seconds per run (10)] [connections (32)] [keys for recovery (1000000)]
set -e
secs=${1:-10}; conns=${2:-32}; keys=${3:-1000000}
root="$(cd "$(dirname "$0")/.." && pwd)"
baton="$root/.build/release/baton"
work=$(mktemp -d /tmp/baton-durability.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
[ -x "$baton" ] || (cd "$root" && swift build -c release)

start_baton() { # log, args...
    local log=$1; shift
    "$baton" -addr 127.0.0.1:0 "$@" 2>"$log" >/dev/null </dev/null &
    for _ in $(seq 1 400); do
        port=$(grep -o 'listening on [^ ,]*' "$log" | sed 's/.*://') && [ -n "$port" ] && return 0
        sleep 0.05
    done
    echo "baton did not start: $(cat "$log")" >&2; exit 1
}
rps() { wrk -t2 -c"$conns" -d"${secs}s" -s "$root/Benchmarks/wrk-put-durable.lua" "$1" | awk '/Requests\/sec/ {print $2}'; }

# Interleaved rounds (the machine is shared: alternating keeps every mode under the same noise); the median
# of each mode's rounds is reported.
rounds=${ROUNDS:-3}
declare -A runs
if [ "$rounds" -gt 0 ]; then
if command -v etcd >/dev/null; then
    etcd --enable-v2 --data-dir "$work/etcd" --listen-client-urls http://127.0.0.1:23791 \
        --advertise-client-urls http://127.0.0.1:23791 --listen-peer-urls http://127.0.0.1:23801 \
        >"$work/etcd.log" 2>&1 &
    etcd_pid=$!
    for _ in $(seq 1 100); do curl -s http://127.0.0.1:23791/health | grep -q true && break; sleep 0.1; done
    curl -s -XPUT http://127.0.0.1:23791/v2/keys/baton-bench/put -d value=x >/dev/null
fi
for r in $(seq 1 "$rounds"); do
    for mode in always none memory etcd; do
        if [ $mode = etcd ]; then
            [ -n "$etcd_pid" ] || continue
            v=$(rps "http://127.0.0.1:23791/v2/keys/baton-bench/put")
        else
            if [ $mode = memory ]; then start_baton "$work/$mode.log" -memory
            else start_baton "$work/$mode.log" -data-dir "$work/data-$mode-$r" -sync $mode; fi
            pid=$!
            curl -s -XPUT "http://127.0.0.1:$port/v2/keys/baton-bench/put" -d value=x >/dev/null
            v=$(rps "http://127.0.0.1:$port/v2/keys/baton-bench/put")
            kill $pid; wait $pid 2>/dev/null || true
        fi
        runs[$mode]="${runs[$mode]} $v"
        echo "round $r: $mode $v req/s"
    done
done
[ -n "$etcd_pid" ] && { kill $etcd_pid; wait $etcd_pid 2>/dev/null || true; }
median() { echo "$@" | tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A result
for mode in always none memory etcd; do result[$mode]=$(median ${runs[$mode]}); done
echo "median put req/s: always ${result[always]}, none ${result[none]}, memory ${result[memory]}, etcd-v2 ${result[etcd]:-n/a}"
[ -n "${result[etcd]}" ] && echo "ratio always/etcd: $(echo "${result[always]} / ${result[etcd]}" | bc -l | cut -c1-5)"
echo "ratio none/memory: $(echo "${result[none]} / ${result[memory]}" | bc -l | cut -c1-5)"
echo "ratio always/memory: $(echo "${result[always]} / ${result[memory]}" | bc -l | cut -c1-5)"
fi

# Recovery: fill $keys distinct keys (fast: -sync=none), stop cleanly, restart and read the log line.
if [ "$keys" -gt 0 ]; then
    start_baton "$work/fill.log" -data-dir "$work/data-fill" -sync none
    n=0; run=0
    while true; do
        n=$(curl -s "http://127.0.0.1:$port/v2/stats/store" | sed 's/.*"setsSuccess":\([0-9]*\).*/\1/')
        [ "$n" -ge "$keys" ] && break
        run=$((run + 1))
        wrk -t2 -c"$conns" -d5s -s "$root/Benchmarks/wrk-put-unique.lua" "http://127.0.0.1:$port/" -- "$run" >/dev/null
    done
    kill $!; wait $! 2>/dev/null || true
    echo "filled $n keys; data dir: $(du -sh "$work/data-fill" | cut -f1) ($(ls "$work/data-fill" | tr '\n' ' '))"
    start_baton "$work/recover.log" -data-dir "$work/data-fill"
    grep -o 'recovered .*' "$work/recover.log"
    kill $!; wait $! 2>/dev/null || true
fi
