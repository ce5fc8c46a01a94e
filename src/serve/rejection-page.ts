// /rejections/<id>: a rejected file's <name>.errors.csv as an HTML table.
import { createReadStream } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse';
import { reportOf } from '../pipeline/drop-root.js';
import { html, page, type Lang } from './html.js';
import { label, t } from './i18n.js';
import type { submissionById } from './queries.js';

const MAX_LINES = 2000;

/**
 * The report path of a stored file, only if it lies inside the drop root once symlinks are resolved:
 * the path comes from the database, and a tampered row must not turn the page into a file reader.
 */
export async function reportPathInRoot(root: string, storedPath: string): Promise<string | undefined> {
  try {
    const realRoot = await realpath(root);
    const report = await realpath(path.resolve(realRoot, reportOf('rejected', storedPath)));
    return report.startsWith(realRoot + path.sep) ? report : undefined;
  } catch {
    return undefined; // no report (or no root): nothing to show
  }
}

/** The first lines of the report; the header is the first row. */
export async function readReport(file: string): Promise<{ rows: string[][]; truncated: boolean }> {
  const rows: string[][] = [];
  const input = createReadStream(file);
  try {
    for await (const record of input.pipe(parse({ bom: true, relax_column_count: true })) as AsyncIterable<string[]>) {
      if (rows.length > MAX_LINES) return { rows, truncated: true }; // header + MAX_LINES read
      rows.push(record);
    }
  } finally {
    input.destroy();
  }
  return { rows, truncated: false };
}

type Submission = NonNullable<Awaited<ReturnType<typeof submissionById>>>;

export function renderRejectionPage(options: { lang: Lang; submission: Submission; report: { rows: string[][]; truncated: boolean } | undefined }): string {
  const { lang, submission: s, report } = options;
  const title = `${t(lang, 'errorReport')}: ${s.source_id}/${s.file_name}`;
  const [header = [], ...lines] = report?.rows ?? [];
  const table = report
    ? html`<table class="errors"><thead><tr>${header.map((h) => html`<th>${h}</th>`)}</tr></thead>
<tbody>${lines.map((row) => html`<tr>${row.map((cell) => html`<td>${cell}</td>`)}</tr>`)}</tbody></table>
${report.truncated ? html`<p class="muted">${t(lang, 'truncated', { n: MAX_LINES })}</p>` : ''}`
    : html`<p class="muted">${t(lang, 'noReport')}</p>`;
  const body = html`<p><a href="/?lang=${lang}">${t(lang, 'back')}</a></p>
<h1>${title}</h1>
<p>#${s.submission_id} · <span class="st ${s.state}">${label(lang, s.state)}</span> · ${t(lang, 'problems')}: ${s.problem_count}</p>
${table}`;
  return page({ lang, title, body });
}
