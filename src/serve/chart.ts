// A horizontal bar chart as inline SVG, drawn on the server: no script, works offline and in print.
import { formatNumber, html, type Html, type Lang } from './html.js';
import type { ChartRow } from './queries.js';
import { t } from './i18n.js';

const LABEL_W = 200;
const BAR_W = 420;
const VALUE_W = 110;
const ROW_H = 20;
const PAD = 8;

export function barChart(rows: ChartRow[], options: { lang: Lang; title: string }): Html {
  const { lang } = options;
  if (rows.length === 0) return html`<p class="muted">${t(lang, 'noUnits')}</p>`;
  // Geometry only uses floats; labels and data-value keep the exact decimal string.
  const numbers = rows.flatMap((r) => (r.value === null ? [] : [Number(r.value)]));
  const lo = Math.min(0, ...numbers);
  const hi = Math.max(0, ...numbers);
  const scale = (v: number) => ((v - lo) / (hi - lo || 1)) * BAR_W;
  const height = rows.length * ROW_H + 2 * PAD;
  const zeroX = LABEL_W + scale(0);

  const bars = rows.map((row, i) => {
    const y = PAD + i * ROW_H;
    const textY = y + ROW_H / 2 + 4;
    const name = html`<text x="${LABEL_W - 6}" y="${textY}" text-anchor="end">${row.name}</text>`;
    if (row.value === null) {
      return html`<g data-unit="${row.unit_code}">${name}<text x="${zeroX + 4}" y="${textY}" fill="#7b8794">– ${t(lang, 'noValue')}</text></g>`;
    }
    const v = Number(row.value);
    const x = LABEL_W + scale(Math.min(v, 0));
    const w = Math.max(Math.abs(scale(v) - scale(0)), v === 0 ? 0 : 1);
    const shown = formatNumber(row.value, lang);
    return html`<g data-unit="${row.unit_code}">${name}<rect class="bar" data-unit="${row.unit_code}" data-value="${row.value}" x="${x.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${ROW_H - 6}"><title>${row.name}: ${shown}</title></rect><text x="${(x + w + 4).toFixed(1)}" y="${textY}">${shown}</text></g>`;
  });

  return html`<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="${options.title}" width="${LABEL_W + BAR_W + VALUE_W}" height="${height}" viewBox="0 0 ${LABEL_W + BAR_W + VALUE_W} ${height}">
<line x1="${zeroX.toFixed(1)}" y1="${PAD}" x2="${zeroX.toFixed(1)}" y2="${height - PAD}" stroke="#9aa5b1"/>${bars}</svg>`;
}
