import { describe, expect, it } from 'vitest';
import { dqOverRuns, rowsOfRun, type RunLog } from '../../src/report/report-data';
import { renderReportHtml } from '../../src/report/render-report-html';

const LOG: RunLog = {
  runId: 'r1',
  startedAt: '2026-11-25T01:00:00.000Z',
  status: 'failed',
  businessDates: ['2026-11-25'],
  steps: [
    { step: 'mask', target: 'customer_profile/2026-11-25', status: 'succeeded', rowCount: 10 },
    { step: 'transform', target: 'customer_profile/2026-11-25', status: 'succeeded', rowCount: 8, counts: { rowsRejected: 2 } },
    { step: 'transform', target: 'account_balance/2026-11-25', status: 'failed', rowCount: 99 },
    { step: 'dq', target: 'raw/customer_profile/2026-11-25', status: 'succeeded', counts: { rules: 8, failed: 1 } },
  ],
};

describe('Function: renderReportHtml', () => {
  it('sums succeeded steps per zone, counts rejects, and keeps each gate per run', () => {
    expect(rowsOfRun(LOG)).toMatchObject({ rowsByZone: { raw: 10, transformed: 8 }, rejected: 2 });
    expect(dqOverRuns([LOG])).toEqual([{ gate: 'raw/customer_profile', byRun: { r1: { rules: 8, failed: 1, status: 'succeeded' } } }]);
  });

  it('escapes every name it prints, so a hostile tag or run id cannot become markup', () => {
    const html = renderReportHtml({
      generatedAt: 'now',
      role: 'DA',
      stateFolder: '/home/<me>',
      runs: [rowsOfRun({ ...LOG, runId: '"><img src=x>' })],
      dq: [],
      tags: [{ businessDate: '2026-11-25', tag: '<script>alert(1)</script>', customers: 3 }],
      graph: { dagId: 'cur_pipeline', tasks: [{ id: 'mask_<b>', step: 'mask', dataset: 'x', upstream: [] }] },
    });
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('/home/&lt;me&gt;');
  });
});
