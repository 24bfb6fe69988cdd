import { describe, expect, it } from 'vitest';
import { REPLICA_TABLES, dmsFullLoadTask, dmsTableMappings, replicaTable } from '../../../src/index';
import { DMS_REFERENCE_DIR, readDmsReference } from '../../helpers/shared-reference';

type Rule = Record<string, unknown>;
const reference = readDmsReference('table_mappings_shape.json') as { rules: Rule[] } | undefined;
if (!reference) console.warn(`DMS reference shapes not found in ${DMS_REFERENCE_DIR}: the tests against them are skipped (../shared is not part of a clone)`);

const mappings = dmsTableMappings(REPLICA_TABLES, '2026-11-25');
const rules = mappings.rules as unknown as readonly Rule[];

describe('dmsTableMappings', () => {
  it.skipIf(!reference)('shapes each rule as the reference rule of its type and action', () => {
    const refRules = (reference as { rules: Rule[] }).rules;
    for (const rule of rules) {
      const like = refRules.find((candidate) => candidate['rule-type'] === rule['rule-type'] && candidate['rule-action'] === rule['rule-action'] && candidate['rule-target'] === rule['rule-target']);
      expect(like, `${String(rule['rule-name'])}`).toBeDefined();
      // Ours may add selection filters; every key the reference has, ours has.
      for (const key of Object.keys(like as Rule)) expect(Object.keys(rule), `${String(rule['rule-name'])}.${key}`).toContain(key);
      expect(Object.keys(rule['object-locator'] as object).sort()).toEqual(Object.keys((like as Rule)['object-locator'] as object).sort());
    }
  });

  it.skipIf(!reference)('renames and upper-cases as the reference does, into the replica schema', () => {
    const actions = (list: readonly Rule[]) => list.filter((rule) => rule['rule-type'] === 'transformation').map((rule) => `${String(rule['rule-action'])}:${String(rule['rule-target'])}`);
    expect(actions(rules)).toEqual(actions((reference as { rules: Rule[] }).rules));
  });

  it('gives every rule a distinct numeric rule-id, the same whatever tables a date loads', () => {
    const ids = rules.map((rule) => rule['rule-id']);
    expect(ids.every((id) => typeof id === 'string' && /^\d+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const one = dmsTableMappings([replicaTable('customer_tags')], '2026-11-26').rules.find((rule) => rule['rule-type'] === 'selection');
    expect(one?.['rule-id']).toBe(rules.find((rule) => (rule['object-locator'] as { 'table-name': string })['table-name'] === 'customer_tags')?.['rule-id']);
  });

  it("selects only the date's rows of each table", () => {
    const selection = rules.find((rule) => rule['rule-type'] === 'selection');
    expect(selection).toMatchObject({ 'object-locator': { 'schema-name': 'cur', 'table-name': 'customer_features' }, filters: [{ 'filter-type': 'source', 'column-name': 'business_date', 'filter-conditions': [{ 'filter-operator': 'eq', value: '2026-11-25' }] }] });
  });

  it('refuses a business date that is not a day', () => {
    expect(() => dmsTableMappings(REPLICA_TABLES, '25/11/2026')).toThrow(/YYYY-MM-DD/);
  });
});

describe('dmsFullLoadTask', () => {
  it('is a full load that leaves the generated tables alone and stops on a data error', async () => {
    const task = dmsFullLoadTask(REPLICA_TABLES, '2026-11-25');
    expect(task.MigrationType).toBe('full-load');
    expect(task.ReplicationTaskSettings.FullLoadSettings.TargetTablePrepMode).toBe('DO_NOTHING');
    expect(task.ReplicationTaskSettings.ErrorBehavior.DataErrorPolicy).toBe('STOP_TASK');
    await expect(`${JSON.stringify(task, null, 2)}\n`).toMatchFileSnapshot('__snapshots__/full-load-task-2026-11-25.json');
  });

  it('is the same JSON for the same date, so a rerun loads the same rows', () => {
    expect(JSON.stringify(dmsFullLoadTask(REPLICA_TABLES, '2026-11-25'))).toBe(JSON.stringify(dmsFullLoadTask(REPLICA_TABLES, '2026-11-25')));
  });
});
