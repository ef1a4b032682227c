// A parser for the Prometheus text exposition format (what /actuator/prometheus answers) and the
// arithmetic the dashboard needs: sums over label sets and per-second rates between two scrapes.

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses exposition text into [{name, labels, value}] (comments and blank lines skipped). */
export function parsePrometheus(text) {
  const samples = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = SAMPLE.exec(line);
    if (!m) continue;
    const labels = {};
    if (m[3]) {
      for (const l of m[3].matchAll(LABEL)) {
        labels[l[1]] = l[2].replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
      }
    }
    const value = m[4] === '+Inf' ? Infinity : m[4] === '-Inf' ? -Infinity : Number(m[4]);
    samples.push({ name: m[1], labels, value });
  }
  return samples;
}

/** A scrape: samples plus the time it was taken. */
export class Scrape {
  constructor(text, time = Date.now()) {
    this.samples = parsePrometheus(text);
    this.time = time;
  }

  /** Sum of a metric's samples whose labels pass the filter (a function of the labels). */
  sum(name, filter = () => true) {
    let total = 0;
    for (const s of this.samples) {
      if (s.name === name && filter(s.labels) && Number.isFinite(s.value)) total += s.value;
    }
    return total;
  }

  max(name) {
    let best = null;
    for (const s of this.samples) {
      if (s.name === name && Number.isFinite(s.value)) best = best === null ? s.value : Math.max(best, s.value);
    }
    return best;
  }

  has(name) {
    return this.samples.some((s) => s.name === name);
  }
}

/** Per-second increase of a counter between two scrapes (a restart, i.e. a decrease, counts from zero). */
export function rate(before, after, name, filter) {
  if (!before) return 0;
  const dt = (after.time - before.time) / 1000;
  if (dt <= 0) return 0;
  const a = before.sum(name, filter);
  const b = after.sum(name, filter);
  return (b >= a ? b - a : b) / dt;
}

/** Mean of a histogram's observations made between two scrapes, or null when there were none. */
export function intervalMean(before, after, name) {
  const count = after.sum(`${name}_count`) - before.sum(`${name}_count`);
  if (count <= 0) return null;
  return (after.sum(`${name}_sum`) - before.sum(`${name}_sum`)) / count;
}
