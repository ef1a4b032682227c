// Small live line charts drawn as SVG: a fixed window of recent points, scaled to the largest one.

const NS = 'http://www.w3.org/2000/svg';
const WIDTH = 240;
const HEIGHT = 64;

/** A chart card: title, current value, and a sparkline of the last `capacity` values. */
export class LiveChart {
  constructor(title, unit, format = (v) => v.toFixed(1), capacity = 40) {
    this.title = title;
    this.unit = unit;
    this.format = format;
    this.capacity = capacity;
    this.values = [];
    this.element = document.createElement('figure');
    this.element.className = 'chart';
    this.element.dataset.metric = title;
    const caption = document.createElement('figcaption');
    this.label = document.createElement('span');
    this.label.textContent = title;
    this.current = document.createElement('strong');
    this.current.className = 'chart-value';
    this.current.textContent = '—';
    caption.append(this.label, this.current);
    this.svg = document.createElementNS(NS, 'svg');
    this.svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
    this.svg.setAttribute('preserveAspectRatio', 'none');
    this.svg.setAttribute('role', 'img');
    this.svg.setAttribute('aria-label', `${title}: no data yet`);
    this.area = document.createElementNS(NS, 'path');
    this.area.setAttribute('class', 'chart-area');
    this.line = document.createElementNS(NS, 'polyline');
    this.line.setAttribute('class', 'chart-line');
    this.svg.append(this.area, this.line);
    this.scale = document.createElement('small');
    this.scale.className = 'hint';
    this.element.append(caption, this.svg, this.scale);
  }

  /** Adds a point (null = no observation in this interval, drawn as zero but shown as "—"). */
  push(value) {
    this.values.push(value);
    if (this.values.length > this.capacity) this.values.shift();
    this.draw(value);
  }

  draw(latest) {
    const vals = this.values.map((v) => (v === null || !Number.isFinite(v) ? 0 : v));
    const top = Math.max(...vals, 1e-9);
    const step = WIDTH / Math.max(this.capacity - 1, 1);
    const offset = WIDTH - (vals.length - 1) * step;
    const points = vals.map((v, i) => `${(offset + i * step).toFixed(1)},${(HEIGHT - 2 - (v / top) * (HEIGHT - 6)).toFixed(1)}`);
    this.line.setAttribute('points', points.join(' '));
    this.area.setAttribute('d', points.length ? `M${offset},${HEIGHT} L${points.join(' L')} L${WIDTH},${HEIGHT} Z` : '');
    const shown = latest === null || latest === undefined || !Number.isFinite(latest) ? '—' : `${this.format(latest)}${this.unit ? ` ${this.unit}` : ''}`;
    this.current.textContent = shown;
    this.scale.textContent = `max ${this.format(Math.max(...vals, 0))} over ${vals.length} samples`;
    this.svg.setAttribute('aria-label', `${this.title}: now ${shown}`);
  }
}
