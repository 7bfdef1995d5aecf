// Locks and leaders (/mod/dashboard/locks[/<name>]). A lock and a leader key are the same thing in the
// API (a FIFO queue under /_etcd/mod/lock/<name>): the holder is the leader, the waiters are the candidates.
// The list shows every queue; a queue's page shows its holder (fencing index, value, TTL left) and all its
// waiters in order, paged so 1,000 waiters stay cheap to draw, with release/remove actions that go through
// the public API (DELETE /mod/v2/lock/<name>?index=N, DELETE /v2/keys/_etcd/mod/lock/<name>/<index>).
'use strict';
(function (B) {
  const { h } = B.util;
  const PAGE = 100;
  let el = null, route = null;
  const listState = { page: 0, filter: '' };
  const queueState = { page: 0, filter: '', name: null };

  function releaseHolder(l) {
    B.util.dialog({
      title: 'Release lock',
      body: h('p', null, 'Release ', h('b.mono', { text: l.name }), ' held by ', h('b.mono', { text: l.holder.value }),
        ` (index ${l.holder.base})? The first waiter gets it next. The holder is not told.`),
      okText: 'Release', danger: true,
      submit: () => B.api.releaseLock(l.name, l.holder.base),
    });
  }
  function removeWaiter(l, w) {
    B.util.dialog({
      title: 'Remove waiter',
      body: h('p', null, 'Remove entry ', h('b.mono', { text: w.base }), ' (', B.util.valueText(w.value), ') from the queue of ',
        h('b.mono', { text: l.name }), '? Its waiting request is answered 500 "lock entry removed".'),
      okText: 'Remove', danger: true,
      submit: () => B.api.remove(w.key),
    });
  }

  function renderList() {
    const model = B.app.locks;
    const f = listState.filter.toLowerCase();
    let locks = model.list();
    if (f) locks = locks.filter((l) => l.name.toLowerCase().includes(f) || (l.holder && l.holder.value.toLowerCase().includes(f))
      || l.waiters.some((w) => w.value.toLowerCase().includes(f)));
    const t = model.totals();
    el.summary.textContent = `${t.locks} keys · ${t.held} held · ${t.waiting} waiting` + (f ? ` · ${locks.length} matching` : '');
    if (!model.loaded) return B.util.replace(el.body, h('p.empty', { text: 'Loading…' }));
    if (!locks.length) return B.util.replace(el.body, h('p.empty', { text: f ? 'No lock matches the filter.' : 'No locks or leader keys yet.' }));
    const p = B.util.paginate(locks, listState, PAGE, view.render);
    B.util.replace(el.body, h('div.panel', null, B.views.overview.lockTable(p.slice), p.pager));
  }

  function renderQueue() {
    const l = B.app.locks.get(route.name);
    if (!B.app.locks.loaded) return B.util.replace(el.holder, h('p.empty', { text: 'Loading…' }));
    if (!l) {
      B.util.clear(el.release);
      el.waitTitle.textContent = 'Waiting';
      B.util.clear(el.waiters);
      return B.util.replace(el.holder, h('p.empty', null, 'No lock or leader key named ', h('b.mono', { text: route.name }),
        ' — it was never used, or its directory was deleted.'));
    }
    const holder = l.holder
      ? h('dl.kv#lock-holder', null,
        h('dt', { text: 'Holder / leader' }), h('dd.holder#holder-value', null, B.util.valueText(l.holder.value)),
        h('dt', { text: 'Index (fencing token)' }), h('dd#holder-index', { text: l.holder.base }),
        h('dt', { text: 'TTL left' }), h('dd', null, B.util.ttlCell(l.holder.deadline)),
        h('dt', { text: 'Entry' }), h('dd', null, h('a', { href: B.app.url.keys(l.holder.key), text: l.holder.key })))
      : h('p#lock-holder.muted', { text: 'Free: nobody holds this lock. The next POST /mod/v2/lock (or PUT /mod/v2/leader) gets it at once.' });

    const f = queueState.filter.toLowerCase();
    const waiters = f ? l.waiters.filter((w) => w.value.toLowerCase().includes(f) || w.base.includes(f)) : l.waiters;
    const p = B.util.paginate(waiters, queueState, PAGE, view.render);
    const rows = p.slice.map((w) => h('tr', { 'data-index': w.base },
      h('td.num', { text: String(l.waiters.indexOf(w) + 1) }),
      h('td.num.mono', { text: w.base }),
      // A waiting entry normally has no TTL (it starts when the entry becomes the holder); show one if set.
      h('td.holder', null, B.util.valueText(w.value), w.deadline ? [' ', h('span.muted', { text: 'expires in ' }), B.util.ttlCell(w.deadline)] : null),
      h('td.actions', null, h('button.btn.small.danger', { type: 'button', text: 'Remove', onclick: () => removeWaiter(l, w) }))));
    const table = waiters.length
      ? h('table.grid#waiters', null,
        h('thead', null, h('tr', null, h('th.num.narrow', { text: 'Position' }), h('th.num.narrow', { text: 'Index' }),
          h('th', { text: 'Value (candidate)' }), h('th'))),
        h('tbody', null, rows))
      : h('p.empty#waiters', { text: f ? 'No waiter matches the filter.' : 'Nobody is waiting.' });

    B.util.replace(el.release, l.holder ? h('button.btn.danger#release', { type: 'button', text: 'Release…', onclick: () => releaseHolder(l) }) : null);
    B.util.replace(el.holder, holder);
    el.waitTitle.textContent = `Waiting (${l.waiters.length})`;
    B.util.replace(el.waiters, table, p.pager);
  }

  /** The queue page's frame is built once per lock, so re-rendering never steals focus from its filter. */
  function queueFrame() {
    el.release = h('span');
    el.holder = h('div');
    el.waitTitle = h('h2');
    el.waiters = h('div');
    B.util.replace(el.body,
      h('div.panel', null, h('div.panel-head', null, h('h2', { text: 'Holder' }), h('span.spacer'), el.release), el.holder),
      h('div.panel', null,
        h('div.panel-head', null, el.waitTitle,
          h('span.muted.small', { text: 'in the order they get the lock; a waiting entry starts its TTL when it becomes the holder' }),
          h('span.spacer'), el.queueFilter),
        el.waiters));
  }

  const view = {
    title: (r) => (r.name === null ? 'Locks and leaders' : 'Lock ' + r.name),
    watchSpec: () => B.app.lockWatchSpec,
    mount(container, r) {
      el = {
        head: h('div.toolbar'),
        summary: h('span.muted.small#locks-summary'),
        body: h('div#locks-body'),
        listFilter: h('input', { type: 'search', placeholder: 'Filter by name or value…', id: 'locks-filter', value: listState.filter,
          oninput: (e) => { listState.filter = e.target.value; listState.page = 0; view.render(); } }),
        queueFilter: h('input', { type: 'search', placeholder: 'Filter waiters…', id: 'queue-filter',
          oninput: (e) => { queueState.filter = e.target.value; queueState.page = 0; view.render(); } }),
      };
      B.util.append(container, [el.head, el.body]);
      view.update(r);
    },
    update(r) {
      route = r;
      if (r.name !== null && queueState.name !== r.name) Object.assign(queueState, { page: 0, filter: '', name: r.name });
      el.queueFilter.value = queueState.filter;
      if (r.name === null) {
        B.util.replace(el.head, h('h1', { text: 'Locks and leaders' }), el.summary, h('span.spacer'), el.listFilter,
          h('p.hint', { text: 'A lock (POST /mod/v2/lock/<name>) and a leader key (PUT /mod/v2/leader/<name>?name=…) are the same '
            + 'queue: the holder is the leader, the waiters are the candidates, served first come, first served. '
            + 'The index is the fencing token: it only ever grows.' }));
      } else {
        B.util.replace(el.head, h('div.crumbs', null, h('a', { href: B.app.url.locks(null), text: 'Locks and leaders' }),
          h('span.sep', { text: '/' }), h('b', { text: r.name === '' ? '(empty name)' : r.name })));
      }
      if (r.name === null) B.util.clear(el.body); else queueFrame();
    },
    unmount() { el = null; },
    render() {
      if (!el) return;
      if (route.name === null) renderList(); else renderQueue();
    },
  };
  B.views = B.views || {};
  B.views.locks = view;
})(window.Baton = window.Baton || {});
