// The status page: completeness grid, latest files and rejections, one indicator across the wards.
import { barChart } from './chart.js';
import { formatNumber, formatTime, html, page, type Html, type Lang } from './html.js';
import { label, t } from './i18n.js';
import type { ChartRow, PeriodOption, completeness, indicators, latestSubmissions } from './queries.js';

export interface StatusView {
  lang: Lang;
  timeZone: string;
  period: string | undefined;
  indicator: string;
  periods: PeriodOption[];
  indicators: Awaited<ReturnType<typeof indicators>>;
  grid: Awaited<ReturnType<typeof completeness>>;
  submissions: Awaited<ReturnType<typeof latestSubmissions>>;
  chart: ChartRow[];
}

/** A link to this page with some parameters changed (the others kept). */
function link(view: StatusView, change: Partial<Record<'lang' | 'period' | 'indicator', string>>): string {
  const params = new URLSearchParams({ lang: view.lang, indicator: view.indicator, ...(view.period ? { period: view.period } : {}), ...change });
  return `/?${params}`;
}

function filters(view: StatusView): Html {
  const { lang } = view;
  const periods = view.periods.some((p) => p.code === view.period) || !view.period ? view.periods : [{ code: view.period, end_date: '', expected: false }, ...view.periods];
  return html`<form class="filters" method="get" action="/">
<input type="hidden" name="lang" value="${lang}">
<label>${t(lang, 'period')}<select name="period">${periods.map((p) => html`<option value="${p.code}"${p.code === view.period ? html` selected` : ''}>${p.code}</option>`)}</select></label>
<label>${t(lang, 'indicator')}<select name="indicator">${view.indicators.map(
    (i) => html`<option value="${i.code}"${i.code === view.indicator ? html` selected` : ''}>${lang === 'vi' ? i.name_vi : i.name_en} (${i.code})</option>`,
  )}</select></label>
<button type="submit">${t(lang, 'show')}</button></form>`;
}

function grid(view: StatusView): Html {
  const { lang } = view;
  const { cells, forms } = view.grid;
  if (cells.length === 0) return html`<p class="muted">${t(lang, 'noSlots')}</p>`;
  const sources = [...new Map(cells.map((c) => [c.source_id, c.source_name])).entries()];
  const formIds = [...new Set(cells.map((c) => c.form_id))].sort();
  const status = new Map(cells.map((c) => [`${c.source_id}\n${c.form_id}`, c.status]));
  const formName = (id: string) => {
    const form = forms.find((f) => f.form_id === id);
    return form ? (lang === 'vi' ? form.name_vi : form.name_en) : id === 'long' ? t(lang, 'longForm') : id;
  };
  return html`<table class="grid"><thead><tr><th>${t(lang, 'source')}</th>${formIds.map((f) => html`<th title="${formName(f)}">${f}</th>`)}</tr></thead>
<tbody>${sources.map(
    ([id, name]) => html`<tr><th>${name} <span class="muted">(${id})</span></th>${formIds.map((f) => {
      const s = status.get(`${id}\n${f}`);
      return s ? html`<td class="st ${s}" data-source="${id}" data-form="${f}" data-status="${s}">${label(lang, s)}</td>` : html`<td></td>`;
    })}</tr>`,
  )}</tbody></table>`;
}

function submissions(view: StatusView): Html {
  const { lang } = view;
  if (view.submissions.length === 0) return html`<p class="muted">${t(lang, 'noSubmissions')}</p>`;
  const rejectionLink = (s: StatusView['submissions'][number]) => `/rejections/${s.submission_id}?lang=${lang}`;
  const rows = view.submissions.map(
    (s) => html`<tr data-submission="${s.submission_id}"><td class="num">${s.submission_id}</td><td class="st ${s.state}" data-state="${s.state}">${label(lang, s.state)}</td>
<td>${s.source_id}</td><td>${s.state === 'rejected' ? html`<a href="${rejectionLink(s)}">${s.file_name}</a>` : s.file_name}</td>
<td>${formatTime(s.received_at, lang, view.timeZone)}</td><td class="num">${formatNumber(s.values_loaded, lang)}</td></tr>`,
  );
  const rejected = view.submissions.filter((s) => s.state === 'rejected');
  return html`<table class="submissions"><thead><tr><th>#</th><th>${t(lang, 'state')}</th><th>${t(lang, 'source')}</th><th>${t(lang, 'file')}</th><th>${t(lang, 'receivedAt')}</th><th>${t(lang, 'valuesLoaded')}</th></tr></thead><tbody>${rows}</tbody></table>
<h2>${t(lang, 'rejections')}</h2>
${
  rejected.length === 0
    ? html`<p class="muted">${t(lang, 'noRejections')}</p>`
    : html`<table class="rejections"><thead><tr><th>${t(lang, 'file')}</th><th>${t(lang, 'problems')}</th><th>${t(lang, 'firstProblem')}</th></tr></thead><tbody>${rejected.map(
        (s) => html`<tr><td><a class="rejection-link" href="${rejectionLink(s)}">${s.source_id}/${s.file_name}</a></td><td class="num">${formatNumber(s.problem_count, lang)}</td><td>${(lang === 'vi' ? s.first_problem_vi : null) ?? s.first_problem ?? ''}</td></tr>`,
      )}</tbody></table>`
}`;
}

function chart(view: StatusView): Html {
  const { lang } = view;
  const indicator = view.indicators.find((i) => i.code === view.indicator);
  const name = indicator ? (lang === 'vi' ? indicator.name_vi : indicator.name_en) : view.indicator;
  const title = `${name} (${indicator?.uom ?? ''}), ${view.period ?? ''}`;
  const reported = view.chart.filter((r) => r.value !== null).length;
  return html`<h2>${title}: ${t(lang, 'chart')}</h2>
<p class="muted">${t(lang, 'reported', { n: reported, m: view.chart.length })}</p>
${barChart(view.chart, { lang, title })}`;
}

export function renderStatusPage(view: StatusView): string {
  const { lang } = view;
  const body = html`<nav class="lang"><a href="${link(view, { lang: 'vi' })}" hreflang="vi">Tiếng Việt</a> · <a href="${link(view, { lang: 'en' })}" hreflang="en">English</a> · <a href="/queues">queues</a> · <a href="/metrics">metrics</a></nav>
<h1>${t(lang, 'title')}</h1>
${filters(view)}
<h2>${t(lang, 'completeness')}${view.period ? `: ${view.period}` : ''}</h2>
${grid(view)}
${chart(view)}
<h2>${t(lang, 'latest')}</h2>
${submissions(view)}`;
  return page({ lang, title: t(lang, 'title'), body });
}
