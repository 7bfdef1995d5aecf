// Overview (/mod/dashboard/): the page an operator keeps open. Tiles for how busy the server is, then every
// lock and leader key at a glance: who holds it (value and fencing index), TTL left, how many wait and who
// is next. Busiest queues first so contention is visible without scrolling.
'use strict';
(function (B) {
  const { h } = B.util;
  const PAGE = 50;
  let el = null, state = { page: 0, filter: '' };

  function tile(id, label, sub) {
    return h('div.tile#' + id, null, h('div.label', { text: label }), h('div.value', { text: '–' }), h('div.sub', { text: sub || '' }));
  }
  function setTile(id, value, sub, alert) {
    const t = document.getElementById(id);
    if (!t) return;
    t.querySelector('.value').textContent = value;
    if (sub !== undefined) t.querySelector('.sub').textContent = sub;
    t.classList.toggle('alert', !!alert);
  }

  /** The lock table shared with the Locks view: one row per lock. */
  function lockRows(locks) {
    return locks.map((l) => {
      // A lock named "" (POST /mod/v2/lock/) has no page of its own: its queue is the lock directory itself.
      const href = l.name === '' ? B.app.url.keys(B.model.LOCK_DIR) : B.app.url.locks(l.name);
      const next = l.waiters.slice(0, 3).map((w) => h('span', { text: w.value === '-' ? '#' + w.base : w.value }));
      if (l.waiters.length > 3) next.push(h('span', { text: `+${l.waiters.length - 3} more` }));
      return h('tr', { 'data-lock': l.name },
        h('td.name', null, h('a', { href, text: l.name === '' ? '(empty name)' : l.name })),
        h('td', null, l.holder ? h('span.badge.held', { text: 'held' }) : h('span.badge.free', { text: 'free' })),
        h('td.holder', null, l.holder ? B.util.valueText(l.holder.value) : ''),
        h('td.num.mono', { text: l.holder ? l.holder.base : '' }),
        h('td', null, l.holder ? B.util.ttlCell(l.holder.deadline) : ''),
        h('td.num', { text: String(l.waiters.length) }),
        h('td.queue', null, next));
    });
  }
  function lockTable(locks) {
    return h('table.grid.locks', null,
      h('thead', null, h('tr', null, ['Lock / leader key', 'State', 'Holder / leader', 'Index', 'TTL left', 'Waiting', 'Next in line']
        .map((t, i) => h('th' + (i === 3 || i === 5 ? '.num' : ''), { text: t })))),
      h('tbody', null, lockRows(locks)));
  }

  const view = {
    title: () => 'Overview',
    watchSpec: () => B.app.lockWatchSpec,
    mount(container) {
      const filter = h('input', { type: 'search', placeholder: 'Filter locks…', id: 'overview-filter', value: state.filter,
        oninput: (e) => { state.filter = e.target.value; state.page = 0; view.render(); } });
      el = {
        sparkline: h('canvas.spark#overview-spark'),
        table: h('div#overview-locks'),
        summary: h('span.muted.small'),
      };
      B.util.append(container, [
        h('div.tiles', null,
          tile('t-held', 'Locks held'), tile('t-waiting', 'Waiting for a lock', 'queued lock/leader entries'),
          tile('t-conns', 'Connections open'), tile('t-hanging', 'Hanging requests', 'lock waits + watches'),
          tile('t-watchers', 'Watchers'),
          h('div.tile#t-rps', { title: 'All clients, this page included; last minute' }, h('div.label', { text: 'Requests / s' }), h('div.value', { text: '–' }), el.sparkline)),
        h('div.panel', null,
          h('div.panel-head', null, h('h2', { text: 'Locks and leaders' }), el.summary, h('span.spacer'), filter,
            h('a', { href: B.app.url.locks(null), text: 'Queues in detail →' })),
          el.table),
      ]);
      view.onMetrics();
    },
    update() {},
    unmount() { el = null; },
    render() {
      if (!el) return;
      const model = B.app.locks;
      const t = model.totals();
      setTile('t-held', B.util.fmtInt(t.held), `of ${B.util.fmtInt(t.locks)} lock/leader keys`);
      setTile('t-waiting', B.util.fmtInt(t.waiting));
      if (!model.loaded) { B.util.replace(el.table, h('p.empty', { text: 'Loading…' })); return; }
      const f = state.filter.toLowerCase();
      let locks = model.list();
      if (f) locks = locks.filter((l) => l.name.toLowerCase().includes(f) || (l.holder && l.holder.value.toLowerCase().includes(f)));
      // Busiest first, then held before free, then by name (list() is sorted by name and sort is stable).
      locks = locks.slice().sort((a, b) => (b.waiters.length - a.waiters.length) || ((b.holder ? 1 : 0) - (a.holder ? 1 : 0)));
      el.summary.textContent = f ? `${locks.length} matching` : '';
      if (!locks.length) {
        B.util.replace(el.table, h('p.empty', { text: f ? 'No lock matches the filter.' :
          'No locks or leader keys yet. Acquire one with: curl -X POST "' + location.origin + '/mod/v2/lock/mylock?ttl=60"' }));
        return;
      }
      const p = B.util.paginate(locks, state, PAGE, view.render);
      B.util.replace(el.table, lockTable(p.slice), p.pager);
    },
    onMetrics() {
      if (!el) return;
      const m = B.app.metrics;
      if (m.error) { // stale numbers would mislead: blank them and say why
        for (const id of ['t-conns', 't-hanging', 't-watchers', 't-rps']) setTile(id, '–', '');
        setTile('t-conns', '–', 'metrics unavailable: ' + m.error);
        return;
      }
      setTile('t-conns', B.util.fmtInt(m.value('baton_connections_open')), 'this page included');
      setTile('t-hanging', B.util.fmtInt(m.value('baton_hanging_requests')));
      setTile('t-watchers', B.util.fmtInt(m.value('baton_watchers')));
      setTile('t-rps', B.util.fmtRate(m.rate));
      if (B.chart) B.chart.draw(el.sparkline, m.samples, { compact: true });
    },
    lockTable,
  };
  B.views = B.views || {};
  B.views.overview = view;
})(window.Baton = window.Baton || {});
