import { describe, expect, it } from 'vitest';
import { buildLineage, classificationTermUrn, datasetUrn, schemaFieldUrn, TOKENISED_TAG, type LineageRun, type MetadataChangeProposal } from '../../src';
import { lineageNames } from '../../src/build-lineage';
import { readDataHubAspectSchemas } from '../helpers/shared-reference';
import { sources, STEPS } from '../helpers/fixtures';

const OPTIONS = { stage: 'dev' } as const;
const NAMES = lineageNames(OPTIONS);
const aspect = (mcps: readonly MetadataChangeProposal[], urn: string, name: string): Record<string, unknown> | undefined =>
  mcps.find((mcp) => mcp.entityUrn === urn && mcp.aspectName === name)?.aspect.json as Record<string, unknown> | undefined;

describe('Function: buildLineage', () => {
  it('declares every dataset of every zone with schema, owner, container and browse path, each aspect once', () => {
    // Act
    const mcps = buildLineage(sources(), OPTIONS);

    // Assess
    const rawProfile = datasetUrn(NAMES, 'raw', 'customer_profile');
    expect(rawProfile).toBe('urn:li:dataset:(urn:li:dataPlatform:glue,cur-dev.cur_dev_raw.customer_profile,PROD)');
    for (const name of ['datasetProperties', 'schemaMetadata', 'subTypes', 'dataPlatformInstance', 'container', 'browsePathsV2', 'ownership', 'status', 'upstreamLineage']) {
      expect(aspect(mcps, rawProfile, name), name).toBeDefined();
    }
    expect(aspect(mcps, rawProfile, 'ownership')).toMatchObject({ owners: [{ owner: 'urn:li:corpGroup:data-engineering', type: 'TECHNICAL_OWNER' }] });
    const versioned = mcps.filter((mcp) => !['dataProcessInstanceRunEvent', 'datasetProfile'].includes(mcp.aspectName)).map((mcp) => `${mcp.entityUrn} ${mcp.aspectName}`);
    expect(new Set(versioned).size).toBe(versioned.length);
    const datasets = new Set(mcps.filter((mcp) => mcp.entityType === 'dataset').map((mcp) => mcp.entityUrn));
    // 4 sources in landing, raw, transformed; rejects; 3 consumption (features, rule and model tags); 2 mart; the serving store.
    expect(datasets.size).toBe(4 * 3 + 1 + 3 + 2 + 1);
  });

  it('gives each column its classification as a glossary term, and tags tokenised columns from the raw zone on', () => {
    // Act
    const mcps = buildLineage(sources(), OPTIONS);

    // Assess
    type Field = { fieldPath: string; glossaryTerms?: { terms: { urn: string }[] }; globalTags?: { tags: { tag: string }[] } };
    const fields = (zone: 'landing' | 'raw') => (aspect(mcps, datasetUrn(NAMES, zone, 'customer_profile'), 'schemaMetadata')?.['fields'] as Field[]);
    const rawCustId = fields('raw').find((field) => field.fieldPath === 'cust_id');
    expect(rawCustId?.glossaryTerms?.terms).toEqual([{ urn: classificationTermUrn('direct') }]);
    expect(rawCustId?.globalTags?.tags.map((tag) => tag.tag)).toContain(TOKENISED_TAG);
    expect(fields('landing').find((field) => field.fieldPath === 'cust_id')?.globalTags?.tags.map((tag) => tag.tag)).not.toContain(TOKENISED_TAG);
    expect(fields('raw').find((field) => field.fieldPath === 'gender')?.glossaryTerms?.terms).toEqual([{ urn: classificationTermUrn('public') }]);
    expect(fields('raw').map((field) => field.fieldPath)).toContain('business_date');
    expect(mcps.filter((mcp) => mcp.entityType === 'glossaryTerm').map((mcp) => mcp.entityUrn)).toEqual(['public', 'quasi', 'direct', 'secret'].map(classificationTermUrn));
  });

  it('draws column lineage through masking: landing cust_id -> raw cust_id, tokenised, on the dataset and on the job', () => {
    // Act
    const mcps = buildLineage(sources(), OPTIONS);

    // Assess
    const landing = datasetUrn(NAMES, 'landing', 'customer_profile');
    const raw = datasetUrn(NAMES, 'raw', 'customer_profile');
    const expected = { upstreams: [schemaFieldUrn(landing, 'cust_id')], downstreams: [schemaFieldUrn(raw, 'cust_id')], transformOperation: 'MASK:ff1' };
    expect((aspect(mcps, raw, 'upstreamLineage')?.['fineGrainedLineages'] as unknown[])).toContainEqual(expect.objectContaining(expected));
    const job = 'urn:li:dataJob:(urn:li:dataFlow:(airflow,cur_pipeline,PROD),mask_customer_profile)';
    expect(aspect(mcps, job, 'dataJobInputOutput')).toMatchObject({ inputDatasets: [landing], outputDatasets: [raw], inputDatajobs: [] });
    expect((aspect(mcps, job, 'dataJobInputOutput')?.['fineGrainedLineages'] as unknown[])).toContainEqual(expect.objectContaining(expected));
  });

  it('joins landing -> raw -> transformed -> consumption -> mart for every source dataset', () => {
    // Act
    const mcps = buildLineage(sources(), OPTIONS);

    // Assess
    const upstreamsOf = (urn: string): string[] => ((aspect(mcps, urn, 'upstreamLineage')?.['upstreams'] as { dataset: string }[] | undefined) ?? []).map((u) => u.dataset);
    const reaches = (from: string, to: string): boolean => to === from || upstreamsOf(to).some((upstream) => reaches(from, upstream));
    for (const dataset of ['customer_profile', 'account_balance', 'card_transaction', 'digital_activity']) {
      expect(reaches(datasetUrn(NAMES, 'landing', dataset), datasetUrn(NAMES, 'mart', 'segment_metrics_monthly')), dataset).toBe(true);
    }
  });

  it('places derived column lineage in the zones the step reads from, and leaves out a dataset the step does not read', () => {
    // Prepare
    const columnDerivations = [
      { step: 'mart', output: 'segment_metrics_monthly', column: 'avg_aum', upstreams: [{ dataset: 'customer_features', column: 'aum_total' }, { dataset: 'account_balance', column: 'balance' }], operation: 'SQL' },
      { step: 'consumption', output: 'customer_tags', column: 'tag', upstreams: [{ dataset: 'customer_features', column: 'aum_total' }], operation: 'TAG:high_value' },
      { step: 'mart', output: 'segment_metrics_monthly', column: 'segment', upstreams: [{ dataset: 'account_balance', column: 'balance' }], operation: 'SQL' },
    ];

    // Act
    const mcps = buildLineage(sources({ columnDerivations }), OPTIONS);

    // Assess
    const hops = (zone: 'mart' | 'consumption', dataset: string) => aspect(mcps, datasetUrn(NAMES, zone, dataset), 'upstreamLineage')?.['fineGrainedLineages'] as { upstreams: string[]; downstreams: string[]; transformOperation: string }[];
    const features = datasetUrn(NAMES, 'consumption', 'customer_features');
    // account_balance is not an input of the mart: that upstream is dropped, and a hop left with none is not drawn.
    expect(hops('mart', 'segment_metrics_monthly')).toEqual([
      { upstreamType: 'FIELD_SET', upstreams: [schemaFieldUrn(features, 'aum_total')], downstreamType: 'FIELD', downstreams: [schemaFieldUrn(datasetUrn(NAMES, 'mart', 'segment_metrics_monthly'), 'avg_aum')], transformOperation: 'SQL', confidenceScore: 1 },
    ]);
    // customer_features is written by the same consumption task that writes the tags: read from consumption.
    expect(hops('consumption', 'customer_tags')).toContainEqual(expect.objectContaining({ upstreams: [schemaFieldUrn(features, 'aum_total')], transformOperation: 'TAG:high_value' }));
  });

  it('refuses a definition whose task writes a dataset the contracts do not declare in that zone', () => {
    // Prepare
    const steps = [...STEPS, { name: 'leak', description: 'x', from: 'raw' as const, to: 'mart' as const, inputs: ['customer_profile'], outputs: ['customer_profile_copy'], runsAs: 'PIPELINE' }];

    // Act & Assess
    expect(() => buildLineage(sources({ steps }), OPTIONS)).toThrow('the contracts do not declare in zone mart');
  });

  it('gives the same file for the same sources', () => {
    expect(JSON.stringify(buildLineage(sources(), OPTIONS))).toBe(JSON.stringify(buildLineage(sources(), OPTIONS)));
  });

  it('uses only fields DataHub declares for each aspect, and every field it requires (../shared reference schemas)', (context) => {
    // Prepare
    const schemas = readDataHubAspectSchemas();
    if (!schemas) return context.skip('../shared/reference/datahub is absent: DataHub aspect schemas not checked');
    const run: LineageRun = { runId: 'r1', startedAt: '2026-11-25T01:00:00.000Z', finishedAt: '2026-11-25T01:05:00.000Z', businessDates: ['2026-11-25'], status: 'succeeded', steps: [] };

    // Act
    const mcps = buildLineage(sources({ runs: [run] }), OPTIONS);

    // Assess
    let checked = 0;
    for (const mcp of mcps) {
      const fields = schemas.get(mcp.aspectName);
      if (!fields) continue;
      checked += 1;
      const names = fields.map((field) => field.name);
      expect(Object.keys(mcp.aspect.json).filter((key) => !names.includes(key)), `${mcp.aspectName} of ${mcp.entityUrn}`).toEqual([]);
      expect(fields.filter((field) => !field.hasDefault && !(field.name in mcp.aspect.json)).map((field) => field.name), `${mcp.aspectName} of ${mcp.entityUrn}`).toEqual([]);
    }
    expect(checked).toBeGreaterThan(100);
  });
});

describe('Function: buildLineage, runs', () => {
  const runLog = {
    runId: 'run-1',
    startedAt: '2026-11-25T01:00:00.000Z',
    finishedAt: '2026-11-25T01:05:00.000Z',
    businessDates: ['2026-11-25'],
    status: 'failed',
    steps: [
      { step: 'mask', target: 'customer_profile/2026-11-25', status: 'succeeded', attempts: 1, startedAt: '2026-11-25T01:00:01.000Z', durationMs: 900, rowCount: 10 },
      // A run log's error text is never read: a message is the one place a value could have slipped in.
      { step: 'transform', target: 'customer_profile/2026-11-25', status: 'failed', attempts: 1, startedAt: '2026-11-25T01:00:02.000Z', durationMs: 50, errorCode: 'CONTENT_MISMATCH', error: 'A123456789 broke it' },
      { step: 'consumption', target: '2026-11-25', status: 'skipped', attempts: 0, durationMs: 0, error: 'a transform step failed' },
    ],
  } as const;
  const run: LineageRun = runLog;
  const manifests = [{ dataset: 'customer_profile', zone: 'raw', businessDate: '2026-11-25', step: 'mask', runId: 'run-1', rowCount: 10, startedAt: '2026-11-25T01:00:01.000Z' }];

  it('makes one process instance per run with its result, and one per step run under it', () => {
    // Act
    const mcps = buildLineage(sources({ runs: [run], manifests }), OPTIONS);

    // Assess
    const instances = mcps.filter((mcp) => mcp.aspectName === 'dataProcessInstanceRelationships').map((mcp) => mcp.aspect.json);
    expect(instances).toHaveLength(4);
    expect(instances[0]).toEqual({ parentTemplate: 'urn:li:dataFlow:(airflow,cur_pipeline,PROD)', upstreamInstances: [] });
    const results = mcps.filter((mcp) => mcp.aspectName === 'dataProcessInstanceRunEvent' && mcp.aspect.json['status'] === 'COMPLETE').map((mcp) => mcp.aspect.json['result']);
    expect(results).toEqual([{ type: 'FAILURE', nativeResultType: 'failed' }, { type: 'SUCCESS', nativeResultType: 'succeeded' }, { type: 'FAILURE', nativeResultType: 'failed' }]);
    expect(mcps.find((mcp) => mcp.aspectName === 'dataProcessInstanceOutput')?.aspect.json).toEqual({ outputs: [datasetUrn(NAMES, 'raw', 'customer_profile')] });
    expect(mcps.find((mcp) => mcp.aspectName === 'datasetProfile')?.aspect.json).toMatchObject({ rowCount: 10, partitionSpec: { partition: 'business_date=2026-11-25', type: 'PARTITION' } });
  });

  it('never copies a run log\'s error text', () => {
    // Act
    const text = JSON.stringify(buildLineage(sources({ runs: [run], manifests }), OPTIONS));

    // Assess
    expect(text).toContain('CONTENT_MISMATCH');
    expect(text).not.toContain('A123456789');
    expect(text).not.toContain('a transform step failed');
  });
});
