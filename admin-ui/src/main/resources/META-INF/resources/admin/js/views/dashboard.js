// Dashboard: the loaded models and live charts computed from /actuator/prometheus every few seconds.
import { api } from '../api.js';
import { h, table, bytes, number, section, when } from '../dom.js';
import { LiveChart } from '../charts.js';
import { Scrape, rate, intervalMean } from '../prometheus.js';

export const TITLE = 'Dashboard';
const INTERVAL_MS = 2000;

const isError = (l) => /^[45]/.test(l.status || '') && !(l.uri || '').startsWith('/actuator');
const isRequest = (l) => !(l.uri || '').startsWith('/actuator') && !(l.uri || '').startsWith('/admin');

/** The charts and how each is computed from the previous and the current scrape. */
function chartSpecs() {
  return [
    [new LiveChart('Tokens/s', 'tok/s'), (a, b) => rate(a, b, 'llmp_tokens_completion_tokens_total')],
    [new LiveChart('Time to first token', 'ms', (v) => v.toFixed(0)), (a, b) => {
      const mean = intervalMean(a, b, 'llmp_time_to_first_token_seconds');
      return mean === null ? null : mean * 1000;
    }],
    [new LiveChart('Queue depth', '', (v) => v.toFixed(0)), (a, b) => b.sum('llmp_queue_depth')],
    [new LiveChart('Active sequences', '', (v) => v.toFixed(0)), (a, b) => b.sum('llmp_sequences_active')],
    [new LiveChart('KV-cache use', '%', (v) => v.toFixed(0)), (a, b) => (b.max('llmp_kv_cache_usage_ratio') ?? 0) * 100],
    [new LiveChart('Requests/s', 'req/s', (v) => v.toFixed(2)), (a, b) => rate(a, b, 'http_server_requests_seconds_count', isRequest)],
    [new LiveChart('Errors/s', 'err/s', (v) => v.toFixed(2)), (a, b) => rate(a, b, 'http_server_requests_seconds_count', isError)],
    [new LiveChart('Guardrail blocks/min', '/min', (v) => v.toFixed(1)),
      (a, b) => 60 * rate(a, b, 'llmp_guardrail_decisions_total', (l) => l.action === 'block')],
  ];
}

function modelsTable(loaded, registry) {
  const byPath = new Map(registry.map((r) => [r.path, r]));
  return table('Models being served', ['ID', 'Architecture', 'Quantization', 'Weights', 'Context', 'Parallel', 'Threads', 'KV type', 'Active', 'Queued', 'Loaded'],
    loaded, (m) => [m.id, m.architecture, m.quantization ?? byPath.get(m.path)?.quantization ?? '—', bytes(m.file_bytes), m.context_length,
      m.parallel, m.threads, m.kv_type, m.active_sequences, m.queued_requests, when(m.loaded_at)],
    'No model is loaded: load one on the Models page.');
}

export async function render(main) {
  const models = h('div', { id: 'dashboard-models' }, h('p', { class: 'hint' }, 'loading…'));
  const specs = chartSpecs();
  const status = h('p', { class: 'hint', id: 'metrics-status' }, 'Waiting for the first two metric scrapes…');
  const totals = h('p', { class: 'hint', id: 'metrics-totals' });
  main.append(h('h1', {}, TITLE),
    section('Loaded models', models),
    section('Live metrics', h('p', { class: 'hint' }, `From /actuator/prometheus every ${INTERVAL_MS / 1000} s; rates are per interval.`),
      h('div', { class: 'charts' }, specs.map(([c]) => c.element)), status, totals));

  async function refreshModels() {
    try {
      const [loaded, registry] = await Promise.all([api.get('/v1/admin/models'), api.get('/v1/admin/models/registry')]);
      models.replaceChildren(modelsTable(loaded.data, registry.data));
    } catch (e) {
      models.replaceChildren(h('p', { class: 'error', role: 'alert' }, `Could not list the models: ${e.message}`));
    }
  }

  let previous = null;
  async function scrape() {
    try {
      const current = new Scrape(await api.text('/actuator/prometheus'));
      if (previous) {
        for (const [chart, compute] of specs) chart.push(compute(previous, current));
        status.textContent = `Updated ${new Date(current.time).toLocaleTimeString()}.`;
      }
      totals.textContent = `Since start: ${number(current.sum('llmp_tokens_completion_tokens_total'), 0)} completion tokens, `
        + `${number(current.sum('llmp_guardrail_decisions_total', (l) => l.action === 'block'), 0)} guardrail blocks, `
        + `${number(current.sum('http_server_requests_seconds_count', isError), 0)} error responses.`;
      previous = current;
    } catch (e) {
      status.textContent = `Metrics unavailable: ${e.message}`;
      status.className = 'error';
    }
  }

  await Promise.all([refreshModels(), scrape()]);
  const timers = [setInterval(scrape, INTERVAL_MS), setInterval(refreshModels, 10000)];
  return () => timers.forEach(clearInterval);
}
