// Guardrails: the policies in effect (per key), counters since start, and the audit log with filters
// and paging. The API filters category, action and time; rail and key are filtered within each page.
import { api, query } from '../api.js';
import { h, table, section, field, attempt, number } from '../dom.js';

export const TITLE = 'Guardrails';
const PAGE = 25;

export async function render(main) {
  main.append(h('h1', {}, TITLE));
  const [counters, keys] = await Promise.all([
    attempt(() => api.get('/v1/admin/guardrails/counters'), 'Reading the guardrail counters'),
    attempt(() => api.get('/v1/admin/keys'), 'Listing keys'),
  ]);

  const policies = counters ? counters.policies : [];
  const policyBox = h('div', {},
    h('p', {}, 'Policies defined: ', policies.length ? policies.map((p) => h('code', { class: 'tag' }, p)) : '—'),
    keys ? table('Policy per API key', ['Key', 'Role', 'Policy', 'Status'], keys.data,
      (k) => [`${k.name} (${k.id})`, k.role, k.policy ?? 'server default (llmp.guardrails.policy)', k.revoked_at ? 'revoked' : 'active'],
      'No API keys: every request runs under the server default policy.') : null,
    h('p', { class: 'hint' }, 'Change a key\'s policy on the API keys page.'));

  const counterRows = counters ? Object.entries(counters.counters).sort(([a], [b]) => a.localeCompare(b)) : [];
  const counterBox = table('Checks and findings since start', ['Counter', 'Value'], counterRows, ([k, v]) => [h('code', {}, k), number(v, 0)],
    'Nothing counted yet.');

  // ---- audit log
  const rail = h('select', { id: 'audit-rail' }, ['', 'input', 'output'].map((v) => h('option', { value: v }, v || 'any')));
  const category = h('input', { id: 'audit-category', placeholder: 'e.g. PII or EMAIL_ADDRESS', spellcheck: 'false' });
  const action = h('select', { id: 'audit-action' }, ['', 'block', 'redact', 'flag'].map((v) => h('option', { value: v }, v || 'any')));
  const key = h('select', { id: 'audit-key' }, h('option', { value: '' }, 'any'),
    (keys ? keys.data : []).map((k) => h('option', { value: k.id }, `${k.name} (${k.id})`)));
  const since = h('input', { id: 'audit-since', type: 'datetime-local' });
  const logBox = h('div', { id: 'audit-log' });
  const pager = h('p', { class: 'pager' });
  let offset = 0;

  async function loadLog() {
    let sinceIso = '';
    if (since.value) sinceIso = new Date(since.value).toISOString();
    const page = await attempt(() => api.get(`/v1/admin/guardrails/events${query({ category: category.value.trim(), action: action.value, since: sinceIso, offset, limit: PAGE })}`),
      'Reading the audit log');
    if (!page) return;
    const shown = page.data.filter((e) => (!rail.value || e.rail === rail.value) && (!key.value || e.key_id === key.value));
    logBox.replaceChildren(table(`Audit events ${offset + 1}–${offset + page.data.length}, newest first`,
      ['Time', 'Rail', 'Category', 'Action', 'Detector', 'Score', 'Policy', 'Key', 'Route', 'Span', 'Latency'], shown,
      (e) => [new Date(e.time).toLocaleString(), e.rail, e.category, h('span', { class: `action action-${e.action}` }, e.action), e.detector,
        number(e.score, 3), e.policy, e.key_id ?? '—', e.route, `${e.start}–${e.end}`, `${e.latency_us} µs`],
      'No events match.'));
    pager.replaceChildren(
      h('button', { type: 'button', class: 'secondary', disabled: offset === 0, onclick: () => { offset = Math.max(0, offset - PAGE); loadLog(); } }, 'Newer'),
      h('button', { type: 'button', class: 'secondary', disabled: !page.has_more, onclick: () => { offset = page.next_offset; loadLog(); } }, 'Older'));
  }

  const filters = h('form', { id: 'audit-filters', class: 'inline-form', onsubmit: (e) => { e.preventDefault(); offset = 0; loadLog(); } },
    field('Rail', rail), field('Category', category), field('Action', action), field('Key', key), field('Since', since),
    h('button', { type: 'submit' }, 'Apply filters'));

  main.append(section('Policies in effect', policyBox), section('Audit log', filters, logBox, pager), section('Counters', counterBox));
  await loadLog();
  return undefined;
}
