import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { airflowDagGraph } from '@cur/lineage';
import { PIPELINE_STEPS } from '@cur/pipeline';
import { DAG_OPTIONS } from '../../src/commands/lineage-command';
import { escapeHtml } from '../../src/report/render-report-html';
import { findChromium, renderedDom } from '../helpers/chromium';
import { runCurBin, runCurBinJson } from '../helpers/run-cur-bin';

/**
 * Issue 17, point 9: `cur report` writes one static HTML page for the DM and DA: rows per zone and run, DQ results
 * over runs, the tag distribution and its trend, the pipeline graph. The real executable writes it after a demo and a
 * second run; headless Chromium (Debian's package) renders it.
 */

const exec = promisify(execFile);
const DATE = '2026-11-25';
const chromium = findChromium();
let home: string;
let page: string;
let html: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'cur-report-'));
  await mkdir(join(home, 'out'), { mode: 0o755 });
  await chmod(join(home, 'out'), 0o755);
  expect((await runCurBin(['demo', '--customers', '60'], home)).code).toBe(0);
  expect((await runCurBin(['run', '--date', DATE], home)).code).toBe(0);
  page = join(home, 'out', 'report.html');
  const report = await runCurBin(['--role', 'DA', 'report', '--out', page], home);
  expect(report.code, report.stderr).toBe(0);
  expect(report.stdout).toMatch(/wrote .*report\.html: 2 run\(s\), \d+ DQ gate\(s\), \d+ tag\(s\), \d+ pipeline task\(s\)/);
  html = await readFile(page, 'utf8');
}, 240_000);

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('cur report (issue 17, point 9)', () => {
  it('writes one owner-only, self-contained page: no script, nothing loaded from elsewhere', async () => {
    expect((await stat(page)).mode & 0o777).toBe(0o600);
    // The folder is the user's: created if missing, never narrowed (a report written to /tmp must leave /tmp alone).
    expect((await stat(join(home, 'out'))).mode & 0o777).not.toBe(0o700);
    // url(#arrow) is the graph's own arrowhead marker; any other url( would load something.
    expect(html).not.toMatch(/<script|<link|<iframe|src=|@import|url\((?!#)/i);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
  });

  it('holds counts and names only: no national ID, token-shaped ID or name appears', () => {
    expect(html).not.toMatch(/\b[A-Z][1289]\d{8}\b/);
  });

  it('shows each run\'s rows per zone, each DQ gate over the runs, every tag with its trend, and the DAG\'s every task', async () => {
    const tags = await runCurBinJson<{ tag: string }[]>(['--role', 'DA', 'query', '--json', 'SELECT DISTINCT tag FROM mart.tag_metrics_monthly'], home);
    const graph = airflowDagGraph(PIPELINE_STEPS, DAG_OPTIONS);
    expect(html.match(/<tr data-run=/g)).toHaveLength(2);
    expect(html).toMatch(/data-gate="raw\/customer_profile"/);
    expect(html.match(/<tr data-tag=/g)).toHaveLength(tags.length);
    for (const { tag } of tags) expect(html).toContain(`data-tag="${escapeHtml(tag)}"`);
    expect(html.match(/<g class="task"/g)).toHaveLength(graph.tasks.length);
    expect(html.match(/<line class="edge"/g)).toHaveLength(graph.tasks.reduce((n, task) => n + task.upstream.length, 0));
  });

  it('is refused to a role it is not for, with ACCESS_DENIED naming the roles', async () => {
    const refused = await runCurBin(['--role', 'AP', 'report', '--out', join(home, 'ap.html')], home);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('role AP gets no report: it is for DM, DA, DE');
    await expect(stat(join(home, 'ap.html'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it.skipIf(chromium === undefined)('renders in headless Chromium: the four sections, their tables and the graph', async () => {
    // Act
    const dom = await renderedDom(chromium ?? '', `file://${page}`, 2_000);
    const screenshot = join(home, 'report.png');
    await exec(chromium ?? '', ['--headless', '--no-sandbox', '--disable-gpu', '--user-data-dir=/tmp/cur-chromium-profile', '--window-size=1300,1800', `--screenshot=${screenshot}`, `file://${page}`], { timeout: 120_000 });

    // Assess
    for (const heading of ['Rows per zone and run', 'DQ results over runs', 'Tag distribution and trend', 'The pipeline graph']) expect(dom).toContain(`<h2>${heading}</h2>`);
    expect(dom.match(/<tr data-run=/g)).toHaveLength(2);
    expect(dom).toMatch(/<svg[^>]*aria-label="pipeline task graph"/);
    expect((await stat(screenshot)).size).toBeGreaterThan(30_000);
  }, 180_000);
});
