// What the views show, kept current from the API:
// - LockModel: every lock queue, rebuilt from the key tree under /_etcd/mod/lock (SPEC §2: the tree is the
//   source of truth; the holder is the numerically smallest entry, the rest wait in that order) and updated
//   event by event from the watch. Leader keys live in the same namespace and look the same.
// - Metrics: /metrics (Prometheus text) sampled once a second for the tiles and the requests/s chart. These
//   numbers are not in the key tree, so they cannot come from the watch.
'use strict';
(function (B) {
  const LOCK_DIR = '/_etcd/mod/lock';

  class LockModel {
    constructor() {
      this.locks = new Map(); // name → Map(index → entry)
      this.version = 0;
      this.cache = null;
      this.loaded = false;
    }
    /** Rebuild from a recursive GET of /_etcd (or of LOCK_DIR itself); null = nothing there. */
    reset(root, receivedAt) {
      this.locks.clear();
      const lockRoot = root && findNode(root, LOCK_DIR);
      if (lockRoot) this.collect(lockRoot, receivedAt);
      this.loaded = true;
      this.changed();
    }
    collect(node, receivedAt) {
      if (!node.dir) return this.upsert(node, receivedAt);
      const children = node.nodes || [];
      const hasFiles = children.some((c) => !c.dir);
      if (node.key !== LOCK_DIR && (hasFiles || children.length === 0)) this.queue(lockName(node.key + '/x'));
      for (const c of children) this.collect(c, receivedAt);
    }
    queue(name) {
      let q = this.locks.get(name);
      if (!q) { q = new Map(); this.locks.set(name, q); }
      return q;
    }
    upsert(node, receivedAt) {
      if (!node.key.startsWith(LOCK_DIR + '/')) return;
      const name = lockName(node.key);
      if (node.dir) { this.queue(node.key.slice(LOCK_DIR.length + 1)); return; }
      const base = node.key.slice(node.key.lastIndexOf('/') + 1);
      this.queue(name).set(base, {
        key: node.key, base, index: /^\d+$/.test(base) ? Number(base) : 0,
        value: node.value === undefined ? '' : node.value,
        deadline: B.util.deadline(node, receivedAt),
        createdIndex: node.createdIndex, modifiedIndex: node.modifiedIndex,
      });
    }
    remove(key) {
      if (key === LOCK_DIR || LOCK_DIR.startsWith(key + '/') || key === '/') { this.locks.clear(); return; }
      if (!key.startsWith(LOCK_DIR + '/')) return;
      const rel = key.slice(LOCK_DIR.length + 1);
      // A whole lock (or a directory of locks) removed …
      for (const name of [...this.locks.keys()]) {
        if (name === rel || name.startsWith(rel + '/')) this.locks.delete(name);
      }
      // … or one entry of a queue.
      const q = this.locks.get(lockName(key));
      if (q) q.delete(key.slice(key.lastIndexOf('/') + 1));
    }
    apply(ev, receivedAt) {
      const node = ev.node;
      if (['delete', 'expire', 'compareAndDelete'].includes(ev.action)) this.remove(node.key);
      else this.upsert(node, receivedAt);
      this.changed();
    }
    changed() { this.version++; this.cache = null; }

    /** Every lock, sorted by name: { name, holder, waiters[] } with entries in queue order. */
    list() {
      if (this.cache) return this.cache;
      const out = [];
      for (const [name, q] of this.locks) {
        const entries = [...q.values()].sort((a, b) => a.index - b.index);
        out.push({ name, holder: entries[0] || null, waiters: entries.slice(1) });
      }
      out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      this.cache = out;
      return out;
    }
    get(name) { return this.list().find((l) => l.name === name) || null; }
    totals() {
      let held = 0, waiting = 0;
      for (const l of this.list()) { if (l.holder) held++; waiting += l.waiters.length; }
      return { locks: this.locks.size, held, waiting };
    }
  }
  function lockName(key) {
    const rel = key.slice(LOCK_DIR.length + 1);
    const i = rel.lastIndexOf('/');
    return i < 0 ? '' : rel.slice(0, i);
  }
  function findNode(node, key) {
    if (node.key === key) return node;
    if (!node.dir || !(key.startsWith(node.key + '/') || node.key === '/')) return null;
    for (const c of node.nodes || []) {
      const f = findNode(c, key);
      if (f) return f;
    }
    return null;
  }

  /** Prometheus text → { name: [{ labels, value }] }. */
  function parsePrometheus(text) {
    const out = {};
    for (const line of text.split('\n')) {
      if (!line || line[0] === '#') continue;
      const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
      if (!m) continue;
      const labels = {};
      if (m[2]) for (const l of m[2].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
      (out[m[1]] = out[m[1]] || []).push({ labels, value: Number(m[3]) });
    }
    return out;
  }

  /** Samples /metrics every `interval` ms; keeps `keep` samples with requests/s since the previous one. */
  class Metrics {
    constructor(interval = 1000, keep = 180) {
      Object.assign(this, { interval, keep, samples: [], latest: null, listeners: [], error: null });
    }
    start() { this.tick(); this.timer = setInterval(() => this.tick(), this.interval); }
    onSample(fn) { this.listeners.push(fn); }
    value(name, match) {
      const series = this.latest && this.latest[name];
      if (!series) return null;
      let sum = 0;
      for (const s of series) if (!match || match(s.labels)) sum += s.value;
      return sum;
    }
    async tick() {
      if (this.busy) return;
      this.busy = true;
      try {
        const text = await B.api.text('/metrics');
        const t = performance.now();
        this.latest = parsePrometheus(text);
        const total = this.value('baton_http_requests_total');
        const locks = this.value('baton_http_requests_total', (l) => l.route === 'lock' || l.route === 'leader');
        const byRoute = {};
        for (const s of this.latest.baton_http_requests_total || []) byRoute[s.labels.route] = (byRoute[s.labels.route] || 0) + s.value;
        const prev = this.samples[this.samples.length - 1];
        const dt = prev ? (t - prev.t) / 1000 : 0;
        const rate = (now, before) => (prev && dt > 0 ? Math.max(0, (now - before) / dt) : null);
        const routeRates = {};
        for (const r of Object.keys(byRoute)) routeRates[r] = rate(byRoute[r], prev && prev.byRoute[r] || 0);
        this.samples.push({ t, total, locks, byRoute, routeRates, rate: rate(total, prev && prev.total), lockRate: rate(locks, prev && prev.locks) });
        if (this.samples.length > this.keep) this.samples.shift();
        this.error = null;
      } catch (e) {
        this.error = e.message;
      } finally {
        this.busy = false;
      }
      for (const fn of this.listeners) fn(this);
    }
    get rate() { const s = this.samples[this.samples.length - 1]; return s ? s.rate : null; }
  }

  B.model = { LockModel, Metrics, parsePrometheus, findNode, LOCK_DIR };
})(window.Baton = window.Baton || {});
