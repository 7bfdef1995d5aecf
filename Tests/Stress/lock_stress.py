#!/usr/bin/env python3
"""Lock torture test (issue 4 acceptance): many clients contend for a few locks with random TTL expiries,
disconnects and timeouts, while one recursive stream watch records every change of the lock tree.

Checked at the end:
  * mutual exclusion + FIFO: whenever an entry becomes holder (the acquisition `update` that sets its TTL),
    it is the smallest live entry of its lock, and acquisitions of a lock happen in increasing index order;
  * every 200 a client received names an entry that the event log shows acquiring;
  * nothing hangs: every client request got an answer or was abandoned by its client, and afterwards no
    waiter, watcher or queue entry is left (only holders whose TTL has not run out yet, then none).

Usage: lock_stress.py --port P [--clients 1000] [--locks 10] [--duration 60] [--seed 1]
"""
import argparse, asyncio, json, random, sys, time
from collections import defaultdict

async def http(port, method, target, timeout=None):
    """One request on a fresh connection; returns (status, body) or None if abandoned by timeout."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(f"{method} {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        data = await (asyncio.wait_for(reader.read(), timeout) if timeout else reader.read())
    except asyncio.TimeoutError:
        return None  # the client gives up: closing the socket must remove its entry
    finally:
        writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1]) if head else 0
    return status, body.decode()

class Watch:
    """A stream watch over /_etcd/mod/lock collecting every event in order."""
    def __init__(self):
        self.events = []
    async def run(self, port, ready):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /v2/keys/_etcd/mod/lock?wait=true&recursive=true&stream=true HTTP/1.1\r\nHost: x\r\n\r\n")
        await writer.drain()
        await reader.readuntil(b"\r\n\r\n")
        ready.set()
        self.writer = writer
        try:
            while True:
                size = int((await reader.readline()).split(b";")[0], 16)
                if size == 0:
                    break
                chunk = await reader.readexactly(size)
                await reader.readexactly(2)
                self.events.append(json.loads(chunk))
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass

async def client(port, rng, locks, deadline, stats, granted):
    while time.monotonic() < deadline:
        lock = rng.choice(locks)
        ttl = rng.choice([1, 1, 2, 3])
        mode = rng.random()
        target = f"/mod/v2/lock/{lock}?ttl={ttl}"
        patience = None
        if mode < 0.15:
            target += "&timeout=0"
        elif mode < 0.30:
            target += f"&timeout={rng.choice([1, 2])}"
        elif mode < 0.45:
            patience = rng.uniform(0.05, 1.5)      # disconnect while (probably) waiting
        if rng.random() < 0.2:
            target += f"&value=v{rng.randrange(5)}"   # joins share an entry
        if patience is None:
            # "Wait forever" until shortly after the run's end, then hang up: that must clean up too.
            patience = max(0.1, deadline - time.monotonic() + 2)
        stats["requests"] += 1
        r = await http(port, "POST", target, timeout=patience)
        if r is None:
            stats["abandoned"] += 1
            continue
        status, body = r
        stats[f"acquire {status}"] += 1
        if status != 200:
            continue
        granted.append((lock, int(body)))
        hold = rng.uniform(0, ttl * 1.6)           # sometimes longer than the TTL: expiry hands off
        await asyncio.sleep(hold)
        if rng.random() < 0.8:
            rr = await http(port, "DELETE", f"/mod/v2/lock/{lock}?index={body}")
            stats[f"release {rr[0]}"] += 1

def check(events, granted):
    problems = []
    live = defaultdict(set)      # lock -> live entry indexes
    holder = {}                  # lock -> index that last acquired
    acquired = defaultdict(list)
    for e in events:
        key = e["node"]["key"]
        parts = key.split("/")   # ['', '_etcd', 'mod', 'lock', name, index]
        if len(parts) != 6:
            continue
        lock, idx = parts[4], int(parts[5])
        action = e["action"]
        if action == "create":
            live[lock].add(idx)
        elif action in ("delete", "expire", "compareAndDelete"):
            live[lock].discard(idx)
        elif action == "update":
            # An acquisition (or a renew of the holder): the entry must be the head.
            if idx != min(live[lock]):
                problems.append(f"{lock}: entry {idx} acquired while {sorted(live[lock])[:3]} live")
            if holder.get(lock) != idx:
                if acquired[lock] and idx < acquired[lock][-1]:
                    problems.append(f"{lock}: acquisition order {acquired[lock][-1]} then {idx}")
                acquired[lock].append(idx)
                holder[lock] = idx
    seen = {(l, i) for l, idxs in acquired.items() for i in idxs}
    for g in granted:
        if g not in seen:
            problems.append(f"client got 200 for {g} but the log shows no acquisition")
    return problems, sum(len(v) for v in acquired.values())

async def metric(port, name):
    _, body = await http(port, "GET", "/metrics")
    for line in body.splitlines():
        if line.startswith(name + " "):
            return int(float(line.split()[1]))
    return None

async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--clients", type=int, default=1000)
    ap.add_argument("--locks", type=int, default=10)
    ap.add_argument("--duration", type=float, default=60)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    locks = [f"stress{i}" for i in range(a.locks)]
    watch, ready = Watch(), asyncio.Event()
    wt = asyncio.create_task(watch.run(a.port, ready))
    await ready.wait()
    stats, granted = defaultdict(int), []
    deadline = time.monotonic() + a.duration
    started = time.monotonic()
    await asyncio.gather(*(client(a.port, random.Random(rng.random()), locks, deadline, stats, granted)
                           for _ in range(a.clients)))
    elapsed = time.monotonic() - started
    await asyncio.sleep(3.5)   # let the last holders' TTLs (≤ 3 s) run out
    waiters = await metric(a.port, "baton_lock_waiters")
    held = await metric(a.port, "baton_locks_held")
    hanging = await metric(a.port, "baton_hanging_requests")
    wt.cancel()
    problems, acquisitions = check(watch.events, granted)
    _, tree = await http(a.port, "GET", "/v2/keys/_etcd/mod/lock?recursive=true")
    leftover = tree.count('"key":"/_etcd/mod/lock/stress') - len(locks)
    print(f"clients={a.clients} locks={a.locks} duration={elapsed:.1f}s requests={stats['requests']} "
          f"acquisitions={acquisitions} events={len(watch.events)}")
    print("outcomes: " + ", ".join(f"{k}={v}" for k, v in sorted(stats.items()) if k != "requests"))
    print(f"after: waiters={waiters} locks_held={held} hanging_requests={hanging} (the stream watch itself counts 1) "
          f"leftover_entries={leftover}")
    if waiters != 0 or held != 0 or hanging not in (0, 1) or leftover != 0:
        problems.append("something was left behind")
    if acquisitions < a.locks:
        problems.append("too few acquisitions to mean anything")
    for p in problems[:20]:
        print("PROBLEM:", p)
    print("RESULT:", "ok" if not problems else f"{len(problems)} problems")
    return 0 if not problems else 1

if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
