#!/bin/sh
# The long version of CrashRecoveryTests' kill -9 test: many more rounds, one seed per run.
# usage: Tests/crash-soak.sh [rounds (default 1000)] [first seed (default 1)] [runs (default 5)]
set -e
rounds=${1:-1000}; seed=${2:-1}; runs=${3:-5}
cd "$(dirname "$0")/.."
swift build --build-tests
i=0
while [ $i -lt "$runs" ]; do
    s=$((seed + i))
    echo "== crash soak: $rounds rounds, seed $s"
    BATON_CRASH_ITERATIONS=$rounds BATON_CRASH_SEED=$s \
        swift test --skip-build --filter killNineUnderLoadKeepsEveryAcknowledgedWrite
    i=$((i + 1))
done
