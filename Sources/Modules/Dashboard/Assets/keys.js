// Keys (/mod/dashboard/keys/<path>): browse the tree with breadcrumbs; a directory lists its children
// (100 per page, filterable, so 10,000 keys never become 10,000 rows), a key shows its value and metadata.
// Create key/directory (optional TTL, never overwriting: prevExist=false), edit (compare-and-swap on the
// index shown, so a concurrent change is reported instead of overwritten), delete after confirmation, TTLs
// counting down, and a toggle that adds the hidden _etcd tree (the API never lists `_` names) at the root.
// The list follows the recursive watch on the directory being browsed: no polling, no refetch per event.
'use strict';
(function (B) {
  const { h } = B.util;
  const PAGE = 100;
  const HIDDEN_KEY = 'baton.dashboard.showHidden';
  const DELETES = ['delete', 'expire', 'compareAndDelete'];
  let el = null, route = null;
  let cur = null; // { key, loaded, missing, node (file), children: sorted [{key,name,dir,value,deadline,…}] }
  const state = { page: 0, filter: '' };

  const showHidden = () => localStorage.getItem(HIDDEN_KEY) === 'true';

  function entry(node, at) {
    return { key: node.key, name: B.util.baseName(node.key), dir: !!node.dir, value: node.value,
      deadline: B.util.deadline(node, at), createdIndex: node.createdIndex, modifiedIndex: node.modifiedIndex };
  }
  function findChild(key) { // binary search in the sorted children: [found, insertion index]
    let lo = 0, hi = cur.children.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const k = cur.children[mid].key;
      if (k === key) return [true, mid];
      if (k < key) lo = mid + 1; else hi = mid;
    }
    return [false, lo];
  }
  function upsertChild(e) {
    const [found, i] = findChild(e.key);
    if (found) cur.children[i] = e; else cur.children.splice(i, 0, e);
  }

  function onSnapshot(snap) {
    cur = { key: route.key, loaded: true, missing: null, node: null, children: [] };
    if (snap.missing) { cur.missing = snap.missing.message; return; }
    const node = snap.json.node;
    if (node.dir) {
      cur.dir = true;
      cur.node = entry(node, snap.receivedAt);
      cur.children = (node.nodes || []).map((n) => entry(n, snap.receivedAt));
      cur.children.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    } else {
      cur.node = entry(node, snap.receivedAt);
    }
  }

  function onEvent(ev, at) {
    if (!cur) return;
    const k = ev.node.key, base = cur.key;
    const gone = DELETES.includes(ev.action);
    if (k === base || base.startsWith(k + '/')) {
      if (gone) { cur.missing = `${k === base ? 'This' : 'Its parent ' + k} was ${ev.action === 'expire' ? 'expired (TTL)' : 'deleted'} at index ${ev.node.modifiedIndex}.`; cur.children = []; }
      else if (k === base) { cur.missing = null; cur.node = entry(ev.node, at); cur.dir = !!ev.node.dir; }
      return;
    }
    const rel = base === '/' ? k.slice(1) : k.slice(base.length + 1);
    const slash = rel.indexOf('/');
    const name = slash < 0 ? rel : rel.slice(0, slash);
    if (name.startsWith('_')) return; // hidden names are never listed
    const childKey = B.util.joinKey(base, name);
    if (slash < 0) {
      if (gone) { const [found, i] = findChild(childKey); if (found) cur.children.splice(i, 1); }
      else upsertChild(Object.assign(entry(ev.node, at), { fresh: true }));
    } else if (!gone && !findChild(childKey)[0]) {
      upsertChild({ key: childKey, name, dir: true, fresh: true }); // created implicitly by a deeper write
    }
  }

  // MARK: dialogs

  function ttlInput(value) {
    return h('input', { type: 'number', name: 'ttl', min: '1', step: '1', placeholder: 'none', value: value || '', id: 'f-ttl' });
  }
  function formTTL(form) {
    const t = form.elements.ttl.value.trim();
    if (t && !/^\d+$/.test(t)) throw new Error('TTL must be a whole number of seconds.');
    return t;
  }
  function createDialog(dir) {
    const name = h('input', { type: 'text', name: 'name', id: 'f-name', required: true, placeholder: dir ? 'new-directory' : 'new-key', autocomplete: 'off' });
    const value = h('textarea', { name: 'value', id: 'f-value', placeholder: 'value' });
    B.util.dialog({
      title: dir ? 'New directory' : 'New key',
      okText: 'Create',
      body: [
        B.util.field('Name', name, 'Created under ' + cur.key + '; a name with "/" creates the directories in between.'),
        dir ? null : B.util.field('Value', value),
        B.util.field('TTL (seconds)', ttlInput(), 'Leave empty to keep it until deleted.'),
      ],
      submit: async (form) => {
        const n = form.elements.name.value.trim().replace(/^\/+|\/+$/g, '');
        if (!n) throw new Error('A name is required.');
        const form2 = { prevExist: 'false' };
        if (dir) form2.dir = 'true'; else form2.value = form.elements.value.value;
        const ttl = formTTL(form);
        if (ttl) form2.ttl = ttl;
        await B.api.put(B.util.joinKey(cur.key, n), form2);
      },
    });
  }
  function editDialog(e) {
    const left = e.deadline ? Math.max(1, Math.ceil((e.deadline - Date.now()) / 1000)) : '';
    if (e.dir) {
      B.util.dialog({
        title: 'Directory TTL', okText: 'Save',
        body: [h('p.mono', { text: e.key }), B.util.field('TTL (seconds)', ttlInput(left), 'Sets the directory to expire, with everything in it, after this many seconds.')],
        submit: async (form) => {
          const ttl = formTTL(form);
          if (!ttl) throw new Error('Enter a TTL (a directory TTL can be changed but not removed).');
          await B.api.put(e.key, { dir: 'true', prevExist: 'true', ttl });
        },
      });
      return;
    }
    const value = h('textarea', { name: 'value', id: 'f-value' });
    value.value = e.value || '';
    B.util.dialog({
      title: 'Edit key', okText: 'Save',
      body: [h('p.mono', { text: e.key }), B.util.field('Value', value),
        B.util.field('TTL (seconds)', ttlInput(left), 'Empty = no expiry. Saving restarts the countdown.')],
      submit: async (form) => {
        const f = { value: form.elements.value.value, prevIndex: String(e.modifiedIndex) };
        const ttl = formTTL(form);
        if (ttl) f.ttl = ttl;
        try {
          await B.api.put(e.key, f);
        } catch (x) {
          if (x.code === 101) throw new Error('Someone changed this key since you opened it (compare failed). Close, look at the new value, and edit again.');
          throw x;
        }
      },
    });
  }
  function deleteDialog(e) {
    B.util.dialog({
      title: e.dir ? 'Delete directory' : 'Delete key', okText: 'Delete', danger: true,
      body: h('p', null, 'Delete ', h('b.mono', { text: e.key }), e.dir ? ' and everything under it?' : '?', ' This cannot be undone.'),
      submit: async () => {
        await B.api.remove(e.key, e.dir ? { dir: 'true', recursive: 'true' } : null);
        if (e.key === cur.key) B.app.navigate(B.app.url.keys(B.util.parentKey(e.key)));
      },
    });
  }

  // MARK: rendering

  function crumbs(key) {
    const parts = key.split('/').filter(Boolean);
    const out = [h('a', { href: B.app.url.keys('/'), text: 'root' })];
    let path = '';
    parts.forEach((p, i) => {
      path += '/' + p;
      out.push(h('span.sep', { text: '/' }));
      out.push(i === parts.length - 1 ? h('b', { text: p }) : h('a', { href: B.app.url.keys(path), text: p }));
    });
    return h('nav.crumbs#crumbs', { 'aria-label': 'Path' }, out);
  }

  function renderDir() {
    let rows = cur.children;
    if (cur.key === '/' && showHidden() && !rows.some((r) => r.key === '/_etcd')) {
      rows = [{ key: '/_etcd', name: '_etcd', dir: true, hidden: true }].concat(rows);
    }
    const f = state.filter.toLowerCase();
    if (f) rows = rows.filter((r) => r.name.toLowerCase().includes(f));
    el.count.textContent = `${B.util.fmtInt(cur.children.length)} ${cur.children.length === 1 ? 'entry' : 'entries'}` + (f ? `, ${rows.length} matching` : '');
    if (!rows.length) {
      return B.util.replace(el.body, h('p.empty', { text: f ? 'Nothing matches the filter.' : 'This directory is empty. Create a key or a directory above.' }));
    }
    const p = B.util.paginate(rows, state, PAGE, view.render);
    const tr = p.slice.map((r) => {
      const row = h('tr', { 'data-key': r.key, class: r.fresh ? 'flash' : null },
        h('td.name', null, r.dir ? h('span.badge.dir', { text: 'dir' }) : null, ' ',
          h('a', { href: B.app.url.keys(r.key), text: r.name + (r.dir ? '/' : '') }),
          r.hidden ? h('span.muted.small', { text: '  hidden: lock queues and members' }) : null),
        h('td.value', { title: r.dir ? '' : r.value }, r.dir ? '' : B.util.valueText(r.value)),
        h('td', null, B.util.ttlCell(r.deadline)),
        h('td.num.mono', { text: r.modifiedIndex || '' }),
        h('td.actions', null, r.hidden ? null : [
          h('button.btn.small', { type: 'button', text: 'Edit', 'data-action': 'edit', onclick: () => editDialog(r) }), ' ',
          h('button.btn.small.danger', { type: 'button', text: 'Delete', 'data-action': 'delete', onclick: () => deleteDialog(r) })]));
      r.fresh = false;
      return row;
    });
    B.util.replace(el.body, h('table.grid#keys-table', null,
      h('thead', null, h('tr', null, h('th', { text: 'Name' }), h('th', { text: 'Value' }), h('th', { text: 'TTL left' }),
        h('th.num', { text: 'Modified index' }), h('th'))),
      h('tbody', null, tr)), p.pager);
  }

  function renderKey() {
    const n = cur.node;
    B.util.replace(el.body, h('div#key-detail', null,
      h('div.panel-head', null, h('h2.mono', { text: n.key }), h('span.spacer'),
        h('button.btn', { type: 'button', text: 'Edit…', id: 'key-edit', onclick: () => editDialog(n) }),
        h('button.btn.danger', { type: 'button', text: 'Delete…', id: 'key-delete', onclick: () => deleteDialog(n) })),
      h('dl.kv', null,
        h('dt', { text: 'TTL left' }), h('dd', null, B.util.ttlCell(n.deadline)),
        h('dt', { text: 'Created index' }), h('dd', { text: String(n.createdIndex) }),
        h('dt', { text: 'Modified index' }), h('dd', { text: String(n.modifiedIndex) }),
        h('dt', { text: 'Size' }), h('dd', { text: B.util.fmtBytes(new TextEncoder().encode(n.value || '').length) })),
      h('pre.value#key-value', null, n.value === '' ? h('span.novalue', { text: '(empty value)' }) : n.value)));
  }

  const view = {
    title: (r) => 'Keys ' + r.key,
    watchSpec: (r) => ({
      snapshotKey: r.key, snapshotParams: { sorted: 'true' }, watchKey: r.key,
      onSnapshot, onEvent,
    }),
    mount(container, r) {
      el = {
        crumbs: h('div'),
        count: h('span.muted.small#keys-count'),
        body: h('div#keys-body'),
        filter: h('input', { type: 'search', placeholder: 'Filter this directory…', id: 'keys-filter',
          oninput: (e) => { state.filter = e.target.value; state.page = 0; view.render(); } }),
        hidden: h('input', { type: 'checkbox', id: 'show-hidden', checked: showHidden(),
          onchange: (e) => { localStorage.setItem(HIDDEN_KEY, e.target.checked ? 'true' : 'false'); view.render(); } }),
        dirTools: h('span.toolbar'),
      };
      B.util.append(el.dirTools, [
        h('button.btn.primary#new-key', { type: 'button', text: '+ Key', onclick: () => createDialog(false) }),
        h('button.btn#new-dir', { type: 'button', text: '+ Directory', onclick: () => createDialog(true) }),
        el.filter,
        h('label.check', { title: 'Names starting with "_" are hidden by the API; this adds the _etcd tree (lock queues, members) at the root' },
          el.hidden, 'Show hidden _etcd'),
      ]);
      B.util.append(container, [h('div.toolbar', null, el.crumbs, h('span.spacer'), el.count, el.dirTools), h('div.panel', null, el.body)]);
      view.update(r);
    },
    update(r) {
      if (route && route.key === r.key && cur) return; // same place (e.g. the tab clicked again): keep the live list
      if (route && route.key !== r.key) { state.page = 0; state.filter = ''; el.filter.value = ''; }
      route = r;
      cur = null;
      B.util.replace(el.crumbs, crumbs(r.key));
      B.util.replace(el.body, h('p.empty', { text: 'Loading…' }));
    },
    unmount() { el = null; cur = null; route = null; },
    render() {
      if (!el || !cur || cur.key !== route.key) return;
      const isDir = !cur.missing && (cur.key === '/' || cur.dir);
      el.dirTools.hidden = !isDir;
      el.count.hidden = !isDir;
      if (cur.missing) {
        return B.util.replace(el.body, h('p.empty#keys-missing', null, cur.missing + ' ',
          h('a', { href: B.app.url.keys(B.util.parentKey(cur.key)), text: 'Go up' })));
      }
      if (isDir) renderDir(); else renderKey();
    },
  };
  B.views = B.views || {};
  B.views.keys = view;
})(window.Baton = window.Baton || {});
