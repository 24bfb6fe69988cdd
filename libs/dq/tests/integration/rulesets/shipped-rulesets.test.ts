import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDbSqlEngine } from '@cur/adapters-local';
import { getDataset } from '@cur/contracts';
import { RULESETS, evaluateRuleset, loadRuleset, referencedDatasets, summariseResults } from '../../../src/index';
import { openEngine, typedView } from '../../helpers/duckdb-table';
import { zoneColumns } from '../../helpers/zone-columns';

let engine: DuckDbSqlEngine;
beforeAll(async () => {
  engine = await openEngine();
});
afterAll(() => engine.close());

/** The zone a reference alias is read from: a dataset's last zone (transformed for sources, its own for derived). */
const homeZone = (dataset: string): string => getDataset(dataset).zones.at(-1) ?? 'transformed';

describe.each(RULESETS)('Ruleset: $dataset.$zone over its zone\'s schema', ({ dataset, zone }) => {
  it('evaluates every rule without an error: columns, references and SQL all bind', async () => {
    // Prepare: one row of NULLs with the zone's columns and types, and the same for each reference.
    const { ruleset } = await loadRuleset(dataset, zone);
    const nullRow = (columns: Record<string, string>): null[][] => [Object.keys(columns).map(() => null)];
    const columns = zoneColumns(dataset, zone);
    await typedView(engine, 'dq_target', columns, nullRow(columns));
    const references: Record<string, string> = {};
    for (const alias of referencedDatasets(ruleset)) {
      const referenceColumns = zoneColumns(alias, homeZone(alias));
      await typedView(engine, `dq_ref_${alias}`, referenceColumns, nullRow(referenceColumns));
      references[alias] = `dq_ref_${alias}`;
    }

    // Act
    const results = await evaluateRuleset(ruleset, { engine, references });

    // Assess: a row of NULLs fails plenty, but nothing is left unevaluated.
    expect(results.filter((result) => result.Result === 'ERROR').map((result) => `${result.Description}: ${result.EvaluationMessage ?? ''}`)).toEqual([]);
    expect(summariseResults(results).blocked).toBe(true);
  });
});
