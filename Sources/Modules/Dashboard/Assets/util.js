// Small helpers shared by every view: DOM building (text is always set as text, never parsed as HTML, so a
// key or value can never inject markup), formatting, the error strip, the modal dialog and a pager.
// Everything hangs off the single global `Baton`.
'use strict';
(function (B) {
  const U = {};

  /** h('tag.class#id', {attrs}, ...children): children are nodes, strings (as text) or arrays. */
  U.h = function (spec, attrs, ...children) {
    const m = /^([a-z0-9]+)((?:[.#][\w-]+)*)$/i.exec(spec);
    const el = document.createElement(m ? m[1] : spec);
    if (m && m[2]) {
      for (const part of m[2].match(/[.#][\w-]+/g)) {
        if (part[0] === '.') el.classList.add(part.slice(1)); else el.id = part.slice(1);
      }
    }
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === undefined || v === null || v === false) continue;
        if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
        else if (k === 'class') el.className = v;
        else if (k === 'text') el.textContent = v;
        else if (k in el && typeof v !== 'string') el[k] = v;
        else el.setAttribute(k, v === true ? '' : String(v));
      }
    }
    U.append(el, children);
    return el;
  };
  U.append = function (el, children) {
    for (const c of children) {
      if (c === undefined || c === null || c === false) continue;
      if (Array.isArray(c)) U.append(el, c);
      else el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  };
  U.clear = function (el) { while (el.firstChild) el.removeChild(el.firstChild); return el; };
  U.replace = function (el, ...children) { U.clear(el); return U.append(el, children); };

  U.fmtInt = (n) => (n === undefined || n === null || Number.isNaN(n)) ? '–' : Math.round(n).toLocaleString('en-US');
  U.fmtRate = (r) => r === null || r === undefined ? '–' : (r >= 100 ? Math.round(r).toLocaleString('en-US') : r.toFixed(1));
  U.fmtBytes = function (b) {
    if (!(b >= 0)) return '–';
    const units = ['B', 'KiB', 'MiB', 'GiB'];
    let i = 0;
    while (b >= 1024 && i < units.length - 1) { b /= 1024; i++; }
    return (i ? b.toFixed(1) : b) + ' ' + units[i];
  };
  /** Seconds as "42s", "3m 05s", "2h 03m", "4d 01h". */
  U.fmtDuration = function (s) {
    if (s === null || s === undefined) return '–';
    s = Math.max(0, Math.floor(s));
    const d = Math.floor(s / 86400), hr = Math.floor(s / 3600) % 24, m = Math.floor(s / 60) % 60, sec = s % 60;
    const p2 = (n) => String(n).padStart(2, '0');
    if (d) return `${d}d ${p2(hr)}h`;
    if (hr) return `${hr}h ${p2(m)}m`;
    if (m) return `${m}m ${p2(sec)}s`;
    return `${sec}s`;
  };

  /**
   * When a node with a TTL expires, in local milliseconds. The server's `expiration` is exact but in the
   * server's clock; `ttl` is in whole seconds rounded up. Trust `expiration` when both clocks agree to
   * within the rounding, else count down from `ttl` as received.
   */
  U.deadline = function (node, receivedAt) {
    if (!node || !node.ttl && !node.expiration) return null;
    const fromTTL = receivedAt + (node.ttl || 0) * 1000;
    const fromExp = node.expiration ? Date.parse(node.expiration) : NaN;
    if (!Number.isNaN(fromExp) && Math.abs(fromExp - fromTTL) <= 1500) return fromExp;
    return fromTTL;
  };
  /** A self-updating TTL cell: the ticker in app.js rewrites every `[data-deadline]` twice a second. */
  U.ttlCell = function (deadline) {
    if (!deadline) return U.h('span.ttl.muted', { text: '—', title: 'No TTL: never expires' });
    const el = U.h('span.ttl', { 'data-deadline': String(deadline) });
    U.updateTTL(el, Date.now());
    return el;
  };
  U.updateTTL = function (el, now) {
    const left = (Number(el.dataset.deadline) - now) / 1000;
    el.textContent = left > 0 ? U.fmtDuration(Math.ceil(left)) : 'expiring';
    el.classList.toggle('soon', left < 5);
    el.title = 'Expires at ' + new Date(Number(el.dataset.deadline)).toLocaleString();
  };

  U.valueText = function (value) {
    if (value === '-') return U.h('span.novalue', { text: '(no value)', title: 'Acquired without a value; stored as "-"' });
    if (value === '') return U.h('span.novalue', { text: '(empty)' });
    return value;
  };

  // Error strip: messages in words, repeated ones counted instead of stacked, each dismissible.
  const shown = new Map();
  U.showError = function (message) {
    const strip = document.getElementById('errors');
    let item = shown.get(message);
    if (item) {
      item.count++;
      item.countEl.textContent = `×${item.count}`;
      return;
    }
    const countEl = U.h('span.count');
    const el = U.h('div.error-item', null, U.h('span.msg', { text: message }), countEl,
      U.h('button.btn.small', { type: 'button', text: 'Dismiss', onclick: () => { el.remove(); shown.delete(message); } }));
    item = { el, count: 1, countEl };
    shown.set(message, item);
    strip.appendChild(el);
  };
  /** Removes the messages that start with `prefix` (e.g. an interruption that is over). */
  U.dismissErrors = function (prefix) {
    for (const [message, item] of shown) {
      if (message.startsWith(prefix)) { item.el.remove(); shown.delete(message); }
    }
  };

  /**
   * A modal form. `fields(body)` fills the body; `submit(form)` returns a promise; an error it throws is
   * shown inside the dialog, which stays open so the operator can correct the input.
   */
  U.dialog = function ({ title, body, okText = 'OK', danger = false, submit }) {
    const dlg = document.getElementById('dialog');
    const form = document.getElementById('dialog-form');
    const ok = document.getElementById('dialog-ok');
    const err = document.getElementById('dialog-error');
    document.getElementById('dialog-title').textContent = title;
    U.replace(document.getElementById('dialog-body'), body);
    ok.textContent = okText;
    ok.className = 'btn primary' + (danger ? ' danger' : '');
    ok.disabled = false;
    err.textContent = '';
    form.onsubmit = async (e) => {
      e.preventDefault();
      ok.disabled = true;
      err.textContent = '';
      try {
        await submit(form);
        dlg.close();
      } catch (x) {
        err.textContent = x.message || String(x);
      } finally {
        ok.disabled = false;
      }
    };
    document.getElementById('dialog-cancel').onclick = () => dlg.close();
    dlg.showModal();
    const first = form.querySelector('#dialog-body input, #dialog-body textarea');
    (first || ok).focus();
  };
  U.field = function (label, input, hint) {
    return U.h('label.field', null, U.h('span', { text: label }), input, hint ? U.h('span.hint', { text: hint }) : null);
  };

  /** Page `items` (an array) `size` at a time; `state.page` survives re-renders. */
  U.paginate = function (items, state, size, onChange) {
    const pages = Math.max(1, Math.ceil(items.length / size));
    state.page = Math.min(Math.max(0, state.page || 0), pages - 1);
    const start = state.page * size;
    const slice = items.slice(start, start + size);
    const go = (p) => () => { state.page = p; onChange(); };
    const pager = items.length <= size ? null : U.h('div.pager', null,
      `${U.fmtInt(start + 1)}–${U.fmtInt(start + slice.length)} of ${U.fmtInt(items.length)}`,
      U.h('button.btn.small', { type: 'button', text: '« First', disabled: state.page === 0, onclick: go(0) }),
      U.h('button.btn.small', { type: 'button', text: '‹ Prev', disabled: state.page === 0, onclick: go(state.page - 1), 'data-role': 'prev' }),
      `page ${state.page + 1} / ${pages}`,
      U.h('button.btn.small', { type: 'button', text: 'Next ›', disabled: state.page >= pages - 1, onclick: go(state.page + 1), 'data-role': 'next' }),
      U.h('button.btn.small', { type: 'button', text: 'Last »', disabled: state.page >= pages - 1, onclick: go(pages - 1) }));
    return { slice, pager, start };
  };

  /** Path helpers: keys are absolute ("/a/b"); URLs encode each segment. */
  U.encodePath = (key) => key.split('/').map(encodeURIComponent).join('/');
  U.joinKey = (dir, name) => (dir === '/' ? '' : dir) + '/' + name.replace(/^\/+/, '');
  U.baseName = (key) => key.slice(key.lastIndexOf('/') + 1);
  U.parentKey = (key) => { const i = key.lastIndexOf('/'); return i <= 0 ? '/' : key.slice(0, i); };

  U.sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  B.util = U;
})(window.Baton = window.Baton || {});
