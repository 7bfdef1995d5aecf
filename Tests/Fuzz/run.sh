#!/bin/sh
# Builds the RequestParser libFuzzer target and runs it on the seed corpus. New inputs go to a scratch corpus
# (first directory) so the committed seeds stay small. Extra arguments go to libFuzzer, for example
#   nice -n 10 Tests/Fuzz/run.sh -max_total_time=600
set -eu
cd "$(dirname "$0")/../.."
swiftc -sanitize=fuzzer -parse-as-library -O -package-name baton -module-name ParserFuzz \
    Sources/HTTP/*.swift Tests/Fuzz/ParserFuzz.swift -o /tmp/parser-fuzz
mkdir -p /tmp/parser-fuzz-corpus
exec /tmp/parser-fuzz /tmp/parser-fuzz-corpus Tests/Fuzz/corpus "$@"
