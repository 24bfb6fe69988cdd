import { REPORT_ZONES, type ReportData, type TagCount } from './report-data';

/** HTML-escapes text for element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const e = escapeHtml;
const number = (n: number): string => n.toLocaleString('en-US');

/** The page's own styles; the page loads nothing, runs no script (its CSP says so). */
const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1f2933;max-width:1200px}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2.2rem;border-bottom:1px solid #d9e2ec;padding-bottom:.3rem}
table{border-collapse:collapse;font-size:.85rem}th,td{padding:.25rem .6rem;border-bottom:1px solid #e4e7eb;text-align:left;vertical-align:middle}
td.n{text-align:right;font-variant-numeric:tabular-nums}.bar{display:inline-block;height:.6rem;background:#4c8bf5;margin-right:.4rem;vertical-align:middle}
.ok{background:#e3f9e5}.warn{background:#fff3c4}.bad{background:#ffe3e3}.muted{color:#7b8794}
.meta{color:#52606d;font-size:.85rem}svg text{font-family:system-ui,sans-serif}
`;

/**
 * The whole report as one static HTML page: no script, no external resource (a CSP forbids both), every text escaped.
 * Names, counts and statuses only: the page holds nothing a DM or DA may not see.
 */
export function renderReportHtml(data: ReportData): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>CUR Customer Tagging 2.0: pipeline report</title>
<style>${STYLE}</style>
</head>
<body>
<h1>CUR Customer Tagging 2.0: pipeline report</h1>
<p class="meta">Generated ${e(data.generatedAt)} for role ${e(data.role)} from ${e(data.stateFolder)}. Counts, statuses and names only.</p>
${rowsSection(data)}
${dqSection(data)}
${tagsSection(data.tags)}
${graphSection(data)}
</body>
</html>
`;
}

function rowsSection(data: ReportData): string {
  if (data.runs.length === 0) return `<section id="rows"><h2>Rows per zone and run</h2><p>No runs yet: <code>npx cur demo</code> or <code>npx cur run</code>.</p></section>`;
  const max = Math.max(1, ...data.runs.flatMap((run) => Object.values(run.rowsByZone)));
  const head = `<tr><th>run</th><th>started</th><th>status</th><th>business dates</th>${REPORT_ZONES.map((zone) => `<th>${e(zone)}</th>`).join('')}<th>rejected</th></tr>`;
  const rows = data.runs
    .map((run) => {
      const cells = REPORT_ZONES.map((zone) => {
        const rows = run.rowsByZone[zone];
        if (rows === undefined) return '<td class="n muted">-</td>';
        return `<td class="n"><span class="bar" style="width:${Math.max(1, Math.round((rows / max) * 80))}px"></span>${number(rows)}</td>`;
      }).join('');
      const status = run.status === 'succeeded' ? 'ok' : run.status === 'failed' ? 'bad' : 'warn';
      return `<tr data-run="${e(run.runId)}"><td>${e(run.runId)}</td><td>${e(run.startedAt)}</td><td class="${status}">${e(run.status)}</td><td>${e(run.businessDates.join(', '))}</td>${cells}<td class="n">${number(run.rejected)}</td></tr>`;
    })
    .join('\n');
  return `<section id="rows"><h2>Rows per zone and run</h2><p class="meta">Rows each run's succeeded steps wrote per zone (the run logs in system/runs); rejected: rows the transform step turned away with a coded reason.</p><table>${head}\n${rows}</table></section>`;
}

function dqSection(data: ReportData): string {
  if (data.dq.length === 0) return `<section id="dq"><h2>DQ results over runs</h2><p>No DQ gate has run yet.</p></section>`;
  const runs = data.runs.filter((run) => data.dq.some((gate) => gate.byRun[run.runId] !== undefined));
  const head = `<tr><th>gate (zone/dataset)</th>${runs.map((run) => `<th title="${e(run.runId)}">${e(run.startedAt.slice(0, 16))}</th>`).join('')}</tr>`;
  const rows = data.dq
    .map((gate) => {
      const cells = runs
        .map((run) => {
          const result = gate.byRun[run.runId];
          if (result === undefined) return '<td class="muted">-</td>';
          const css = result.status !== 'succeeded' ? 'bad' : result.failed > 0 ? 'warn' : 'ok';
          return `<td class="${css}">${result.status === 'succeeded' ? `${number(result.failed)} of ${number(result.rules)} failed` : e(result.status)}</td>`;
        })
        .join('');
      return `<tr data-gate="${e(gate.gate)}"><td>${e(gate.gate)}</td>${cells}</tr>`;
    })
    .join('\n');
  return `<section id="dq"><h2>DQ results over runs</h2><p class="meta">Each gate's DQDL rules that did not pass, per run (green: none; amber: warnings or non-blocking failures; red: the gate failed).</p><table>${head}\n${rows}</table></section>`;
}

function tagsSection(tags: readonly TagCount[]): string {
  if (tags.length === 0) return `<section id="tags"><h2>Tag distribution and trend</h2><p>No published mart yet.</p></section>`;
  const dates = [...new Set(tags.map((t) => t.businessDate))].sort();
  const latest = dates.at(-1) ?? '';
  const names = [...new Set(tags.map((t) => t.tag))].sort();
  const count = (tag: string, date: string): number => tags.find((t) => t.tag === tag && t.businessDate === date)?.customers ?? 0;
  const max = Math.max(1, ...tags.map((t) => t.customers));
  const rows = [...names]
    .sort((a, b) => count(b, latest) - count(a, latest))
    .map((tag) => {
      const series = dates.map((date) => count(tag, date));
      return `<tr data-tag="${e(tag)}"><td>${e(tag)}</td><td class="n"><span class="bar" style="width:${Math.max(1, Math.round((count(tag, latest) / max) * 240))}px"></span>${number(count(tag, latest))}</td><td>${sparkline(series, max)}</td>${dates.map((date) => `<td class="n">${number(count(tag, date))}</td>`).join('')}</tr>`;
    })
    .join('\n');
  const head = `<tr><th>tag</th><th>customers on ${e(latest)}</th><th>trend</th>${dates.map((date) => `<th>${e(date)}</th>`).join('')}</tr>`;
  return `<section id="tags"><h2>Tag distribution and trend</h2><p class="meta">Customers per tag per business date (mart.tag_metrics_monthly, summed over branches), as role views show it.</p><table>${head}\n${rows}</table></section>`;
}

function sparkline(series: readonly number[], max: number): string {
  const width = 120;
  const height = 24;
  if (series.length === 1) return `<svg class="spark" width="${width}" height="${height}" role="img" aria-label="one date"><circle cx="${width / 2}" cy="${height - 2 - ((series[0] ?? 0) / max) * (height - 4)}" r="2.5" fill="#4c8bf5"/></svg>`;
  const points = series.map((value, i) => `${((i / (series.length - 1)) * (width - 4) + 2).toFixed(1)},${(height - 2 - (value / max) * (height - 4)).toFixed(1)}`).join(' ');
  return `<svg class="spark" width="${width}" height="${height}" role="img" aria-label="trend"><polyline points="${points}" fill="none" stroke="#4c8bf5" stroke-width="1.5"/></svg>`;
}

/** The pipeline's task graph (the MWAA DAG's) as layered SVG: a column per depth, arrows upstream to downstream. */
function graphSection(data: ReportData): string {
  const tasks = data.graph.tasks;
  const depth = new Map<string, number>();
  const depthOf = (id: string, seen: ReadonlySet<string> = new Set()): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const task = tasks.find((t) => t.id === id);
    const d = task === undefined || seen.has(id) ? 0 : Math.max(-1, ...task.upstream.map((up) => depthOf(up, new Set([...seen, id])))) + 1;
    depth.set(id, d);
    return d;
  };
  for (const task of tasks) depthOf(task.id);
  const columns = new Map<number, string[]>();
  for (const task of tasks) columns.set(depth.get(task.id) ?? 0, [...(columns.get(depth.get(task.id) ?? 0) ?? []), task.id]);
  const boxWidth = 215;
  const boxHeight = 26;
  const gapX = 34;
  const gapY = 10;
  const position = new Map<string, { x: number; y: number }>();
  for (const [d, ids] of columns) ids.forEach((id, row) => position.set(id, { x: 10 + d * (boxWidth + gapX), y: 10 + row * (boxHeight + gapY) }));
  const width = 20 + columns.size * (boxWidth + gapX);
  const height = 20 + Math.max(...[...columns.values()].map((ids) => ids.length)) * (boxHeight + gapY);
  const colour: Record<string, string> = { mask: '#fde2e2', transform: '#e3f2fd', dq: '#fff3c4', consumption: '#e3f9e5', mart: '#ede7f6', serving: '#e0f7fa' };
  const edges = tasks
    .flatMap((task) =>
      task.upstream.map((up) => {
        const from = position.get(up);
        const to = position.get(task.id);
        if (from === undefined || to === undefined) return '';
        return `<line class="edge" x1="${from.x + boxWidth}" y1="${from.y + boxHeight / 2}" x2="${to.x}" y2="${to.y + boxHeight / 2}" stroke="#9aa5b1" marker-end="url(#arrow)"/>`;
      }),
    )
    .join('');
  const nodes = tasks
    .map((task) => {
      const at = position.get(task.id) ?? { x: 0, y: 0 };
      return `<g class="task" data-task="${e(task.id)}"><rect x="${at.x}" y="${at.y}" width="${boxWidth}" height="${boxHeight}" rx="4" fill="${colour[task.step] ?? '#f5f7fa'}" stroke="#7b8794"/><text x="${at.x + 6}" y="${at.y + 17}" font-size="11">${e(task.id)}</text></g>`;
    })
    .join('\n');
  return `<section id="graph"><h2>The pipeline graph</h2><p class="meta">${tasks.length} tasks of the ${e(data.graph.dagId)} DAG, generated from the pipeline definition: each step per dataset and each DQ gate, left to right in dependency order.</p>
<div style="overflow-x:auto"><svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="pipeline task graph"><defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#9aa5b1"/></marker></defs>${edges}
${nodes}</svg></div></section>`;
}
