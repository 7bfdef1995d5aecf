// The HTTP API as the page uses it — the same public endpoints any client uses — and the one long-poll watch.
// Errors become ApiError with a message in words: etcd's JSON envelope ("Key not found (/a) — etcd error
// 100"), the module's plain-text reason, or "Cannot reach the server".
'use strict';
(function (B) {
  class ApiError extends Error {
    constructor(message, info) {
      super(message);
      Object.assign(this, { status: 0, code: null, etcdIndex: null }, info);
    }
  }

  async function request(method, url, { form, signal } = {}) {
    const init = { method, signal, cache: 'no-store', headers: { Accept: 'application/json, text/plain' } };
    if (form) init.body = new URLSearchParams(form);
    let res;
    try {
      res = await fetch(url, init);
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      throw new ApiError('Cannot reach the server (' + (e.message || 'network error') + ')', { status: 0 });
    }
    let text;
    try {
      text = await res.text();
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      throw new ApiError('The connection to the server broke while reading the answer', { status: 0 });
    }
    const idx = res.headers.get('X-Etcd-Index');
    const etcdIndex = idx === null ? null : Number(idx);
    if (res.ok) {
      let json = null;
      if ((res.headers.get('Content-Type') || '').startsWith('application/json') && text) json = JSON.parse(text);
      return { status: res.status, text, json, etcdIndex, receivedAt: Date.now() };
    }
    let message = null, code = null;
    try {
      const e = JSON.parse(text);
      if (e && e.errorCode) {
        code = e.errorCode;
        message = e.message + (e.cause ? ` (${e.cause})` : '') + ` — etcd error ${e.errorCode}`;
      }
    } catch (_) { /* not JSON: a plain-text reason */ }
    if (!message) message = (text || '').trim() || `HTTP ${res.status} ${res.statusText}`;
    throw new ApiError(message, { status: res.status, code, etcdIndex });
  }

  const keyURL = (key, params) => {
    const q = params ? new URLSearchParams(params).toString() : '';
    return '/v2/keys' + B.util.encodePath(key === '/' ? '/' : key) + (q ? '?' + q : '');
  };
  const lockURL = (name, params) => '/mod/v2/lock/' + B.util.encodePath(name) + '?' + new URLSearchParams(params);

  const api = {
    ApiError,
    request,
    keyURL,
    get: (key, params, signal) => request('GET', keyURL(key, params), { signal }),
    put: (key, form) => request('PUT', keyURL(key), { form }),
    remove: (key, params) => request('DELETE', keyURL(key, params)),
    releaseLock: (name, index) => request('DELETE', lockURL(name, { index })),
    text: async (url) => (await request('GET', url)).text,
    json: async (url) => JSON.parse((await request('GET', url)).text),
  };

  /**
   * One recursive long-poll watch kept alive: a snapshot GET, then
   * `wait=true&recursive=true&waitIndex=N` re-armed after each event with N = event index + 1.
   * Error 401 (history cleared) or falling far behind restarts from a fresh snapshot; network errors back
   * off (0.5 s doubling to 10 s) and then resync too, so the model is never built on a gap.
   */
  class TreeWatch {
    constructor({ snapshotKey, snapshotParams, watchKey, onSnapshot, onEvent, onStatus }) {
      Object.assign(this, { snapshotKey, snapshotParams, watchKey, onSnapshot, onEvent, onStatus });
      this.spec = snapshotKey + '|' + JSON.stringify(snapshotParams) + '|' + watchKey;
      this.controller = new AbortController();
      this.next = null;
      this.stopped = false;
      this.snapshots = 0; // fresh GETs taken (the first one included)
      this.cleared = 0; // times the server answered 401 (history cleared) and the watch started over
    }
    start() { this.run(); return this; }
    stop() { this.stopped = true; this.controller.abort(); }
    resync() { this.rearm(null); }
    /**
     * Abandons the parked request and re-arms at `index` (null = from a fresh snapshot). The browser test
     * uses an old index to stand for a page that fell more than 1000 events behind.
     */
    rearm(index) {
      this.controller.abort();
      this.controller = new AbortController();
      this.next = index;
    }

    async run() {
      let backoff = 500;
      let burst = 0, burstStart = Date.now();
      while (!this.stopped) {
        const signal = this.controller.signal;
        try {
          if (this.next === null) {
            let snap;
            try {
              snap = await api.get(this.snapshotKey, this.snapshotParams, signal);
            } catch (e) {
              if (e.code !== 100) throw e;
              snap = { json: null, etcdIndex: e.etcdIndex, receivedAt: Date.now(), missing: e };
            }
            if (this.stopped) return;
            this.snapshots++;
            this.next = (snap.etcdIndex || 0) + 1;
            this.onSnapshot(snap);
            this.onStatus('live', snap.etcdIndex);
          }
          const r = await api.get(this.watchKey, { wait: 'true', recursive: 'true', waitIndex: String(this.next) }, signal);
          if (this.stopped) return;
          const ev = r.json;
          const index = ev.node.modifiedIndex || this.next;
          this.next = index + 1;
          this.onEvent(ev, r.receivedAt);
          this.onStatus('live', Math.max(index, r.etcdIndex || 0));
          backoff = 500;
          // Replaying a long backlog one event per request is slower than one fresh snapshot.
          const now = Date.now();
          if (now - burstStart > 1000) { burst = 0; burstStart = now; }
          if (++burst > 200 && r.etcdIndex - index > 200) { this.next = null; burst = 0; }
        } catch (e) {
          if (this.stopped) return;
          if (e.name === 'AbortError') continue; // rearm() chose where to start again
          this.next = null;
          if (e.code === 401) { this.cleared++; continue; } // history cleared: start again from a fresh GET
          this.onStatus('error', e.message);
          await B.util.sleep(backoff);
          backoff = Math.min(backoff * 2, 10000);
        }
      }
    }
  }
  api.TreeWatch = TreeWatch;
  B.api = api;
})(window.Baton = window.Baton || {});
