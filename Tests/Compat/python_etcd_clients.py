#!/usr/bin/env python3
"""Unchanged etcd v2 client libraries against Baton (issue 4: "etcd v2 clients' lock and election helpers work
unchanged"). Run with PYTHONPATH pointing at one install of python-etcd:

  python-etcd 0.3.3 — its Lock and LeaderElection helpers call /mod/v2/lock and /mod/v2/leader;
  python-etcd 0.4.5 — its keys API and its client-side Lock (in-order keys + watches under /_locks).

Usage: python_etcd_clients.py PORT   (exit 0 when every check passed)
"""
import sys, threading, time
import etcd

port = int(sys.argv[1])
client = etcd.Client(host="127.0.0.1", port=port)
version = getattr(etcd, "__version__", None) or ("0.3" if hasattr(etcd, "LeaderElection") else "0.4")
failures = []

def check(name, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else f": {detail}"))
    if not cond:
        failures.append(name)

# The keys API, common to both versions.
client.write("/compat/py", "hello")
check("write/read", client.read("/compat/py").value == "hello")
r = client.write("/compat/dir/a", "1")
check("modifiedIndex", r.modifiedIndex > 0)
check("ls", [c.key for c in client.read("/compat/dir", recursive=True).children] == ["/compat/dir/a"])
try:
    client.write("/compat/py", "x", prevValue="nope")
    check("compareAndSwap fails", False, "no exception")
except (ValueError, etcd.EtcdException) as e:
    check("compareAndSwap fails", "Compare failed" in str(e) or "Compare" in str(e), repr(e))

if hasattr(client, "get_lock") and hasattr(etcd, "LeaderElection"):
    # python-etcd 0.3.x: the server-side lock and leader modules.
    lock = client.get_lock("/compat-lock", ttl=10, value="me")
    lock.acquire()
    check("lock acquire", lock.is_locked())
    other = client.get_lock("/compat-lock", ttl=10, value="other")
    got = []
    t = threading.Thread(target=lambda: (other.acquire(), got.append(other._index)))
    t.start(); time.sleep(0.5)
    check("second lock waits", not got)
    lock.release()
    t.join(5)
    check("second lock acquires after release", bool(got), "never acquired")
    check("lock value", other.get().value == "other")
    other.release()
    election = client.election
    idx = election.set("/compat-leader", name="node-a", ttl=10)
    check("election set", idx.isdigit(), idx)
    check("election get", election.get("/compat-leader") == "node-a")
    check("election renew keeps index", election.set("/compat-leader", name="node-a", ttl=10) == idx)
    election.delete("/compat-leader", name="node-a")
    try:
        election.get("/compat-leader")
        check("election gone", False, "still a leader")
    except etcd.EtcdException:
        check("election gone", True)
else:
    # python-etcd 0.4.x: a client-side lock over in-order keys and watches.
    lock = etcd.Lock(client, "compat-lock")
    lock.acquire(lock_ttl=10)
    check("client lock acquire", lock.is_acquired)
    other = etcd.Lock(client, "compat-lock")
    got = []
    t = threading.Thread(target=lambda: got.append(other.acquire(blocking=True, lock_ttl=10)))
    t.start(); time.sleep(0.5)
    check("second client lock waits", not got)
    lock.release()
    t.join(5)
    check("second client lock acquires", got == [True], repr(got))
    other.release()

print("RESULT:", "ok" if not failures else f"{len(failures)} failed")
sys.exit(1 if failures else 0)
