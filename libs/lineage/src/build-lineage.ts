import { CLASSIFICATIONS, type ColumnSpec, type DatasetSpec, type Zone } from '@cur/contracts';
import type { Treatment } from '@cur/policy';
import { CLASSIFICATION_GLOSSARY_NODE, LINEAGE_DEFAULTS, SENSITIVE_TAG, SERVING_STORE_DATASET, TOKENISED_TAG } from './constants';
import { dqAssertionMcps } from './dq-assertions';
import { runMcps } from './run-instances';
import { pipelineTasks } from './task-graph';
import type { ColumnDerivation } from './types/column-derivation';
import type { LineageDqEvaluation, LineageManifest, LineageRun } from './types/lineage-run';
import type { LineageStep, PipelineTask, ZoneDataset } from './types/lineage-step';
import type { JsonValue, MetadataChangeProposal } from './types/metadata-change-proposal';
import {
  dataFlowUrn,
  dataJobUrn,
  datasetUrn,
  glueDatabaseName,
  platformInstanceUrn,
  platformUrn,
  schemaFieldUrn,
  zoneContainerUrn,
  type LineageNames,
} from './urns';

/** What the lineage is built from: the pipeline definition, the contracts, the masking policy, and what ran. */
export interface LineageSources {
  /** The pipeline definition (`PIPELINE_STEPS`). */
  readonly steps: readonly LineageStep[];
  /** Every declared dataset (`Object.values(ALL_DATASETS)`). */
  readonly datasets: readonly DatasetSpec[];
  /** How the mask step stores each column (`MaskingPolicy.storageTreatmentFor`): the masking hop's column lineage. */
  readonly storageTreatmentFor: (dataset: string, column: string) => Treatment;
  /**
   * Column lineage of the steps that compute new columns (consumption, mart), derived from their plans and the tag
   * definitions (`pipelineColumnDerivations` in tools/cli). Mask and transform need none: their columns keep their names.
   * @default none
   */
  readonly columnDerivations?: readonly ColumnDerivation[];
  /** Run logs, one data process instance each. @default none */
  readonly runs?: readonly LineageRun[];
  /** Published manifests: row counts per partition, and which run wrote it. @default none */
  readonly manifests?: readonly LineageManifest[];
  /** The DQ gates' evaluations, as assertions with their outcomes. @default none */
  readonly dqResults?: readonly LineageDqEvaluation[];
}

/** Options of {@link buildLineage}. */
export interface LineageOptions {
  /** The stage (`CUR_STAGE`), which names the Glue databases `cur_<stage>_<zone>`. */
  readonly stage: string;
  /** @default 'PROD' */
  readonly env?: string;
  /** @default `cur-<stage>` */
  readonly platformInstance?: string;
  /** The DAG's id. @default 'cur_pipeline' */
  readonly flowId?: string;
  /** Time of the audit stamps, ms since the epoch; fixed by default so the same sources give the same file. @default 0 */
  readonly auditTimeMs?: number;
}

type Json = { readonly [key: string]: JsonValue };

/**
 * Builds DataHub's metadata change proposals for the platform: the classification glossary, a container per zone,
 * every dataset of every zone with its schema (each column's classification as a glossary term, sensitive and
 * tokenised columns tagged), owner and browse path, the pipeline as a data flow with one data job per task, dataset-
 * and column-level lineage (landing -> raw through masking, raw -> transformed per column), and one data process
 * instance per run and per step run, and the DQ gates' results as assertions with their outcomes. Only names, types,
 * descriptions, counts and statuses are read: never a value,
 * never a key.
 *
 * @param sources - the definition, contracts, policy, run logs and manifests
 * @param options - names (stage, environment, platform instance)
 * @returns the proposals, entities in a stable order
 * @throws Error when a task reads or writes a dataset the contracts do not declare in that zone
 * @example
 * const mcps = buildLineage({ steps: PIPELINE_STEPS, datasets: Object.values(ALL_DATASETS), storageTreatmentFor: policy.storageTreatmentFor }, { stage: 'dev' });
 * writeFileSync('lineage.json', JSON.stringify(mcps, null, 2));
 */
export function buildLineage(sources: LineageSources, options: LineageOptions): MetadataChangeProposal[] {
  const names = lineageNames(options);
  const audit = { time: options.auditTimeMs ?? 0, actor: LINEAGE_DEFAULTS.actor };
  const tasks = pipelineTasks(sources.steps);
  const byName = new Map(sources.datasets.map((dataset) => [dataset.name, dataset]));
  const declared = (ref: ZoneDataset): DatasetSpec | undefined => {
    if (ref.zone === 'serving-store') return undefined;
    const dataset = byName.get(ref.dataset);
    if (!dataset?.zones.includes(ref.zone)) throw new Error(`pipeline task reads or writes ${ref.zone}.${ref.dataset}, which the contracts do not declare in zone ${ref.zone}`);
    return dataset;
  };
  for (const task of tasks) for (const ref of [...task.inputs, ...task.outputs]) declared(ref);

  const mcps: MetadataChangeProposal[] = [];
  const emit = (entityType: MetadataChangeProposal['entityType'], entityUrn: string, aspectName: string, json: Json): void => {
    mcps.push({ entityType, entityUrn, changeType: 'UPSERT', aspectName, aspect: { json } });
  };

  // Tags and the classification glossary.
  emit('tag', SENSITIVE_TAG, 'tagProperties', { name: 'cur.sensitive', description: 'Classified quasi, direct or secret in the contracts: never shown to a human role in plaintext' });
  emit('tag', TOKENISED_TAG, 'tagProperties', { name: 'cur.tokenised', description: 'Stored as a deterministic token (format-preserving or deterministic encryption, or a keyed hash), not the source value' });
  for (const classification of CLASSIFICATIONS) {
    emit('glossaryTerm', classificationTermUrn(classification), 'glossaryTermInfo', { name: classification, definition: CLASSIFICATION_DEFINITIONS[classification], termSource: 'INTERNAL', customProperties: { glossaryNode: CLASSIFICATION_GLOSSARY_NODE } });
  }

  // A container per zone, the Glue database.
  const instanceUrn = platformInstanceUrn(names.platform, names.platformInstance);
  const zones = [...new Set(sources.datasets.flatMap((dataset) => dataset.zones))];
  for (const zone of zones) {
    const urn = zoneContainerUrn(names, zone);
    emit('container', urn, 'containerProperties', { name: glueDatabaseName(names.stage, zone), description: ZONE_TEXT[zone], customProperties: { zone, platform: names.platform, instance: names.platformInstance, env: names.env } });
    emit('container', urn, 'subTypes', { typeNames: ['Database'] });
    emit('container', urn, 'dataPlatformInstance', { platform: platformUrn(names.platform), instance: instanceUrn });
    emit('container', urn, 'browsePathsV2', { path: [{ id: instanceUrn, urn: instanceUrn }] });
    emit('container', urn, 'status', { removed: false });
  }

  // Datasets: one per zone each is declared in.
  const writersOf = (zone: Zone, dataset: string): PipelineTask[] => tasks.filter((task) => task.outputs.some((o) => o.zone === zone && o.dataset === dataset));
  for (const dataset of sources.datasets) {
    for (const zone of dataset.zones) {
      const urn = datasetUrn(names, zone, dataset.name);
      const container = zoneContainerUrn(names, zone);
      emit('dataset', urn, 'datasetProperties', {
        name: dataset.name,
        qualifiedName: `${glueDatabaseName(names.stage, zone)}.${dataset.name}`,
        description: dataset.description,
        customProperties: { zone, schemaVersion: String(dataset.schemaVersion), primaryKey: dataset.primaryKey.join(','), ...(dataset.quasiIdentifiers.length > 0 ? { quasiIdentifiers: dataset.quasiIdentifiers.join(',') } : {}) },
        tags: [],
      });
      emit('dataset', urn, 'schemaMetadata', schemaMetadata(names, dataset, zone, audit, sources.storageTreatmentFor));
      emit('dataset', urn, 'subTypes', { typeNames: ['Table'] });
      emit('dataset', urn, 'dataPlatformInstance', { platform: platformUrn(names.platform), instance: instanceUrn });
      emit('dataset', urn, 'container', { container });
      emit('dataset', urn, 'browsePathsV2', { path: [{ id: instanceUrn, urn: instanceUrn }, { id: container, urn: container }] });
      emit('dataset', urn, 'ownership', ownership(dataset.owner, audit));
      emit('dataset', urn, 'status', { removed: false });
      const writers = writersOf(zone, dataset.name);
      if (writers.length > 0) emit('dataset', urn, 'upstreamLineage', upstreamLineage(names, writers, zone, dataset, byName, audit, sources));
    }
  }
  const servingWriters = tasks.filter((task) => task.outputs.some((output) => output.zone === 'serving-store'));
  if (servingWriters.length > 0) {
    const urn = datasetUrn(names, 'serving-store', SERVING_STORE_DATASET);
    emit('dataset', urn, 'datasetProperties', { name: `cur-${names.stage}-${SERVING_STORE_DATASET}`, description: 'The serving store the retrieval API reads: tags, features and segment metrics, switched atomically per load', customProperties: { zone: 'serving-store' }, tags: [] });
    emit('dataset', urn, 'subTypes', { typeNames: ['Table'] });
    emit('dataset', urn, 'dataPlatformInstance', { platform: platformUrn(names.servingPlatform), instance: platformInstanceUrn(names.servingPlatform, names.platformInstance) });
    emit('dataset', urn, 'upstreamLineage', { upstreams: servingWriters.flatMap((task) => task.inputs).map((input) => ({ dataset: datasetUrn(names, input.zone, input.dataset), type: 'TRANSFORMED', auditStamp: audit })) });
    emit('dataset', urn, 'ownership', ownership(LINEAGE_DEFAULTS.flowOwner, audit));
    emit('dataset', urn, 'status', { removed: false });
  }

  // The pipeline: a data flow (the DAG), a data job per task.
  const flow = dataFlowUrn(names);
  emit('dataFlow', flow, 'dataFlowInfo', { name: names.flowId, description: 'CUR Customer Tagging 2.0: mask -> transform -> consumption -> mart -> serving, one run per business date', customProperties: { tasks: String(tasks.length), env: names.env } });
  emit('dataFlow', flow, 'ownership', ownership(LINEAGE_DEFAULTS.flowOwner, audit));
  emit('dataFlow', flow, 'status', { removed: false });
  for (const task of tasks) {
    const job = dataJobUrn(names, task.id);
    emit('dataJob', job, 'dataJobInfo', {
      name: task.id,
      description: task.description,
      // A task applying a model is a SageMaker Processing job in the DAG; the model is the promoted version at run time.
      type: { string: task.model === undefined ? 'GLUE' : 'SAGEMAKER_PROCESSING' },
      flowUrn: flow,
      customProperties: { step: task.step, runsAs: task.runsAs, ...(task.dataset === undefined ? {} : { dataset: task.dataset }), ...(task.model === undefined ? {} : { model: task.model }), upstreamTasks: task.upstreamTaskIds.join(',') },
    });
    emit('dataJob', job, 'dataJobInputOutput', {
      inputDatasets: task.inputs.map((ref) => datasetUrn(names, ref.zone, ref.dataset)),
      outputDatasets: task.outputs.map((ref) => datasetUrn(names, ref.zone, ref.dataset)),
      inputDatajobs: task.upstreamTaskIds.map((id) => dataJobUrn(names, id)),
      fineGrainedLineages: task.outputs.flatMap((output) => columnLineage(names, task, output, byName, sources)),
    });
    emit('dataJob', job, 'ownership', ownership(LINEAGE_DEFAULTS.flowOwner, audit));
    emit('dataJob', job, 'status', { removed: false });
  }

  mcps.push(...runMcps(names, tasks, sources.runs ?? [], sources.manifests ?? []));
  mcps.push(...dqAssertionMcps(names, sources.dqResults ?? []));
  return mcps;
}

/** The names of {@link buildLineage}'s entities, defaults applied. @internal */
export function lineageNames(options: LineageOptions): LineageNames {
  return {
    stage: options.stage,
    platform: LINEAGE_DEFAULTS.platform,
    servingPlatform: LINEAGE_DEFAULTS.servingPlatform,
    platformInstance: options.platformInstance ?? `cur-${options.stage}`,
    env: options.env ?? LINEAGE_DEFAULTS.env,
    orchestrator: LINEAGE_DEFAULTS.orchestrator,
    flowId: options.flowId ?? LINEAGE_DEFAULTS.flowId,
  };
}

/** The glossary term of a classification: `urn:li:glossaryTerm:cur.classification.direct`. */
export function classificationTermUrn(classification: string): string {
  return `urn:li:glossaryTerm:${CLASSIFICATION_GLOSSARY_NODE}.${classification}`;
}

const CLASSIFICATION_DEFINITIONS: Readonly<Record<(typeof CLASSIFICATIONS)[number], string>> = {
  public: 'Not personal on its own: shown to every role as stored',
  quasi: 'Could single a customer out in combination: generalised for human roles, counted in the k-anonymity check',
  direct: 'Identifies a customer: stored as a deterministic token from the raw zone on; only SYSTEM can detokenize, audited',
  secret: 'Never shown to a human role: stored encrypted, dropped from every human view',
};

const ZONE_TEXT: Readonly<Record<Zone, string>> = {
  landing: 'Transient drop zone for on-premises extracts; SYSTEM only, deleted once masked',
  raw: 'Masked, immutable copies of each batch as Parquet, partitioned by business date',
  transformed: 'Typed, cleaned and conformed data, de-duplicated; rejected rows with coded reasons',
  consumption: 'Customer features, tags and segments (the DRV tables)',
  mart: 'Aggregated metrics for analysts and applications',
};

const TOKEN_METHODS: ReadonlySet<string> = new Set(['ff1', 'daead', 'hmac', 'plugin']);

function ownership(owner: string, audit: Json): Json {
  return { owners: [{ owner: `urn:li:corpGroup:${owner}`, type: 'TECHNICAL_OWNER' }], lastModified: audit };
}

function fieldType(type: string, zone: Zone): Json {
  if (zone === 'landing' || type === 'string') return { 'com.linkedin.schema.StringType': {} };
  if (type === 'boolean') return { 'com.linkedin.schema.BooleanType': {} };
  if (type === 'date') return { 'com.linkedin.schema.DateType': {} };
  if (type === 'timestamp') return { 'com.linkedin.schema.TimeType': {} };
  return { 'com.linkedin.schema.NumberType': {} };
}

function schemaMetadata(names: LineageNames, dataset: DatasetSpec, zone: Zone, audit: Json, storageTreatmentFor: LineageSources['storageTreatmentFor']): Json {
  const field = (column: ColumnSpec): Json => {
    const tokenised = zone !== 'landing' && column.classification !== 'public' && TOKEN_METHODS.has(storageTreatmentFor(dataset.name, column.name).method);
    const tags = [...(column.classification === 'public' ? [] : [SENSITIVE_TAG]), ...(tokenised ? [TOKENISED_TAG] : [])];
    return {
      fieldPath: column.name,
      // Landing files are CSV text; the contract's type applies from the raw zone on.
      nativeDataType: zone === 'landing' ? 'string' : column.type,
      type: { type: fieldType(column.type, zone) },
      nullable: column.nullable,
      description: column.description,
      globalTags: { tags: tags.map((tag) => ({ tag })) },
      glossaryTerms: { terms: [{ urn: classificationTermUrn(column.classification) }], auditStamp: audit },
      isPartOfKey: dataset.primaryKey.includes(column.name),
    };
  };
  const partitions = zone === 'landing' ? [] : dataset.partitionColumns.map((column): Json => ({
    fieldPath: column.name,
    nativeDataType: column.type,
    type: { type: fieldType(column.type, zone) },
    nullable: false,
    description: column.description,
    isPartitioningKey: true,
  }));
  return {
    schemaName: `${glueDatabaseName(names.stage, zone)}.${dataset.name}`,
    platform: platformUrn(names.platform),
    version: dataset.schemaVersion,
    created: audit,
    lastModified: audit,
    hash: '',
    platformSchema: { 'com.linkedin.schema.OtherSchema': { rawSchema: '' } },
    fields: [...dataset.columns.map(field), ...partitions],
  };
}

/**
 * Column lineage of one output of a task: for a per-dataset task (mask, transform) each input column to its namesake;
 * for any other, the derivations of the task's step and output, each upstream in the zone the task reads it from.
 */
function columnLineage(names: LineageNames, task: PipelineTask, output: ZoneDataset, byName: ReadonlyMap<string, DatasetSpec>, sources: LineageSources): Json[] {
  if (output.zone === 'serving-store') return [];
  const to = datasetUrn(names, output.zone, output.dataset);
  if (task.dataset === undefined) return derivedColumnLineage(names, task, output, to, sources.columnDerivations ?? []);
  const input = task.inputs.find((candidate) => candidate.dataset === output.dataset);
  const dataset = byName.get(output.dataset);
  if (input === undefined || dataset === undefined || input.zone === 'serving-store') return [];
  const from = datasetUrn(names, input.zone, input.dataset);
  return dataset.columns.map((column) => ({
    upstreamType: 'FIELD_SET',
    upstreams: [schemaFieldUrn(from, column.name)],
    downstreamType: 'FIELD',
    downstreams: [schemaFieldUrn(to, column.name)],
    transformOperation: input.zone === 'landing' ? `MASK:${sources.storageTreatmentFor(dataset.name, column.name).method}` : `${task.step.toUpperCase()}`,
    confidenceScore: 1,
  }));
}

function derivedColumnLineage(names: LineageNames, task: PipelineTask, output: ZoneDataset, to: string, derivations: readonly ColumnDerivation[]): Json[] {
  return derivations
    .filter((derivation) => derivation.step === task.step && derivation.output === output.dataset)
    .flatMap((derivation): Json[] => {
      // An upstream is an input of the task, or another of its outputs (customer_tags is computed from customer_features
      // in the one consumption task); any other is left out: the definition, not the SQL, says what a task reads.
      const upstreams = derivation.upstreams.flatMap((upstream) => {
        const input = [...task.inputs, ...task.outputs].find((candidate) => candidate.dataset === upstream.dataset);
        return input === undefined || input.zone === 'serving-store' ? [] : [schemaFieldUrn(datasetUrn(names, input.zone, input.dataset), upstream.column)];
      });
      if (upstreams.length === 0) return [];
      return [{ upstreamType: 'FIELD_SET', upstreams, downstreamType: 'FIELD', downstreams: [schemaFieldUrn(to, derivation.column)], transformOperation: derivation.operation, confidenceScore: 1 }];
    });
}

function upstreamLineage(names: LineageNames, writers: readonly PipelineTask[], zone: Zone, dataset: DatasetSpec, byName: ReadonlyMap<string, DatasetSpec>, audit: Json, sources: LineageSources): Json {
  const inputs = new Map<string, ZoneDataset>();
  for (const task of writers) for (const input of task.inputs) inputs.set(`${input.zone}.${input.dataset}`, input);
  return {
    upstreams: [...inputs.values()].map((input) => ({ dataset: datasetUrn(names, input.zone, input.dataset), type: 'TRANSFORMED', auditStamp: audit })),
    fineGrainedLineages: writers.flatMap((task) => columnLineage(names, task, { zone, dataset: dataset.name }, byName, sources)),
  };
}
