#!/usr/bin/env bash
# Drives an unchanged etcd v2 client (Debian's etcd-client: etcdctl 3.4 with ETCDCTL_API=2) against a running
# Baton at $1 (http://127.0.0.1:PORT) and checks every answer. Exit status 0 = all commands behaved.
set -u
endpoint=$1
export ETCDCTL_API=2
ctl() { etcdctl --no-sync --endpoints "$endpoint" "$@"; }
fail=0
check() { # name, expected, actual
    if [ "$2" != "$3" ]; then echo "FAIL $1: expected [$2] got [$3]"; fail=1; else echo "ok   $1"; fi
}
check "set"        "bar"                "$(ctl set /compat/foo bar)"
check "get"        "bar"                "$(ctl get /compat/foo)"
check "mk"         "v1"                 "$(ctl mk /compat/new v1)"
check "mk exists fails" "failed"      "$(ctl mk /compat/new v2 >/dev/null 2>&1 && echo succeeded || echo failed)"
check "mkdir"      ""                   "$(ctl mkdir /compat/dir)"
check "set in dir" "1"                  "$(ctl set /compat/dir/x 1)"
check "ls -r"      "$(printf '/compat/dir\n/compat/dir/x\n/compat/foo\n/compat/new')" "$(ctl ls --recursive --sort /compat)"
check "update"     "baz"                "$(ctl update /compat/foo baz)"
check "get after"  "baz"                "$(ctl get /compat/foo)"
check "rm"         "PrevNode.Value: baz" "$(ctl rm /compat/foo)"
check "rmdir full fails" "failed"     "$(ctl rmdir /compat/dir >/dev/null 2>&1 && echo succeeded || echo failed)"
check "rm -r"      ""                   "$(ctl rm --recursive /compat/dir)"
check "rmdir"      ""                   "$(ctl mkdir /compat/empty; ctl rmdir /compat/empty)"
out=$(mktemp)
timeout 5 etcdctl --no-sync --endpoints "$endpoint" watch /compat/w > "$out" 2>&1 &
sleep 0.5; ctl set /compat/w hello >/dev/null; wait
check "watch"      "hello"              "$(cat "$out")"
timeout 3 etcdctl --no-sync --endpoints "$endpoint" exec-watch --recursive /compat/e -- \
    sh -c 'echo "$ETCD_WATCH_ACTION $ETCD_WATCH_KEY=$ETCD_WATCH_VALUE"' > "$out" 2>&1 &
sleep 0.5; ctl set /compat/e/k world >/dev/null; sleep 0.5; wait
check "exec-watch" "set /compat/e/k=world" "$(head -1 "$out")"
check "member list" "1"                 "$(ctl member list | grep -c 'isLeader=')"
check "cluster-health" "cluster is healthy" "$(ctl cluster-health | tail -1)"
rm -f "$out"
exit $fail
