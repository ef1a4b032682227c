// Collections and documents: create/delete collections; in one collection, drag-and-drop uploads with
// per-file progress, the document list (filter, paging, delete) and a retrieval tester (dense/BM25/hybrid).
import { api, upload, query } from '../api.js';
import { h, table, bytes, section, field, notify, attempt, when, number } from '../dom.js';
import { confirmThen } from './models.js';

export const TITLE = 'Collections';
const PAGE = 50;

const link = (name, params = {}) => `#/collections/${encodeURIComponent(name)}${query(params)}`;

export async function render(main, parts, params) {
  main.append(h('h1', {}, TITLE));
  if (parts[0]) return renderCollection(main, parts[0], params);
  const listBox = h('div', { id: 'collections-list' });

  async function refresh() {
    const list = await attempt(() => api.get('/v1/collections'), 'Listing collections');
    if (!list) return;
    listBox.replaceChildren(table('Collections', ['Name', 'Documents', 'Chunks', 'Size', 'Embedding model', 'Created', ''], list.data,
      (c) => [h('a', { href: link(c.name) }, c.name), c.documents, c.chunks, bytes(c.bytes), `${c.embedding_model} (${c.dimension} d)`,
        when(c.created_at), h('button', { type: 'button', class: 'danger', 'aria-label': `Delete collection ${c.name}`, onclick: (e) => confirmThen(e.target, () => remove(c.name)) }, 'Delete')],
      'No collections yet: create one below.'));
  }

  async function remove(name) {
    if (await attempt(() => api.del(`/v1/collections/${encodeURIComponent(name)}`), `Deleting ${name}`)) {
      notify(`Collection ${name} deleted.`);
      refresh();
    }
  }

  const name = h('input', { id: 'collection-name', required: true, pattern: '[A-Za-z0-9][A-Za-z0-9._-]*', spellcheck: 'false' });
  const form = h('form', { class: 'inline-form', onsubmit: async (e) => {
    e.preventDefault();
    const created = await attempt(() => api.post('/v1/collections', { name: name.value.trim() }), 'Creating the collection');
    if (created) { notify(`Collection ${created.name} created.`); location.hash = link(created.name); }
  } }, field('New collection name', name, 'letters, digits, dot, dash, underscore'), h('button', { type: 'submit' }, 'Create collection'));

  main.append(section('All collections', listBox), section('Create', form));
  await refresh();
  return undefined;
}

async function renderCollection(main, name, params) {
  const info = await attempt(() => api.get(`/v1/collections/${encodeURIComponent(name)}`), `Opening ${name}`);
  main.append(h('p', {}, h('a', { href: '#/collections' }, '← all collections')));
  if (!info) return undefined;
  const stats = h('p', { id: 'collection-stats', class: 'hint' });
  const showStats = (c) => { stats.textContent = `${c.documents} documents, ${c.chunks} chunks, ${bytes(c.bytes)}; ${c.embedding_model} (${c.dimension} dimensions).`; };
  showStats(info);
  main.querySelector('h1').textContent = `Collection ${name}`;

  // ---- documents: list, filter, paging, delete
  let offset = 0;
  let page = { data: [], total: 0 };
  const filter = h('input', { id: 'doc-filter', type: 'search', placeholder: 'id, title or source', oninput: () => drawDocs() });
  const docsBox = h('div', { id: 'documents' });
  const pager = h('p', { class: 'pager' });

  async function loadDocs() {
    const p = await attempt(() => api.get(`/v1/collections/${encodeURIComponent(name)}/documents${query({ offset, limit: PAGE })}`), 'Listing documents');
    if (p) { page = p; drawDocs(); }
    const c = await attempt(() => api.get(`/v1/collections/${encodeURIComponent(name)}`), 'Reading the collection');
    if (c) showStats(c);
  }

  function drawDocs() {
    const f = filter.value.trim().toLowerCase();
    const shown = page.data.filter((d) => !f || [d.id, d.title, d.source].some((s) => (s || '').toLowerCase().includes(f)));
    docsBox.replaceChildren(table(`Documents ${offset + 1}–${offset + page.data.length} of ${page.total}`, ['ID', 'Title', 'Source', 'Chunks', 'Metadata', ''], shown,
      (d) => [d.id, d.title || '—', d.source || '—', d.chunks, Object.keys(d.metadata || {}).length ? JSON.stringify(d.metadata) : '—',
        h('button', { type: 'button', class: 'danger', 'aria-label': `Delete document ${d.id}`, onclick: (e) => confirmThen(e.target, () => removeDoc(d.id)) }, 'Delete')],
      f ? 'No document on this page matches the filter.' : 'No documents yet: drop files above.'));
    for (const row of docsBox.querySelectorAll('tbody tr')) {
      if (params.doc && row.firstChild?.textContent === params.doc) { row.classList.add('highlight'); row.scrollIntoView({ block: 'center' }); }
    }
    pager.replaceChildren(
      h('button', { type: 'button', class: 'secondary', disabled: offset === 0, onclick: () => { offset = Math.max(0, offset - PAGE); loadDocs(); } }, 'Previous page'),
      h('button', { type: 'button', class: 'secondary', disabled: offset + PAGE >= page.total, onclick: () => { offset += PAGE; loadDocs(); } }, 'Next page'));
  }

  async function removeDoc(id) {
    if (await attempt(() => api.del(`/v1/collections/${encodeURIComponent(name)}/documents/${encodeURIComponent(id)}`), `Deleting ${id}`)) {
      notify(`Document ${id} deleted.`);
      loadDocs();
    }
  }

  // ---- uploads: drop zone (and a file picker for keyboards), one request per file with its own bar
  const uploads = h('ul', { id: 'uploads', class: 'uploads' });
  async function sendFiles(files) {
    for (const file of files) {
      const bar = h('progress', { max: 1, value: 0, 'aria-label': `Upload of ${file.name}` });
      const state = h('span', {}, 'uploading…');
      const item = h('li', { dataset: { file: file.name, status: 'uploading' } }, h('strong', {}, file.name), ` (${bytes(file.size)}) `, bar, state);
      uploads.prepend(item);
      try {
        const result = await upload(`/v1/collections/${encodeURIComponent(name)}/documents`, file, (f) => { bar.value = f; });
        bar.value = 1;
        item.dataset.status = 'done';
        state.textContent = `ingested: ${result.documents.map((d) => d.id).join(', ')} (${result.chunks} chunks)`;
      } catch (e) {
        item.dataset.status = 'failed';
        state.textContent = `failed: ${e.message}`;
        state.className = 'error';
      }
    }
    loadDocs();
  }
  const picker = h('input', { id: 'file-picker', type: 'file', multiple: true, onchange: () => { sendFiles([...picker.files]); picker.value = ''; } });
  const drop = h('div', { id: 'dropzone', class: 'dropzone' },
    h('p', {}, 'Drop files here (PDF, DOCX, HTML, Markdown, text, JSON lines) or '), field('choose files', picker));
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); sendFiles([...e.dataTransfer.files]); });

  // ---- retrieval tester
  const q = h('input', { id: 'search-query', required: true });
  const mode = h('select', { id: 'search-mode' }, ['hybrid', 'dense', 'bm25'].map((m) => h('option', { value: m }, m)));
  const topK = h('input', { id: 'search-top-k', type: 'number', min: 1, max: 100, value: 5 });
  const results = h('div', { id: 'search-results', 'aria-live': 'polite' });
  const searchForm = h('form', { class: 'inline-form', onsubmit: async (e) => {
    e.preventDefault();
    const hits = await attempt(() => api.post(`/v1/collections/${encodeURIComponent(name)}/search`,
      { query: q.value, mode: mode.value, top_k: Number(topK.value) }), 'Searching');
    if (!hits) return;
    results.replaceChildren(hits.data.length === 0 ? h('p', { class: 'hint' }, 'No chunk matched.')
      : h('ol', { class: 'hits' }, hits.data.map((hit) => h('li', { class: 'hit' },
        h('div', { class: 'hit-head' }, h('span', { class: 'score' }, `score ${number(hit.score, 4)}`),
          h('a', { href: link(name, { doc: hit.document_id }) }, hit.title || hit.document_id),
          ` · chunk ${hit.chunk_index}`, hit.page ? ` · page ${hit.page}` : '', hit.source ? ` · ${hit.source}` : ''),
        h('p', { class: 'chunk' }, hit.text)))));
  } }, field('Query', q), field('Mode', mode), field('Top k', topK), h('button', { type: 'submit' }, 'Search'));

  main.append(stats,
    section('Upload documents', drop, uploads),
    section('Try a query', searchForm, results),
    section('Documents', field('Filter this page', filter), docsBox, pager));
  await loadDocs();
  return undefined;
}
