// Building HTML safely: every interpolated value is escaped unless it is already Html, so hostile
// text from submitted files (names, values, messages) can never become markup.

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = Html | string | number | null | undefined | false | readonly Part[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function render(part: Part): string {
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  if (part === null || part === undefined || part === false) return '';
  return escapeHtml(String(part));
}

/** html`<td>${text}</td>`: escapes text, keeps nested html`` fragments and arrays of them. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  return new Html(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]!) : ''), ''));
}

// One small stylesheet inline: the server has no internet and serves no other assets.
const STYLE = `
body{font-family:system-ui,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:1.5rem;color:#1f2933;background:#fff}
h1{font-size:1.4rem;margin:0 0 .5rem}h2{font-size:1.1rem;margin:1.6rem 0 .5rem}
table{border-collapse:collapse;font-size:.85rem}th,td{border:1px solid #d5dbe1;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f5f7}td.num{text-align:right;font-variant-numeric:tabular-nums}
.st{font-weight:600;text-align:center;white-space:nowrap}
.on_time{background:#c8ecc9;color:#17561a}.late{background:#ffe2a8;color:#6b4a00}
.missing{background:#e4e7eb;color:#52606d}.rejected{background:#f9c3c3;color:#8a1c1c}
form.filters{display:flex;gap:1rem;align-items:end;flex-wrap:wrap;margin:.5rem 0 1rem}
form.filters label{display:flex;flex-direction:column;font-size:.8rem;gap:.2rem}
nav.lang{float:right;font-size:.9rem}.muted{color:#7b8794;font-size:.85rem}
svg text{font-size:11px;fill:#1f2933}svg rect.bar{fill:#3f7cbf}
`;

export type Lang = 'vi' | 'en';

export function page(options: { lang: Lang; title: string; body: Html }): string {
  return html`<!DOCTYPE html>
<html lang="${options.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${options.title}</title><style>${new Html(STYLE)}</style></head>
<body>${options.body}</body></html>`.value;
}

/** Exact decimal strings formatted without going through a float: 1.348,9 (vi) or 1,348.9 (en). */
export function formatNumber(value: string | number | null | undefined, lang: Lang): string {
  if (value === null || value === undefined || value === '') return '–';
  const format = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US', { maximumFractionDigits: 6 });
  // Intl formats decimal strings exactly (ECMA-402 NumberFormat v3); the cast covers older lib types.
  return format.format(value as unknown as number);
}

export function formatTime(value: Date | string | null | undefined, lang: Lang, timeZone: string): string {
  if (!value) return '–';
  // 22/11/2026 07:14 in both languages: a full year, day first, as Vietnamese offices write it.
  const options: Intl.DateTimeFormatOptions = { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone };
  return new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', options).format(new Date(value));
}
