import { assertBusinessDate } from '../business-date';
import { DEFAULT_ORACLE_SCHEMA, DMS_SOURCE_SCHEMA, type ReplicaTable } from '../replica-tables';

/**
 * The `rule-id` of each replicated dataset's selection rule. Fixed here, never derived from a position, so adding a
 * dataset never renumbers the others (DMS logs and table statistics name rules by id); a test holds every
 * replicated dataset to having one, all distinct.
 */
export const DMS_SELECTION_RULE_IDS: Readonly<Record<string, number>> = {
  customer_features: 11,
  customer_tags: 12,
  model_tags: 13,
  tag_metrics_monthly: 21,
  segment_metrics_monthly: 22,
};

/** The `rule-id`s of the transformation rules, which apply to every table. */
export const DMS_TRANSFORMATION_RULE_IDS = { renameSchema: 1, upperCaseTables: 2, upperCaseColumns: 3 } as const;

/** A DMS selection rule. */
export interface DmsSelectionRule {
  readonly 'rule-type': 'selection';
  readonly 'rule-id': string;
  readonly 'rule-name': string;
  readonly 'object-locator': { readonly 'schema-name': string; readonly 'table-name': string };
  readonly 'rule-action': 'include';
  readonly filters: readonly {
    readonly 'filter-type': 'source';
    readonly 'column-name': string;
    readonly 'filter-conditions': readonly { readonly 'filter-operator': 'eq'; readonly value: string }[];
  }[];
}

/** A DMS transformation rule. */
export interface DmsTransformationRule {
  readonly 'rule-type': 'transformation';
  readonly 'rule-id': string;
  readonly 'rule-name': string;
  readonly 'rule-action': 'rename' | 'convert-uppercase';
  readonly 'rule-target': 'schema' | 'table' | 'column';
  readonly 'object-locator': { readonly 'schema-name': string; readonly 'table-name'?: string; readonly 'column-name'?: string };
  readonly value?: string;
}

/** A task's table mappings. */
export interface DmsTableMappings {
  readonly rules: readonly (DmsSelectionRule | DmsTransformationRule)[];
}

/**
 * The table mappings of one business date's load: a selection rule per table, filtered to that date's rows (so
 * nothing else staged can reach the date's partition), then the rules that give the Oracle names: the source schema
 * renamed to the replica's, tables and columns upper-cased (Oracle's folded names, as the DDL creates them).
 */
export function dmsTableMappings(tables: readonly ReplicaTable[], businessDate: string, options: { readonly schema?: string } = {}): DmsTableMappings {
  const date = assertBusinessDate(businessDate);
  const selections: DmsSelectionRule[] = tables.map((table) => {
    const id = DMS_SELECTION_RULE_IDS[table.dataset.name];
    if (id === undefined) throw new Error(`dataset '${table.dataset.name}' has no DMS selection rule id: add one to DMS_SELECTION_RULE_IDS`);
    return {
      'rule-type': 'selection',
      'rule-id': String(id),
      'rule-name': `select-${table.dataset.name}`,
      'object-locator': { 'schema-name': DMS_SOURCE_SCHEMA, 'table-name': table.dataset.name },
      'rule-action': 'include',
      filters: [{ 'filter-type': 'source', 'column-name': table.partitionColumn.toLowerCase(), 'filter-conditions': [{ 'filter-operator': 'eq', value: date }] }],
    };
  });
  const ids = DMS_TRANSFORMATION_RULE_IDS;
  const transformations: DmsTransformationRule[] = [
    { 'rule-type': 'transformation', 'rule-id': String(ids.renameSchema), 'rule-name': 'rename-schema', 'rule-action': 'rename', 'rule-target': 'schema', 'object-locator': { 'schema-name': DMS_SOURCE_SCHEMA }, value: options.schema ?? DEFAULT_ORACLE_SCHEMA },
    { 'rule-type': 'transformation', 'rule-id': String(ids.upperCaseTables), 'rule-name': 'upper-case-tables', 'rule-action': 'convert-uppercase', 'rule-target': 'table', 'object-locator': { 'schema-name': DMS_SOURCE_SCHEMA, 'table-name': '%' } },
    { 'rule-type': 'transformation', 'rule-id': String(ids.upperCaseColumns), 'rule-name': 'upper-case-columns', 'rule-action': 'convert-uppercase', 'rule-target': 'column', 'object-locator': { 'schema-name': DMS_SOURCE_SCHEMA, 'table-name': '%', 'column-name': '%' } },
  ];
  return { rules: [...selections, ...transformations] };
}
