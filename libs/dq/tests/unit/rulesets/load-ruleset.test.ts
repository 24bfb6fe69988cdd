import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DATASET_NAMES, isDatasetName } from '@cur/contracts';
import {
  DqRulesetNotFoundError,
  LOCALLY_SUPPORTED_RULE_TYPES,
  RULESETS,
  SEVERITIES,
  hasRuleset,
  loadRuleset,
  loadRulesetFile,
  referencedDatasets,
  rulesetName,
  type DqRule,
  type RuleExpression,
} from '../../../src/index';
import { zoneColumns } from '../../helpers/zone-columns';

const RULESETS_DIR = new URL('../../../src/rulesets/', import.meta.url);

function leaves(expression: RuleExpression): DqRule[] {
  return expression.kind === 'rule' ? [expression] : expression.rules.flatMap(leaves);
}

/** The columns of the dataset under test that a rule names. */
function columnsNamed(rule: DqRule): string[] {
  switch (rule.ruleType) {
    case 'RowCount':
    case 'ColumnCount':
    case 'CustomSql':
    case 'RowCountMatch':
    case 'SchemaMatch':
      return [];
    case 'ReferentialIntegrity':
      return (rule.parameters[0]?.value ?? '').split(',').map((name) => name.trim());
    default:
      return rule.parameters.map((parameter) => parameter.value);
  }
}

describe('Constant: RULESETS', () => {
  it('lists exactly the .dqdl files of src/rulesets', async () => {
    const files = (await readdir(RULESETS_DIR)).filter((file) => file.endsWith('.dqdl')).sort();

    expect(files).toEqual(RULESETS.map(({ dataset, zone }) => `${dataset}.${zone}.dqdl`).sort());
  });

  it('covers the transformed zone of every source dataset and customer_features', () => {
    for (const dataset of DATASET_NAMES) expect(hasRuleset(dataset, 'transformed'), dataset).toBe(true);
    expect(hasRuleset('customer_features', 'consumption')).toBe(true);
  });
});

describe.each(RULESETS)('Ruleset: $dataset.$zone', ({ dataset, zone }) => {
  it('parses, and labels every rule blocking or warning', async () => {
    const { ruleset, name } = await loadRuleset(dataset, zone);

    expect(name).toBe(rulesetName(dataset, zone));
    expect(ruleset.rules.length).toBeGreaterThan(0);
    for (const rule of ruleset.rules) expect(SEVERITIES, rule.text).toContain(rule.labels['severity']);
    expect(ruleset.rules.some((rule) => rule.labels['severity'] === 'warning')).toBe(true);
    expect(ruleset.rules.some((rule) => rule.labels['severity'] === 'blocking')).toBe(true);
  });

  it('uses only rule types the local evaluator supports', async () => {
    const { ruleset } = await loadRuleset(dataset, zone);
    const types = ruleset.rules.flatMap((rule) => leaves(rule.expression)).map((rule) => rule.ruleType);

    expect(types.filter((type) => !(LOCALLY_SUPPORTED_RULE_TYPES as readonly string[]).includes(type))).toEqual([]);
  });

  it('names only columns of the dataset as the zone holds it, and datasets as references', async () => {
    const { ruleset } = await loadRuleset(dataset, zone);
    const columns = Object.keys(zoneColumns(dataset, zone));
    const rules = ruleset.rules.flatMap((rule) => leaves(rule.expression));

    expect(rules.flatMap(columnsNamed).filter((name) => !columns.includes(name))).toEqual([]);
    for (const alias of referencedDatasets(ruleset)) expect(isDatasetName(alias), alias).toBe(true);
    for (const rule of rules.filter((candidate) => candidate.ruleType === 'ReferentialIntegrity')) {
      const [alias, list] = (rule.parameters[1]?.value ?? '').split('.');
      const referenced = (list ?? '').replace(/[{}]/g, '').split(',');
      expect(referenced.filter((name) => !Object.keys(zoneColumns(alias ?? '', 'transformed')).includes(name)), rule.text).toEqual([]);
    }
    for (const rule of rules.filter((candidate) => candidate.ruleType === 'ColumnCount')) {
      expect(rule.condition, rule.text).toEqual({ kind: 'comparison', operator: '=', operand: { kind: 'number', value: columns.length } });
    }
  });
});

describe('Function: loadRuleset', () => {
  it('returns the text and where it was read from', async () => {
    const loaded = await loadRuleset('customer_profile', 'transformed');

    expect(loaded.url.pathname.endsWith('/rulesets/customer_profile.transformed.dqdl')).toBe(true);
    expect(loaded.text).toContain('Rules = [');
  });

  it.each([
    ['customer_profile', 'mart'],
    ['no_such_dataset', 'raw'],
    ['../../etc/passwd', 'raw'],
    ['customer_profile', '../transformed'],
  ])('refuses %s in %s: no ruleset ships for it', async (dataset, zone) => {
    await expect(loadRuleset(dataset, zone)).rejects.toThrowError(DqRulesetNotFoundError);
  });
});

describe('Function: loadRulesetFile', () => {
  it('reads and parses a DQDL file anywhere', async () => {
    const { ruleset, text } = await loadRulesetFile(new URL('customer_tags.consumption.dqdl', RULESETS_DIR));

    expect(text.length).toBeGreaterThan(0);
    expect(ruleset.rules.length).toBeGreaterThan(0);
  });
});
