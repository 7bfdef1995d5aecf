// Stats (/mod/dashboard/stats): how busy the server is. Tiles from /metrics, a requests-per-second chart
// drawn on a <canvas> by this file (last 3 minutes, one sample a second: all requests and lock/leader
// requests), requests by route, the store's counters (/v2/stats/store, etcd's shape) and the member's
// /v2/stats/self. The chart exposes its last value in data-* attributes for tests and screen readers.
'use strict';
(function (B) {
  const { h } = B.util;
  let el = null;

  function css(name) { return getComputedStyle(document.documentElement).getPropertyValue(name).trim(); }
  function niceMax(v) {
    if (v <= 5) return 5;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
    return 10 * p;
  }

  /** Draws samples' `rate` (and `lockRate` unless compact) as lines over time. */
  function draw(canvas, samples, { compact = false } = {}) {
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth, ht = canvas.clientHeight;
    if (!w || !ht) return;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(ht * dpr)) {
      canvas.width = Math.round(w * dpr); canvas.height = Math.round(ht * dpr);
    }
    const g = canvas.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, ht);
    const pts = samples.filter((s) => s.rate !== null);
    const keep = compact ? 60 : 180;
    const shown = pts.slice(-keep);
    const max = niceMax(Math.max(1, ...shown.map((s) => s.rate)));
    const left = compact ? 0 : 52, right = compact ? 0 : 8, top = compact ? 2 : 10, bottom = compact ? 2 : 22;
    const pw = w - left - right, ph = ht - top - bottom;
    const x = (i) => left + pw * (i + keep - shown.length) / (keep - 1);
    const y = (v) => top + ph - ph * Math.min(v, max) / max;
    g.font = '11px system-ui, sans-serif';
    g.fillStyle = css('--muted');
    g.strokeStyle = css('--line');
    g.lineWidth = 1;
    if (!compact) {
      for (let i = 0; i <= 4; i++) {
        const v = max * i / 4, yy = Math.round(y(v)) + 0.5;
        g.beginPath(); g.moveTo(left, yy); g.lineTo(w - right, yy); g.stroke();
        g.textAlign = 'right'; g.textBaseline = 'middle';
        g.fillText(B.util.fmtRate(v), left - 6, yy);
      }
      g.textAlign = 'center'; g.textBaseline = 'top';
      for (const sec of [180, 120, 60, 0]) {
        const xx = left + pw * (keep - 1 - sec) / (keep - 1);
        g.fillText(sec ? `-${sec / 60}m` : 'now', Math.min(Math.max(xx, left + 12), w - right - 12), ht - bottom + 6);
      }
    }
    const line = (key, color, fill) => {
      if (shown.length < 2) return;
      g.beginPath();
      shown.forEach((s, i) => (i ? g.lineTo(x(i), y(s[key])) : g.moveTo(x(i), y(s[key]))));
      g.strokeStyle = color; g.lineWidth = compact ? 1.5 : 2; g.stroke();
      if (fill) {
        g.lineTo(x(shown.length - 1), top + ph); g.lineTo(x(0), top + ph); g.closePath();
        g.globalAlpha = 0.12; g.fillStyle = color; g.fill(); g.globalAlpha = 1;
      }
    };
    line('rate', css('--accent'), true);
    if (!compact) line('lockRate', css('--hold'), false);
    const last = shown[shown.length - 1];
    canvas.dataset.points = String(shown.length);
    canvas.dataset.rate = last ? last.rate.toFixed(2) : '';
    canvas.dataset.max = String(Math.max(0, ...shown.map((s) => s.rate)));
    canvas.setAttribute('aria-label', `Requests per second over the last ${shown.length} seconds; now ${last ? B.util.fmtRate(last.rate) : 'unknown'}`);
  }
  B.chart = { draw };

  function tile(id, label) {
    return h('div.tile#' + id, null, h('div.label', { text: label }), h('div.value', { text: '–' }), h('div.sub'));
  }
  function set(id, value, sub) {
    const t = document.getElementById(id);
    if (!t) return;
    t.querySelector('.value').textContent = value;
    t.querySelector('.sub').textContent = sub || '';
  }
  function kvTable(rows, headers) {
    return h('table.grid', null, h('thead', null, h('tr', null, headers.map((t, i) => h(i ? 'th.num' : 'th', { text: t })))),
      h('tbody', null, rows.map((r) => h('tr', null, r.map((c, i) => h(i ? 'td.num' : 'td', { text: c }))))));
  }

  const STORE_OPS = ['gets', 'sets', 'delete', 'update', 'create', 'compareAndSwap', 'compareAndDelete'];

  async function refreshStore() {
    try {
      const s = await B.api.json('/v2/stats/store');
      if (!el) return;
      const rows = STORE_OPS.map((op) => [op, B.util.fmtInt(s[op + 'Success']), B.util.fmtInt(s[op + 'Fail'])]);
      rows.push(['expired (TTL)', B.util.fmtInt(s.expireCount), '']);
      rows.push(['watchers now', B.util.fmtInt(s.watchers), '']);
      B.util.replace(el.store, kvTable(rows, ['Operation', 'Success', 'Fail']));
    } catch (e) {
      if (el) B.util.replace(el.store, h('p.empty', { text: 'Could not read /v2/stats/store: ' + e.message }));
    }
  }

  const view = {
    title: () => 'Stats',
    watchSpec: () => B.app.lockWatchSpec,
    mount(container) {
      el = {
        chart: h('canvas#rps-chart', { role: 'img' }),
        now: h('b#rps-now', { text: '–' }),
        routes: h('div#routes'),
        store: h('div#store-stats', null, h('p.empty', { text: 'Loading…' })),
        self: h('div#self-stats'),
      };
      B.util.append(container, [
        h('div.tiles', null, tile('s-conns', 'Connections open'), tile('s-hanging', 'Hanging requests'),
          tile('s-watchers', 'Watchers'), tile('s-held', 'Locks held'), tile('s-waiters', 'Lock waiters'),
          tile('s-index', 'Store index'), tile('s-ttl', 'Keys with a TTL'), tile('s-lag', 'Loop lag'), tile('s-mem', 'Memory (RSS)')),
        h('div.panel', null,
          h('div.panel-head', null, h('h2', { text: 'Requests per second' }), h('span.muted', null, 'now ', el.now),
            h('span.spacer'), h('div.legend', null, h('span.all', null, h('i'), 'all requests'), h('span.locks', null, h('i'), 'lock + leader'))),
          h('div.chart-wrap', null, el.chart)),
        h('div.cols', null,
          h('div.panel', null, h('h2', { text: 'Requests by route' }), el.routes),
          h('div', null,
            h('div.panel', null, h('h2', { text: 'Store counters' }), el.store),
            h('div.panel', null, h('h2', { text: 'Member' }), el.self))),
      ]);
      view.onMetrics();
      B.api.json('/v2/stats/self').then((s) => {
        if (!el) return;
        B.util.replace(el.self, h('dl.kv', null,
          h('dt', { text: 'Name' }), h('dd', { text: s.name }), h('dt', { text: 'State' }), h('dd', { text: s.state }),
          h('dt', { text: 'Started' }), h('dd', { text: new Date(s.startTime).toLocaleString() }),
          h('dt', { text: 'Uptime' }), h('dd', { text: s.leaderInfo ? s.leaderInfo.uptime : '–' }),
          h('dt', { text: 'Version' }), h('dd', { text: (B.app.server && B.app.server.version) || '–' })));
      }, (e) => el && B.util.replace(el.self, h('p.empty', { text: 'Could not read /v2/stats/self: ' + e.message })));
    },
    update() {},
    unmount() { el = null; },
    render() {},
    onMetrics() {
      if (!el) return;
      const m = B.app.metrics;
      const v = (n) => (m.error ? '–' : B.util.fmtInt(m.value(n)));
      set('s-conns', v('baton_connections_open'), `${v('baton_connections_accepted_total')} accepted`);
      set('s-hanging', v('baton_hanging_requests'), 'lock waits + watches');
      set('s-watchers', v('baton_watchers'));
      set('s-held', v('baton_locks_held'), `${v('baton_lock_acquisitions_total')} acquisitions`);
      set('s-waiters', v('baton_lock_waiters'), `${v('baton_lock_timeouts_total')} timed out`);
      set('s-index', v('baton_store_index'));
      set('s-ttl', v('baton_store_keys_with_ttl'), `${v('baton_store_expirations_total')} expired`);
      set('s-lag', m.value('baton_loop_lag_milliseconds') === null ? '–' : v('baton_loop_lag_milliseconds') + ' ms');
      set('s-mem', B.util.fmtBytes(m.value('baton_resident_memory_bytes')));
      el.now.textContent = m.error ? m.error : B.util.fmtRate(m.rate);
      draw(el.chart, m.samples);
      const last = m.samples[m.samples.length - 1];
      if (last) {
        const codes = {};
        for (const s of (m.latest && m.latest.baton_http_requests_total) || []) {
          const c = codes[s.labels.route] = codes[s.labels.route] || { ok: 0, err: 0 };
          if (Number(s.labels.code) < 400) c.ok += s.value; else c.err += s.value;
        }
        const routes = Object.keys(last.byRoute).sort((a, b) => last.byRoute[b] - last.byRoute[a]);
        B.util.replace(el.routes, kvTable(routes.map((r) => [r, B.util.fmtRate(last.routeRates[r]),
          B.util.fmtInt(codes[r].ok), B.util.fmtInt(codes[r].err)]), ['Route', 'Per second', 'Total < 400', 'Total ≥ 400']));
      }
      refreshStore();
    },
  };
  B.views = B.views || {};
  B.views.stats = view;
})(window.Baton = window.Baton || {});
