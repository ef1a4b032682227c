// Playground: chat with a loaded model, streamed; sampling controls; JSON-schema mode with a schema
// editor and a live validity indicator on the output; RAG with citations linking to their documents.
import { api, stream } from '../api.js';
import { h, section, field, attempt } from '../dom.js';
import { validate } from '../jsonschema.js';

export const TITLE = 'Playground';

const EXAMPLE_SCHEMA = JSON.stringify({
  type: 'object',
  properties: { name: { type: 'string', maxLength: 20 }, age: { type: 'integer', minimum: 0, maximum: 150 } },
  required: ['name', 'age'],
  additionalProperties: false,
}, null, 2);

/** Answer text with each [n] turned into a link to citation n's document. */
function withCitationLinks(text, citations, collection) {
  const out = h('div', { class: 'answer-text' });
  let last = 0;
  for (const m of text.matchAll(/\[(\d+)\]/g)) {
    const c = citations[Number(m[1]) - 1];
    if (!c) continue;
    out.append(text.slice(last, m.index), h('a', { href: docLink(collection, c), title: c.title || c.document_id }, m[0]));
    last = m.index + m[0].length;
  }
  out.append(text.slice(last));
  return out;
}

const docLink = (collection, c) => `#/collections/${encodeURIComponent(collection)}?doc=${encodeURIComponent(c.document_id)}`;

export async function render(main) {
  main.append(h('h1', {}, TITLE));
  const [loaded, collections] = await Promise.all([
    attempt(() => api.get('/v1/admin/models'), 'Listing the loaded models'),
    attempt(() => api.get('/v1/collections'), 'Listing collections'),
  ]);
  const modelNames = loaded ? loaded.data.map((m) => m.id) : [];

  const model = h('select', { id: 'pg-model' }, modelNames.map((m) => h('option', { value: m }, m)));
  const system = h('textarea', { id: 'pg-system', rows: 2, placeholder: 'optional system prompt' });
  const input = h('textarea', { id: 'pg-input', rows: 3, required: true, placeholder: 'Ask something… (Ctrl+Enter sends)' });
  const streamBox = h('input', { id: 'pg-stream', type: 'checkbox', checked: true });
  const temperature = h('input', { id: 'pg-temperature', type: 'number', min: 0, max: 2, step: 0.1, value: 0.7 });
  const topP = h('input', { id: 'pg-top-p', type: 'number', min: 0, max: 1, step: 0.05, value: 1 });
  const maxTokens = h('input', { id: 'pg-max-tokens', type: 'number', min: 1, value: 128 });
  const seed = h('input', { id: 'pg-seed', type: 'number', placeholder: 'random' });

  const jsonMode = h('input', { id: 'pg-json', type: 'checkbox' });
  const schema = h('textarea', { id: 'pg-schema', rows: 10, spellcheck: 'false', class: 'code', value: EXAMPLE_SCHEMA });
  const schemaState = h('p', { id: 'pg-schema-state', role: 'status' });
  const ragMode = h('input', { id: 'pg-rag', type: 'checkbox' });
  const collection = h('select', { id: 'pg-collection' }, (collections ? collections.data : []).map((c) => h('option', { value: c.name }, c.name)));
  const ragTopK = h('input', { id: 'pg-rag-top-k', type: 'number', min: 1, max: 20, value: 4 });

  const transcript = h('div', { id: 'pg-transcript', class: 'transcript', 'aria-live': 'polite' });
  const send = h('button', { type: 'submit', id: 'pg-send' }, 'Send');
  const stop = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Stop');
  const history = [];
  const follow = () => { transcript.scrollTop = transcript.scrollHeight; };
  let controller = null;

  function parsedSchema() {
    try {
      const s = JSON.parse(schema.value);
      if (typeof s !== 'object' || s === null || Array.isArray(s)) throw new Error('a schema must be a JSON object');
      schemaState.textContent = 'Schema: valid JSON';
      schemaState.className = 'ok';
      return s;
    } catch (e) {
      schemaState.textContent = `Schema: ${e.message}`;
      schemaState.className = 'error';
      return null;
    }
  }
  schema.addEventListener('input', parsedSchema);
  const toggles = () => {
    schema.closest('.field').hidden = !jsonMode.checked;
    schemaState.hidden = !jsonMode.checked;
    collection.closest('.field').hidden = !ragMode.checked;
    ragTopK.closest('.field').hidden = !ragMode.checked;
  };
  jsonMode.addEventListener('change', toggles);
  ragMode.addEventListener('change', toggles);

  /** The output's validity against the schema, updated as tokens arrive. */
  function outputVerdict(indicator, text, s) {
    let value;
    try {
      value = JSON.parse(text);
    } catch {
      indicator.dataset.state = 'incomplete';
      indicator.textContent = 'Output: not (yet) complete JSON';
      return;
    }
    const problems = validate(s, value);
    indicator.dataset.state = problems.length ? 'invalid' : 'valid';
    indicator.textContent = problems.length ? `Output: invalid: ${problems.slice(0, 3).join('; ')}` : 'Output: valid JSON for the schema';
  }

  async function ask(event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text || !model.value) return;
    const s = jsonMode.checked ? parsedSchema() : null;
    if (jsonMode.checked && !s) return;
    const messages = [];
    if (system.value.trim()) messages.push({ role: 'system', content: system.value.trim() });
    messages.push(...history, { role: 'user', content: text });
    const body = { model: model.value, messages, temperature: Number(temperature.value), top_p: Number(topP.value), max_tokens: Number(maxTokens.value) };
    if (seed.value !== '') body.seed = Number(seed.value);
    if (s) body.response_format = { type: 'json_schema', json_schema: { name: 'console', strict: true, schema: s } };
    if (ragMode.checked && collection.value) body.rag = { collection: collection.value, top_k: Number(ragTopK.value) };

    transcript.append(h('div', { class: 'turn user' }, h('span', { class: 'who' }, 'You'), h('p', {}, text)));
    const answer = h('pre', { class: 'answer' });
    const meta = h('p', { class: 'hint turn-meta' });
    const indicator = s ? h('p', { class: 'validity', role: 'status', dataset: { state: 'incomplete' } }, 'Output: waiting') : null;
    const turn = h('div', { class: 'turn assistant', dataset: { state: 'running' } }, h('span', { class: 'who' }, model.value), answer, indicator, meta);
    transcript.append(turn);
    follow();
    input.value = '';
    send.disabled = true;
    stop.hidden = false;
    controller = new AbortController();
    let content = '';
    let citations = [];
    let finish = null;
    let usage = null;
    const started = performance.now();
    let firstToken = null;
    try {
      if (streamBox.checked) {
        await stream('/v1/chat/completions', { ...body, stream: true, stream_options: { include_usage: true } }, (event) => {
          if (event.citations) citations = event.citations;
          if (event.usage) usage = event.usage;
          for (const choice of event.choices || []) {
            if (choice.delta && choice.delta.content) {
              if (firstToken === null) firstToken = performance.now() - started;
              content += choice.delta.content;
              answer.textContent = content;
              if (s) outputVerdict(indicator, content, s);
              follow();
            }
            if (choice.finish_reason) finish = choice.finish_reason;
          }
        }, controller.signal);
      } else {
        const r = await api.post('/v1/chat/completions', body);
        content = r.choices[0].message.content ?? '';
        finish = r.choices[0].finish_reason;
        citations = r.citations || [];
        answer.textContent = content;
        usage = r.usage;
      }
      if (s) outputVerdict(indicator, content, s);
      turn.dataset.state = 'done';
      history.push({ role: 'user', content: text }, { role: 'assistant', content });
      const seconds = (performance.now() - started) / 1000;
      meta.textContent = `finish: ${finish ?? '—'} · ${seconds.toFixed(2)} s${firstToken !== null ? ` · first token after ${firstToken.toFixed(0)} ms` : ''}`
        + (usage ? ` · ${usage.prompt_tokens} prompt tokens (${usage.prompt_tokens_details?.cached_tokens ?? 0} cached) + ${usage.completion_tokens} completion tokens` : '');
      if (citations.length && body.rag) {
        answer.replaceWith(withCitationLinks(content, citations, body.rag.collection));
        turn.append(h('ol', { class: 'citations', 'aria-label': 'Citations' }, citations.map((c) => h('li', {},
          h('a', { href: docLink(body.rag.collection, c) }, c.title || c.document_id), c.page ? ` (page ${c.page})` : '',
          ` · score ${Number(c.score).toFixed(3)}`))));
      }
    } catch (e) {
      turn.dataset.state = 'error';
      if (e.name === 'AbortError') meta.textContent = 'Stopped.';
      else turn.append(h('p', { class: 'error', role: 'alert' }, `The request failed: ${e.message}`));
    } finally {
      follow();
      send.disabled = false;
      stop.hidden = true;
      controller = null;
    }
  }
  stop.addEventListener('click', () => controller && controller.abort());
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) form.requestSubmit(); });

  const form = h('form', { id: 'pg-form', class: 'playground', onsubmit: ask },
    h('div', { class: 'pg-settings' },
      field('Model', model, modelNames.length ? null : 'No chat model is loaded: load one on the Models page.'),
      field('System prompt', system),
      h('fieldset', {}, h('legend', {}, 'Sampling'), field('Temperature', temperature), field('Top p', topP), field('Max tokens', maxTokens), field('Seed', seed),
        h('div', { class: 'check' }, streamBox, h('label', { for: streamBox.id }, 'Stream tokens as they are generated'))),
      h('fieldset', {}, h('legend', {}, 'Structured output'),
        h('div', { class: 'check' }, jsonMode, h('label', { for: jsonMode.id }, 'JSON-schema mode (response_format json_schema)')),
        field('JSON schema', schema), schemaState),
      h('fieldset', {}, h('legend', {}, 'Retrieval'),
        h('div', { class: 'check' }, ragMode, h('label', { for: ragMode.id }, 'Ground answers in a collection (RAG)')),
        field('Collection', collection), field('Passages (top k)', ragTopK))),
    h('div', { class: 'pg-chat' }, transcript, field('Message', input),
      h('div', { class: 'actions' }, send, stop,
        h('button', { type: 'button', class: 'secondary', onclick: () => { history.length = 0; transcript.replaceChildren(); } }, 'Clear conversation'))));
  main.append(section('Chat', form));
  toggles();
  parsedSchema();
  return () => controller && controller.abort();
}
