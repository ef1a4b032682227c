// API keys: create (the secret is shown once, with a copy button), list, edit limits/scopes/policy
// (PATCH /v1/admin/keys/{id}), revoke.
import { api } from '../api.js';
import { h, table, section, field, notify, attempt, when, number } from '../dom.js';
import { confirmThen } from './models.js';

export const TITLE = 'API keys';

const selected = (select) => [...select.selectedOptions].map((o) => o.value);
const optional = (input) => (input.value.trim() === '' ? null : Number(input.value));

/** The controls shared by the create and edit forms, prefilled from a key (or empty). */
function keyControls(prefix, choices, key = {}) {
  const multi = (id, names, chosen) => h('select', { id, multiple: true, size: Math.min(5, Math.max(2, names.length)) },
    names.map((n) => h('option', { value: n, selected: chosen.includes(n) }, n)));
  return {
    models: multi(`${prefix}-models`, choices.models, key.allowed_models || []),
    collections: multi(`${prefix}-collections`, choices.collections, key.allowed_collections || []),
    policy: h('select', { id: `${prefix}-policy` }, h('option', { value: '' }, 'server default'),
      choices.policies.map((p) => h('option', { value: p, selected: key.policy === p }, p))),
    rpm: h('input', { id: `${prefix}-rpm`, type: 'number', min: 1, value: key.requests_per_minute ?? '', placeholder: 'default' }),
    tpm: h('input', { id: `${prefix}-tpm`, type: 'number', min: 1, value: key.tokens_per_minute ?? '', placeholder: 'default' }),
  };
}

function controlFields(c) {
  return [field('Allowed models', c.models, 'none selected = any (Ctrl/⌘-click for several)'),
    field('Allowed collections', c.collections, 'none selected = any'), field('Guardrail policy', c.policy),
    field('Requests per minute', c.rpm), field('Tokens per minute', c.tpm)];
}

function settingsOf(c) {
  return { allowed_models: selected(c.models), allowed_collections: selected(c.collections), policy: c.policy.value || null,
    requests_per_minute: optional(c.rpm), tokens_per_minute: optional(c.tpm) };
}

export async function render(main) {
  main.append(h('h1', {}, TITLE));
  const [models, collections, counters] = await Promise.all([
    attempt(() => api.get('/v1/models'), 'Listing models'),
    attempt(() => api.get('/v1/collections'), 'Listing collections'),
    attempt(() => api.get('/v1/admin/guardrails/counters'), 'Listing policies'),
  ]);
  const choices = { models: models ? models.data.map((m) => m.id) : [], collections: collections ? collections.data.map((c) => c.name) : [],
    policies: counters ? counters.policies : [] };

  const listBox = h('div', { id: 'keys-list' });
  const editBox = h('div', { id: 'key-edit' });
  const secretBox = h('div', { id: 'new-secret', 'aria-live': 'polite' });

  async function refresh() {
    const keys = await attempt(() => api.get('/v1/admin/keys'), 'Listing keys');
    if (!keys) return;
    listBox.replaceChildren(table('Keys (secrets are never shown again)', ['Name / ID', 'Secret starts', 'Role', 'Scopes', 'Policy', 'Limits per minute', 'Tokens used', 'Created / last used', 'Status', ''],
      keys.data, (k) => [h('span', {}, k.name, h('br'), h('code', { class: 'small' }, k.id)), h('code', {}, `${k.secret_prefix}…`), k.role,
        h('span', {}, `models: ${k.allowed_models.join(', ') || 'any'}`, h('br'), `collections: ${k.allowed_collections.join(', ') || 'any'}`),
        k.policy ?? 'default', `${k.requests_per_minute ?? 'default'} req, ${k.tokens_per_minute ?? 'default'} tok`,
        `${number(k.usage.prompt_tokens, 0)} prompt + ${number(k.usage.completion_tokens, 0)} completion`,
        h('span', {}, when(k.created_at), h('br'), when(k.last_used_at)),
        h('span', { class: k.revoked_at ? 'status-revoked' : 'status-active', dataset: { key: k.id } }, k.revoked_at ? `revoked ${when(k.revoked_at)}` : 'active'),
        k.revoked_at ? '' : h('span', { class: 'actions' },
          h('button', { type: 'button', class: 'secondary', 'aria-label': `Edit ${k.name}`, onclick: () => edit(k) }, 'Edit'),
          h('button', { type: 'button', class: 'danger', 'aria-label': `Revoke ${k.name}`, onclick: (e) => confirmThen(e.target, () => revoke(k)) }, 'Revoke'))],
      'No keys yet.'));
  }

  async function revoke(k) {
    if (await attempt(() => api.del(`/v1/admin/keys/${encodeURIComponent(k.id)}`), `Revoking ${k.name}`)) {
      notify(`Key ${k.name} revoked: requests with it now get 401.`);
      refresh();
    }
  }

  function edit(k) {
    const c = keyControls('edit', choices, k);
    const form = h('form', { class: 'grid-form', onsubmit: async (e) => {
      e.preventDefault();
      if (await attempt(() => api.patch(`/v1/admin/keys/${encodeURIComponent(k.id)}`, settingsOf(c)), `Saving ${k.name}`)) {
        notify(`Key ${k.name} updated.`);
        editBox.replaceChildren();
        refresh();
      }
    } }, h('h3', {}, `Edit ${k.name}`), k.role === 'admin' ? h('p', { class: 'hint' }, 'Admin keys cannot be limited to models or collections.') : null,
    ...controlFields(c), h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save'),
      h('button', { type: 'button', class: 'secondary', onclick: () => editBox.replaceChildren() }, 'Cancel')));
    editBox.replaceChildren(form);
    form.querySelector('select, input').focus();
  }

  const name = h('input', { id: 'key-name', required: true, maxLength: 200 });
  const role = h('select', { id: 'key-role' }, h('option', { value: 'user' }, 'user'), h('option', { value: 'admin' }, 'admin'));
  const c = keyControls('new', choices);
  const form = h('form', { id: 'key-create', class: 'grid-form', onsubmit: async (e) => {
    e.preventDefault();
    const created = await attempt(() => api.post('/v1/admin/keys', { name: name.value.trim(), role: role.value, ...settingsOf(c) }), 'Creating the key');
    if (!created) return;
    const secret = h('input', { id: 'secret-value', readOnly: true, value: created.key, class: 'secret', 'aria-label': 'The new secret' });
    const copied = h('span', { role: 'status', class: 'hint' });
    secretBox.replaceChildren(h('div', { class: 'note success' },
      h('p', {}, h('strong', {}, `Key ${created.name} created. `), 'Copy the secret now: it is shown only this once.'),
      h('div', { class: 'actions' }, secret, h('button', { type: 'button', id: 'copy-secret', onclick: async () => {
        secret.select();
        try { await navigator.clipboard.writeText(created.key); copied.textContent = 'Copied.'; } catch { copied.textContent = 'Selected: press Ctrl+C to copy.'; }
      } }, 'Copy'), h('button', { type: 'button', class: 'secondary', onclick: () => secretBox.replaceChildren() }, 'Done'), copied)));
    form.reset();
    refresh();
  } }, field('Name', name), field('Role', role), ...controlFields(c), h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Create key')));

  main.append(section('Create a key', form, secretBox), section('Keys', listBox, editBox));
  await refresh();
  return undefined;
}
