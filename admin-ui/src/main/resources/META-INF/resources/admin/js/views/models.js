// Models: what is served (unload), the registry on disk (load, delete), and pulls from Hugging Face
// with a live progress bar (polled from the pull job).
import { api } from '../api.js';
import { h, table, bytes, duration, section, field, notify, attempt, when } from '../dom.js';

export const TITLE = 'Models';
const POLL_MS = 250;

export async function render(main) {
  const loadedBox = h('div', { id: 'loaded-models' });
  const registryBox = h('div', { id: 'registry' });
  const pulls = h('div', { id: 'pulls', class: 'stack' });
  const timers = new Set();

  async function refresh() {
    const [loaded, registry] = await Promise.all([
      attempt(() => api.get('/v1/admin/models'), 'Listing the served models'),
      attempt(() => api.get('/v1/admin/models/registry'), 'Listing the registry'),
    ]);
    if (loaded) {
      loadedBox.replaceChildren(table('Served now', ['ID', 'Architecture', 'Weights', 'Context', 'Parallel', 'Threads', 'Loaded', ''], loaded.data,
        (m) => [m.id, m.architecture, bytes(m.file_bytes), m.context_length, m.parallel, m.threads, when(m.loaded_at),
          h('button', { type: 'button', class: 'secondary', 'aria-label': `Unload ${m.id}`, onclick: () => unload(m.id) }, 'Unload')],
        'Nothing is served.'));
    }
    if (registry) {
      registryBox.replaceChildren(table('Registry (downloaded GGUF files)', ['Name', 'Architecture', 'Quantization', 'Size', 'Context', 'Verified', 'Source', ''],
        registry.data, (r) => [r.name, r.architecture ?? (r.error ? `unreadable: ${r.error}` : '—'), r.quantization ?? '—', bytes(r.size),
          (r.contextLength ?? r.context_length) || '—', r.verified ? 'sha256 ✓' : 'no', r.source ?? 'local file',
          h('span', { class: 'actions' },
            h('button', { type: 'button', 'aria-label': `Load ${r.name}`, onclick: () => load(r.name) }, 'Load'),
            h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${r.name}`, onclick: (e) => confirmThen(e.target, () => remove(r.name)) }, 'Delete'))],
        'The registry is empty: pull a model below.'));
    }
  }

  async function unload(id) {
    if (await attempt(() => api.post(`/v1/admin/models/${encodeURIComponent(id)}/unload`), `Unloading ${id}`)) {
      notify(`${id} unloaded.`);
      refresh();
    }
  }

  async function load(name) {
    notify(`Loading ${name}…`);
    const m = await attempt(() => api.post(`/v1/admin/models/${encodeURIComponent(name)}/load`, {}), `Loading ${name}`);
    if (m) { notify(`${name} is served.`); refresh(); }
  }

  async function remove(name) {
    if (await attempt(() => api.del(`/v1/admin/models/registry/${encodeURIComponent(name)}`), `Deleting ${name}`)) {
      notify(`${name} deleted from the registry.`);
      refresh();
    }
  }

  /** One pull's card: a progress bar with rate and ETA, updated until the job ends. */
  function track(job) {
    const bar = h('progress', { max: 1, value: 0, 'aria-label': `Download of ${job.model}` });
    const line = h('span', { class: 'pull-stats' }, 'queued');
    const card = h('div', { class: 'pull', dataset: { job: job.id, status: job.status } }, h('strong', {}, job.model), bar, line);
    pulls.prepend(card);
    const timer = setInterval(async () => {
      let s;
      try {
        s = await api.get(`/v1/admin/models/pull/${encodeURIComponent(job.id)}`);
      } catch (e) {
        line.textContent = `Could not poll the job: ${e.message}`;
        clearInterval(timer);
        timers.delete(timer);
        return;
      }
      card.dataset.status = s.status;
      if (s.total > 0) { bar.max = s.total; bar.value = s.bytes; } else bar.removeAttribute('value');
      const pct = s.total > 0 ? `${((100 * s.bytes) / s.total).toFixed(1)} %` : '';
      if (s.status === 'running' || s.status === 'queued') {
        line.textContent = `${s.file ?? ''} ${bytes(s.bytes)} of ${bytes(s.total)} ${pct} · ${bytes(s.bytes_per_second ?? s.bytesPerSecond)}/s · ETA ${duration(s.eta_seconds ?? s.etaSeconds)}`;
      } else {
        clearInterval(timer);
        timers.delete(timer);
        if (s.status === 'succeeded') {
          bar.max = 1; bar.value = 1;
          line.textContent = `Done: ${s.entry?.name ?? s.model} (${bytes(s.total)})${s.entry?.verified ? ', sha256 verified' : ''}.`;
          notify(`Pulled ${s.model}.`);
          refresh();
        } else {
          line.textContent = `Failed: ${s.error}`;
          line.className = 'error';
          notify(`Pull of ${s.model} failed: ${s.error}`, 'error');
        }
      }
    }, POLL_MS);
    timers.add(timer);
  }

  const modelInput = h('input', { id: 'pull-model', required: true, placeholder: 'owner/repo:Q4_K_M', spellcheck: 'false' });
  const fileInput = h('input', { id: 'pull-file', placeholder: 'optional: exact file name', spellcheck: 'false' });
  const form = h('form', { class: 'inline-form', onsubmit: async (e) => {
    e.preventDefault();
    const body = { model: modelInput.value.trim() };
    if (fileInput.value.trim()) body.file = fileInput.value.trim();
    const job = await attempt(() => api.post('/v1/admin/models/pull', body), `Pulling ${body.model}`);
    if (job) track(job);
  } },
  field('Hugging Face model', modelInput, 'owner/repo, optionally :quantization or :file.gguf'),
  field('File', fileInput),
  h('button', { type: 'submit' }, 'Pull'));

  main.append(h('h1', {}, TITLE),
    section('Served', loadedBox),
    section('Registry', registryBox),
    section('Pull from Hugging Face', form, pulls));
  await refresh();
  return () => timers.forEach(clearInterval);
}

/** A destructive button asks once more on its own face before acting (keyboard-friendly, no dialog). */
export function confirmThen(button, action) {
  if (button.dataset.armed === 'true') {
    button.dataset.armed = 'false';
    action();
    return;
  }
  const label = button.textContent;
  const aria = button.getAttribute('aria-label');
  button.dataset.armed = 'true';
  button.textContent = `Confirm ${label.toLowerCase()}`;
  if (aria) button.setAttribute('aria-label', `Confirm: ${aria}`);
  setTimeout(() => {
    if (button.isConnected && button.dataset.armed === 'true') {
      button.dataset.armed = 'false';
      button.textContent = label;
      if (aria) button.setAttribute('aria-label', aria);
    }
  }, 5000);
}
