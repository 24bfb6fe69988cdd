import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_DATASETS } from '@cur/contracts';
import { DuckDbSqlParser } from '@cur/adapters-local';
import { buildLineage, datasetUrn, deriveSqlColumnLineage, LineageDefinitionSchema, LineageDerivationError, schemaFieldUrn, TOKENISED_TAG, type ColumnDerivation, type MetadataChangeProposal } from '@cur/lineage';
import { PIPELINE_STEPS, renderCustomerFeaturesPlan, TAG_DEFINITIONS } from '@cur/pipeline';
import { createMaskingPolicy } from '@cur/policy';
import { LINEAGE_DEFINITION_FILE, lineageDefinition } from '../../src/commands/lineage-command';
import { pipelineColumnDerivations } from '../../src/lineage/pipeline-column-derivations';

const policy = createMaskingPolicy();
const NAMES = { stage: 'dev', platform: 'glue', servingPlatform: 'dynamodb', platformInstance: 'cur-dev', env: 'PROD', orchestrator: 'airflow', flowId: 'cur_pipeline' };
let parser: DuckDbSqlParser;

beforeAll(async () => {
  parser = await DuckDbSqlParser.open();
});
afterAll(() => parser.close());

type FineGrained = { upstreams: string[]; downstreams: string[]; transformOperation: string };

const lineageWith = (derivations: readonly ColumnDerivation[]): MetadataChangeProposal[] =>
  buildLineage({ steps: PIPELINE_STEPS, datasets: Object.values(ALL_DATASETS), storageTreatmentFor: (d, c) => policy.storageTreatmentFor(d, c), columnDerivations: derivations }, { stage: 'dev' });

/** Every fine-grained lineage on the datasets' upstreamLineage aspects. */
const fineGrained = (mcps: readonly MetadataChangeProposal[]): FineGrained[] =>
  mcps.filter((mcp) => mcp.aspectName === 'upstreamLineage').flatMap((mcp) => (mcp.aspect.json['fineGrainedLineages'] as FineGrained[] | undefined) ?? []);

/** Whether `from` reaches `to` by following fine-grained lineage downstream. */
function reaches(edges: readonly FineGrained[], from: string, to: string, seen = new Set<string>()): boolean {
  if (from === to) return true;
  if (seen.has(from)) return false;
  seen.add(from);
  return edges.filter((edge) => edge.upstreams.includes(from)).some((edge) => edge.downstreams.some((next) => reaches(edges, next, to, seen)));
}

const field = (zone: Parameters<typeof datasetUrn>[1], dataset: string, column: string): string => schemaFieldUrn(datasetUrn(NAMES, zone, dataset), column);

describe('pipelineColumnDerivations', () => {
  it('lets a DM follow a landing balance column to the consumption feature and the mart metric', async () => {
    // Act
    const edges = fineGrained(lineageWith(await pipelineColumnDerivations(parser, { policy })));

    // Assess
    const balance = field('landing', 'account_balance', 'balance');
    expect(reaches(edges, balance, field('transformed', 'account_balance', 'balance'))).toBe(true);
    expect(reaches(edges, balance, field('consumption', 'customer_features', 'aum_total'))).toBe(true);
    expect(reaches(edges, balance, field('mart', 'tag_metrics_monthly', 'avg_aum'))).toBe(true);
    expect(reaches(edges, balance, field('mart', 'segment_metrics_monthly', 'segment'))).toBe(true);
    expect(reaches(edges, field('landing', 'card_transaction', 'amount'), field('mart', 'tag_metrics_monthly', 'avg_card_spend_1m'))).toBe(true);
    // Lineage is what the value is computed from: a balance does not flow into card spend.
    expect(reaches(edges, balance, field('consumption', 'customer_features', 'card_spend_1m'))).toBe(false);
    // The tag column, from the predicates of the tag definitions, one edge per tag.
    const tagEdges = edges.filter((edge) => edge.downstreams.includes(field('consumption', 'customer_tags', 'tag')));
    expect(tagEdges.map((edge) => edge.transformOperation).sort()).toEqual(TAG_DEFINITIONS.map((tag) => `TAG:${tag.name}`).sort());
    expect(tagEdges.find((edge) => edge.transformOperation === 'TAG:credit_watch')?.upstreams.sort()).toEqual([field('consumption', 'customer_features', 'loan_balance'), field('consumption', 'customer_features', 'risk_level')]);
  });

  it('keeps masked columns token to token: a tokenised column flows only, unchanged, into tokenised columns', async () => {
    // Act
    const mcps = lineageWith(await pipelineColumnDerivations(parser, { policy }));

    // Assess
    const tokenised = new Set<string>();
    for (const mcp of mcps.filter((m) => m.aspectName === 'schemaMetadata')) {
      for (const f of mcp.aspect.json['fields'] as { fieldPath: string; globalTags?: { tags: { tag: string }[] } }[]) {
        if (f.globalTags?.tags.some((tag) => tag.tag === TOKENISED_TAG)) tokenised.add(schemaFieldUrn(mcp.entityUrn, f.fieldPath));
      }
    }
    const edges = fineGrained(mcps);
    const fromTokens = edges.filter((edge) => edge.upstreams.some((upstream) => tokenised.has(upstream)));
    expect(fromTokens.map((edge) => edge.downstreams[0])).toContain(field('consumption', 'customer_tags', 'cust_id'));
    for (const edge of fromTokens) {
      expect(edge.transformOperation, edge.downstreams[0]).toMatch(/^(COPY|TRANSFORM)$/);
      expect(edge.upstreams, edge.downstreams[0]).toHaveLength(1);
      expect(edge.downstreams.every((downstream) => tokenised.has(downstream)), edge.downstreams[0]).toBe(true);
    }
    for (const edge of edges.filter((e) => e.downstreams.some((downstream) => tokenised.has(downstream)))) {
      // A token is made only by the mask step from its landing column, or copied from a token.
      expect(edge.upstreams.every((upstream) => tokenised.has(upstream) || upstream.includes('_landing.')), edge.downstreams[0]).toBe(true);
    }
  });

  it('follows a change to a feature definition or a tag definition', async () => {
    // Prepare: loan_balance computed from card spend instead of the balances; one more tag
    const changedFeatures: typeof renderCustomerFeaturesPlan = (options) => {
      const plan = renderCustomerFeaturesPlan(options);
      const output = plan.outputs[0];
      if (!output) throw new Error('customer_features has no output');
      const sql = output.sql.replace('CAST(COALESCE(b.loan_balance, 0) AS DECIMAL(18,2)) AS loan_balance', 'CAST(COALESCE(c.card_spend_6m, 0) AS DECIMAL(18,2)) AS loan_balance');
      expect(sql).not.toBe(output.sql);
      return { ...plan, outputs: [{ ...output, sql }] };
    };
    const tags = [...TAG_DEFINITIONS, { name: 'tokenless_probe', description: 'x', owner: 'x', predicate: 'card_spend_3m > 0 AND gender = \'F\'' }];

    // Act
    const before = await pipelineColumnDerivations(parser, { policy });
    const after = await pipelineColumnDerivations(parser, { policy, renderFeaturesPlan: changedFeatures, tags });

    // Assess
    const loan = (derivations: readonly ColumnDerivation[]) => derivations.find((d) => d.output === 'customer_features' && d.column === 'loan_balance')?.upstreams;
    expect(loan(before)).toEqual([{ dataset: 'account_balance', column: 'balance' }, { dataset: 'account_balance', column: 'product_type' }]);
    expect(loan(after)).toEqual([{ dataset: 'card_transaction', column: 'amount' }]);
    expect(after.find((d) => d.operation === 'TAG:tokenless_probe')?.upstreams).toEqual([{ dataset: 'customer_features', column: 'card_spend_3m' }, { dataset: 'customer_features', column: 'gender' }]);
    expect(before.some((d) => d.operation === 'TAG:tokenless_probe')).toBe(false);
  });
});

describe('lineageDefinition', () => {
  it('is what the lineage-emitter Lambda has committed (regenerate: npx cur lineage definition --out ' + LINEAGE_DEFINITION_FILE + ')', async () => {
    // Prepare
    const committed = JSON.parse(await readFile(new URL(`../../../../${LINEAGE_DEFINITION_FILE}`, import.meta.url), 'utf8')) as unknown;

    // Act
    const definition = await lineageDefinition();

    // Assess
    expect(LineageDefinitionSchema.parse(definition)).toEqual(definition);
    expect(committed).toEqual(definition);
  });
});

describe('deriveSqlColumnLineage', () => {
  const relations = [{ name: 't', dataset: 'account_balance', columns: ['cust_id', 'balance', 'currency'] }];

  it('follows CTEs, subqueries, joins, unions, stars and VALUES', async () => {
    // Prepare
    const tree = await parser.parse(`WITH fx AS (SELECT * FROM (VALUES ('TWD', 1)) AS r(currency, rate)),
      b AS (SELECT t.cust_id AS id, t.balance * fx.rate AS twd FROM t JOIN fx ON fx.currency = t.currency)
      SELECT * FROM (SELECT id, SUM(twd) AS total FROM b GROUP BY id) s UNION ALL SELECT cust_id, 0 FROM t`);

    // Act
    const derived = deriveSqlColumnLineage({ relations, views: [], outputs: [{ name: 'out', tree }] });

    // Assess
    expect(derived).toEqual([
      { output: 'out', column: 'id', upstreams: [{ dataset: 'account_balance', column: 'cust_id' }], copy: true },
      { output: 'out', column: 'total', upstreams: [{ dataset: 'account_balance', column: 'balance' }], copy: false },
    ]);
  });

  it('refuses SQL that reads what the plan does not have, rather than guessing', async () => {
    // Prepare
    const unknownColumn = await parser.parse('SELECT nothing_here FROM t');
    const unknownRelation = await parser.parse('SELECT balance FROM elsewhere');

    // Act & Assess
    expect(() => deriveSqlColumnLineage({ relations, views: [], outputs: [{ name: 'out', tree: unknownColumn }] })).toThrow(LineageDerivationError);
    expect(() => deriveSqlColumnLineage({ relations, views: [], outputs: [{ name: 'out', tree: unknownRelation }] })).toThrow(/'elsewhere', which is neither an input/);
  });
});
