// Small DOM helpers: elements built from text nodes only (data is never parsed as markup), formatting.

/** h('button', {class: 'x', onclick: fn}, 'text', child…): attributes starting with "on" become listeners. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value') el.value = v;
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/** A table with a header row and one row per item; cells(item) returns the row's cell contents. */
export function table(caption, headings, items, cells, empty = 'Nothing here yet.') {
  const body = h('tbody');
  if (items.length === 0) {
    body.append(h('tr', {}, h('td', { colSpan: headings.length, class: 'hint' }, empty)));
  }
  for (const item of items) {
    body.append(h('tr', {}, cells(item).map((c) => h('td', {}, c))));
  }
  return h('div', { class: 'table-wrap' },
    h('table', {}, h('caption', {}, caption), h('thead', {}, h('tr', {}, headings.map((t) => h('th', { scope: 'col' }, t)))), body));
}

/** A labelled form control: the label's for= points at the control's id. */
export function field(label, control, hint) {
  if (!control.id) control.id = `f-${Math.random().toString(36).slice(2, 9)}`;
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hint ? h('small', { class: 'hint' }, hint) : null);
}

/** Shows a message in the page's status area (role=status for success, role=alert for errors). */
export function notify(message, kind = 'info') {
  const area = document.getElementById('messages');
  const note = h('div', { class: `note ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message,
    h('button', { type: 'button', class: 'link', 'aria-label': 'Dismiss message', onclick: () => note.remove() }, '×'));
  area.append(note);
  if (kind !== 'error') setTimeout(() => note.remove(), 6000);
}

/** Runs an async action, reporting its error as a readable message instead of losing it. */
export async function attempt(action, what) {
  try {
    return await action();
  } catch (e) {
    notify(`${what}: ${e.message}`, 'error');
    return undefined;
  }
}

export function bytes(n) {
  if (n === null || n === undefined || n < 0) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined || seconds < 0) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function when(epochSeconds) {
  return epochSeconds ? new Date(epochSeconds * 1000).toLocaleString() : '—';
}

export function number(x, digits = 2) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  return Number.isInteger(x) ? String(x) : x.toFixed(digits);
}

/** A section with a heading, for the views. */
export function section(title, ...children) {
  const id = `s-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}
