// The single-page app: routes (history.pushState under /mod/dashboard, so a reload or a shared link opens
// the same view — the server answers index.html for every app route), the one live watch, the metrics
// sampler, the TTL ticker, and rendering coalesced to one pass per animation frame however many events
// arrive.
//
// Exactly one TreeWatch runs at a time. Each view names the subtree it shows: Overview, Locks and Stats
// watch /_etcd/mod/lock (the lock queues), Keys watches the directory being browsed. A watch on "/" would
// not do for locks: the API never delivers live events from below a hidden (`_`) name to a watcher above it.
'use strict';
(function (B) {
  const { h } = B.util;
  const BASE = '/mod/dashboard';
  const INTERRUPTED = 'Live updates interrupted: ';
  const app = {
    locks: new B.model.LockModel(),
    metrics: new B.model.Metrics(1000, 180),
    watch: null,
    view: null,
    route: null,
    etcdIndex: null,
  };
  B.app = app;

  const views = { overview: B.views.overview, keys: B.views.keys, locks: B.views.locks, stats: B.views.stats };

  /** /mod/dashboard/<view>/<rest…> → { view, rest } with the rest percent-decoded per segment. */
  function parseRoute(pathname) {
    let p = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : '/';
    const segs = p.split('/').filter((s, i) => i > 0);
    const first = segs.shift() || '';
    const rest = segs.map((s) => { try { return decodeURIComponent(s); } catch (_) { return s; } });
    if (first === 'keys') return { view: 'keys', key: '/' + rest.filter((s) => s !== '').join('/') };
    if (first === 'locks') return { view: 'locks', name: rest.join('/') || null }; // "/locks/" is the list
    if (first === 'stats') return { view: 'stats' };
    return { view: 'overview' };
  }
  app.url = {
    overview: () => BASE + '/',
    keys: (key) => BASE + '/keys' + B.util.encodePath(key),
    locks: (name) => BASE + '/locks' + (name === null || name === undefined ? '' : '/' + B.util.encodePath(name)),
    stats: () => BASE + '/stats',
  };

  app.navigate = function (url, replace) {
    if (url !== location.pathname + location.search) history[replace ? 'replaceState' : 'pushState']({}, '', url);
    route();
  };

  function route() {
    const r = parseRoute(location.pathname);
    const next = views[r.view];
    if (app.view && app.view !== next && app.view.unmount) app.view.unmount();
    const container = document.getElementById('view');
    if (app.view !== next) {
      B.util.clear(container);
      app.view = next;
      app.route = r;
      next.mount(container, r);
    } else {
      app.route = r;
      next.update(r);
    }
    for (const a of document.querySelectorAll('[data-tab]')) {
      a.classList.toggle('active', a.dataset.tab === r.view);
      if (a.dataset.tab === r.view) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    }
    document.title = next.title(r) + ' · Baton';
    ensureWatch(next.watchSpec(r));
    app.render();
  }

  /** Starts the watch a view asks for, unless the same one already runs. */
  function ensureWatch(spec) {
    const id = spec.snapshotKey + '|' + JSON.stringify(spec.snapshotParams) + '|' + spec.watchKey;
    if (app.watch && app.watch.spec === id) return;
    if (app.watch) app.watch.stop();
    setLive('connecting', 'connecting');
    app.watch = new B.api.TreeWatch({
      ...spec,
      // A fresh snapshot re-bases the header's index (a restarted -memory server counts from 1 again).
      onSnapshot: (snap) => { app.etcdIndex = null; spec.onSnapshot(snap); app.render(); },
      onEvent: (ev, at) => { spec.onEvent(ev, at); app.render(); },
      onStatus: (state, detail) => {
        if (state === 'live') {
          setLive('live', 'live');
          B.util.dismissErrors(INTERRUPTED);
          showIndex(detail);
        } else {
          setLive('error', 'reconnecting');
          B.util.showError(INTERRUPTED + detail + '. Retrying…');
        }
      },
    }).start();
  }
  app.resync = () => app.watch && app.watch.resync();

  /** The lock-tree watch shared by Overview, Locks and Stats. */
  app.lockWatchSpec = {
    snapshotKey: '/_etcd', snapshotParams: { recursive: 'true', sorted: 'true' }, watchKey: B.model.LOCK_DIR,
    onSnapshot: (snap) => app.locks.reset(snap.json && snap.json.node, snap.receivedAt),
    onEvent: (ev, at) => app.locks.apply(ev, at),
  };

  function setLive(state, text) {
    const el = document.getElementById('live');
    el.dataset.state = state;
    document.getElementById('live-text').textContent = text;
  }

  // At most one render per animation frame and ten per second: a burst of events costs one redraw.
  let pending = false, lastRender = 0;
  app.render = function () {
    if (pending) return;
    pending = true;
    const wait = Math.max(0, lastRender + 100 - performance.now());
    setTimeout(() => requestAnimationFrame(() => {
      pending = false;
      lastRender = performance.now();
      if (app.view) app.view.render();
    }), wait);
  };
  function showIndex(index) {
    if (index === null || index === undefined || Number.isNaN(index)) return;
    if (app.etcdIndex === null || index > app.etcdIndex) {
      app.etcdIndex = index;
      document.getElementById('etcd-index').textContent = String(index);
    }
  }

  // Links marked data-nav (and any same-app link) route inside the page; modified clicks open normally.
  document.addEventListener('click', (e) => {
    const a = e.target.closest('a[href]');
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || !(url.pathname === BASE || url.pathname.startsWith(BASE + '/'))) return;
    if (url.pathname.startsWith(BASE + '/static/')) return;
    e.preventDefault();
    app.navigate(url.pathname + url.search);
  });
  window.addEventListener('popstate', route);
  // Leaving the page ends its long poll at once (a page kept in the back-forward cache would otherwise hold a
  // parked watch on the server); coming back from that cache starts from a fresh snapshot.
  window.addEventListener('pagehide', () => { if (app.watch) { app.watch.stop(); app.watch = null; } });
  window.addEventListener('pageshow', (e) => { if (e.persisted) route(); });

  // TTL countdowns: only the cells on screen, twice a second.
  setInterval(() => {
    const now = Date.now();
    for (const el of document.querySelectorAll('#view [data-deadline]')) B.util.updateTTL(el, now);
  }, 500);

  app.metrics.onSample((m) => {
    if (!m.error) showIndex(m.value('baton_store_index'));
    if (app.view && app.view.onMetrics) app.view.onMetrics();
  });
  app.metrics.start();

  (async function serverInfo() {
    try {
      const self = await B.api.json('/v2/stats/self');
      const version = await B.api.text('/version');
      app.server = { name: self.name, startTime: self.startTime, version };
      const el = document.getElementById('server-name');
      el.textContent = `${self.name} · ${location.host} · ${version}`;
    } catch (e) {
      B.util.showError('Could not read server information: ' + e.message);
    }
  })();

  window.addEventListener('error', (e) => B.util.showError('Page error: ' + e.message));
  route();
  app.ready = true;
  document.documentElement.dataset.ready = 'true';
  B.h = h;
})(window.Baton = window.Baton || {});
