import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATASET_NAMES, getDataset } from '@cur/contracts';
import { createMaskingPolicy } from '@cur/policy';
import { describe, expect, it } from 'vitest';
import { FEATURE_SOURCES, renderCustomerFeaturesPlan } from '../../../src/plan/consumption-plans';
import { fillGluePlanTemplate, gluePlanTemplateFiles, renderGluePlanTemplates, type GlueBucket, type GluePlanTemplate } from '../../../src/plan/glue-plan-templates';
import { renderMartPlan } from '../../../src/plan/mart-plans';
import { StepPlanSchema } from '../../../src/plan/step-plan';
import { renderTransformPlan } from '../../../src/plan/transform-plan';
import { SPARK_DIALECT } from '../../../src/sql/sql-dialect';
import { schemaSha256 } from '../../../src/lake/lake-writer';
import { TAG_DEFINITIONS } from '../../../src/tags/tag-definitions';

const COMMITTED = fileURLToPath(new URL('../../../../spark-runner/glue-plans/', import.meta.url));
const BUCKETS: Record<GlueBucket, string> = { raw: 's3://cur-dev-raw', transformed: 's3://cur-dev-transformed', consumption: 's3://cur-dev-consumption', mart: 's3://cur-dev-mart/' };
let DATE = '2026-11-25';
const policy = createMaskingPolicy();
const rendered = renderGluePlanTemplates({ policy, tags: TAG_DEFINITIONS });
const template = (step: string, dataset: string): GluePlanTemplate => {
  const found = rendered.templates.find((t) => t.step === step && t.dataset === dataset);
  if (!found) throw new Error(`no template ${step}/${dataset}`);
  return found;
};
const filesOf = (t: GluePlanTemplate): Record<string, string[]> => Object.fromEntries(t.sources.map((s) => [s.name, [`${BUCKETS[s.bucket]}/${s.dataset}/business_date=${DATE}/part-0.parquet`]]));

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
}

describe('renderGluePlanTemplates', () => {
  it('renders one template per transform source, consumption output and mart dataset, in run order', () => {
    // Assess
    expect(rendered.index).toEqual({ transform: DATASET_NAMES, consumption: ['customer_features', 'customer_tags'], mart: ['tag_metrics_monthly', 'segment_metrics_monthly'] });
    expect(rendered.templates).toHaveLength(DATASET_NAMES.length + 4);
  });

  it('is what libs/spark-runner/glue-plans holds (run `nx run pipeline:glue-plans` after a change)', async () => {
    // Prepare
    const expected = gluePlanTemplateFiles(rendered);

    // Act
    const committed = await listFiles(COMMITTED);

    // Assess
    expect(committed).toEqual(Object.keys(expected).sort());
    for (const path of committed) expect(await readFile(join(COMMITTED, path), 'utf8'), path).toBe(expected[path]);
  });

  it('fills into a valid plan for every template, with no parameter left', () => {
    for (const t of rendered.templates) {
      // Act
      const plan = StepPlanSchema.parse(fillGluePlanTemplate(t, DATE, BUCKETS, filesOf(t)));

      // Assess
      expect(JSON.stringify(plan), `${t.step}/${t.dataset}`).not.toMatch(/\$\{/);
      expect(plan.businessDate).toBe(DATE);
      for (const output of plan.outputs) expect(output.path).toMatch(new RegExp(`^s3://cur-dev-[a-z]+/[a-z_]+/(source_dataset=[a-z_]+/)?business_date=${DATE}$`));
    }
  });

  it.each(['2026-11-25', '2027-01-01', '2028-02-29'])('becomes exactly the plan the local steps render for %s with the same files: transform, features and the mart', (date) => {
    DATE = date;
    // Prepare
    const transform = template('transform', 'card_transaction');
    const features = template('consumption', 'customer_features');
    const mart = template('mart', 'tag_metrics_monthly');
    const featureFiles = filesOf(features);

    // Act / Assess
    expect(fillGluePlanTemplate(transform, DATE, BUCKETS, filesOf(transform))).toEqual(
      renderTransformPlan({
        dataset: getDataset('card_transaction'),
        businessDate: DATE,
        raw: filesOf(transform)['raw_card_transaction'] ?? [],
        policy,
        dialect: SPARK_DIALECT,
        acceptedPath: `s3://cur-dev-transformed/card_transaction/business_date=${DATE}`,
        rejectsPath: `s3://cur-dev-transformed/transform_rejects/source_dataset=card_transaction/business_date=${DATE}`,
      }),
    );
    const storedAsText = Object.fromEntries(FEATURE_SOURCES.map((n) => [n, new Set(getDataset(n).columns.filter((c) => policy.storageTreatmentFor(n, c.name).method !== 'plaintext').map((c) => c.name))]));
    expect(fillGluePlanTemplate(features, DATE, BUCKETS, featureFiles)).toEqual(
      renderCustomerFeaturesPlan({
        businessDate: DATE,
        sources: Object.fromEntries(FEATURE_SOURCES.map((n) => [n, featureFiles[`t_${n}`] ?? []])) as Record<(typeof FEATURE_SOURCES)[number], string[]>,
        storedAsText: storedAsText as unknown as Record<(typeof FEATURE_SOURCES)[number], ReadonlySet<string>>,
        outputPath: `s3://cur-dev-consumption/customer_features/business_date=${DATE}`,
        dialect: SPARK_DIALECT,
      }),
    );
    // A first month: no previous metrics, so the same empty view as the local step renders.
    const { m_tag_previous: _previous, ...current } = filesOf(mart);
    expect(fillGluePlanTemplate(mart, DATE, BUCKETS, current)).toEqual(
      renderMartPlan({ dataset: 'tag_metrics_monthly', businessDate: DATE, features: current['f_customer_features'] ?? [], tags: current['f_customer_tags'] ?? [], modelTags: current['f_model_tags'] ?? [], previous: [], outputPath: `s3://cur-dev-mart/tag_metrics_monthly/business_date=${DATE}`, dialect: SPARK_DIALECT }),
    );
  });

  it('refuses to fill a template whose required source has no partition', () => {
    // Prepare
    const features = template('consumption', 'customer_features');
    const { t_customer_profile: _profile, ...rest } = filesOf(features);

    // Act / Assess
    expect(() => fillGluePlanTemplate(features, DATE, BUCKETS, rest)).toThrow(/required source t_customer_profile has no partition/);
  });

  it('registers every output as its catalog table’s partition, the rejects under their source dataset', () => {
    // Assess
    expect(rendered.templates.map((t) => [t.dataset, t.partitions.map((p) => `${p.zone}.${p.table}`)])).toEqual([
      ...DATASET_NAMES.map((name) => [name, [`transformed.${name}`, 'transformed.transform_rejects']]),
      ['customer_features', ['consumption.customer_features']],
      ['customer_tags', ['consumption.customer_tags']],
      ['tag_metrics_monthly', ['mart.tag_metrics_monthly']],
      ['segment_metrics_monthly', ['mart.segment_metrics_monthly']],
    ]);
  });

  it('keys the rejects’ partition by source dataset, as the catalog’s partition keys say', () => {
    for (const name of DATASET_NAMES) {
      // Act
      const rejects = template('transform', name).partitions.find((p) => p.table === 'transform_rejects');

      // Assess
      expect(rejects?.keys).toEqual({ source_dataset: name });
      expect(Object.keys(rejects?.keys ?? {}).concat('business_date')).toEqual(getDataset('transform_rejects').partitionColumns.map((c) => c.name));
    }
    expect(template('consumption', 'customer_tags').partitions.map((p) => p.keys)).toEqual([{}]);
  });

  it('declares each output’s manifest as the local step publishes it: dataset, schema hash of the contract, inputs', () => {
    // Assess: one manifest per output; a transform's rejects first, under the local step's dataset name
    expect(template('transform', 'customer_profile').manifests.map((m) => [m.output, m.dataset, m.zone, m.schemaSha256])).toEqual([
      ['transform_rejects', 'transform_rejects/customer_profile', 'transformed', schemaSha256(getDataset('transform_rejects').columns)],
      ['customer_profile', 'customer_profile', 'transformed', schemaSha256(getDataset('customer_profile').columns)],
    ]);
    expect(template('transform', 'customer_profile').accounting).toEqual({ raw: 'customer_profile', checked: 'checked_customer_profile', accepted: 'customer_profile', rejects: 'transform_rejects' });
    // customer_tags lists the features' inputs, as the local consumption step does; the mart reads model tags of the same run only
    const featureInputs = template('consumption', 'customer_features').manifests[0]?.inputs;
    expect(featureInputs?.map((i) => `${i.zone}/${i.dataset}`)).toEqual(FEATURE_SOURCES.map((name) => `transformed/${name}`));
    expect(template('consumption', 'customer_tags').manifests[0]?.inputs).toEqual(featureInputs);
    expect(template('mart', 'tag_metrics_monthly').manifests[0]?.inputs.map((i) => [i.dataset, i.sameRunAs])).toEqual([
      ['customer_features', null],
      ['customer_tags', null],
      ['model_tags', 'customer_features'],
    ]);
    expect(template('mart', 'segment_metrics_monthly').manifests[0]?.inputs.map((i) => i.dataset)).toEqual(['customer_features', 'customer_tags']);
    for (const t of rendered.templates.filter((t) => t.step !== 'transform')) expect(t.accounting, t.dataset).toBeNull();
  });

  it('reads the features’ look-back windows and the mart’s previous month as windows, not as dates', () => {
    // Assess
    const windows = Object.fromEntries(template('consumption', 'customer_features').sources.map((s) => [s.name, s.window]));
    expect(windows).toEqual({ t_customer_profile: { kind: 'date' }, t_account_balance: { kind: 'date' }, t_card_transaction: { kind: 'days', days: 183 }, t_digital_activity: { kind: 'days', days: 30 } });
    expect(template('mart', 'segment_metrics_monthly').sources.map((s) => s.window.kind)).toEqual(['date', 'previous-month-latest']);
  });
});
