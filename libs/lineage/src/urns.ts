import { createHash } from 'node:crypto';
import type { Zone } from '@cur/contracts';

/** The names lineage entities get: platform, instance, environment, database per zone, flow. */
export interface LineageNames {
  readonly stage: string;
  readonly platform: string;
  readonly servingPlatform: string;
  readonly platformInstance: string;
  readonly env: string;
  readonly orchestrator: string;
  readonly flowId: string;
}

/** The Glue database of a zone, as infra names it (`PlatformNames.glueDatabaseName`): `cur_dev_raw`. */
export function glueDatabaseName(stage: string, zone: Zone): string {
  return `cur_${stage.replaceAll('-', '_')}_${zone}`;
}

/** `urn:li:dataPlatform:<platform>` */
export function platformUrn(platform: string): string {
  return `urn:li:dataPlatform:${platform}`;
}

/** `urn:li:dataPlatformInstance:(urn:li:dataPlatform:<platform>,<instance>)` */
export function platformInstanceUrn(platform: string, instance: string): string {
  return `urn:li:dataPlatformInstance:(${platformUrn(platform)},${instance})`;
}

/** A dataset of a zone: `urn:li:dataset:(urn:li:dataPlatform:glue,<instance>.cur_dev_raw.customer_profile,PROD)`. */
export function datasetUrn(names: LineageNames, zone: Zone | 'serving-store', dataset: string): string {
  if (zone === 'serving-store') return `urn:li:dataset:(${platformUrn(names.servingPlatform)},${names.platformInstance}.cur-${names.stage}-${dataset},${names.env})`;
  return `urn:li:dataset:(${platformUrn(names.platform)},${names.platformInstance}.${glueDatabaseName(names.stage, zone)}.${dataset},${names.env})`;
}

/** A column of a dataset: `urn:li:schemaField:(<dataset urn>,<column>)`. */
export function schemaFieldUrn(dataset: string, column: string): string {
  return `urn:li:schemaField:(${dataset},${column})`;
}

/** The container of a zone (its Glue database), keyed like DataHub's `DatabaseKey`: an MD5 of its sorted key JSON. */
export function zoneContainerUrn(names: LineageNames, zone: Zone): string {
  return `urn:li:container:${guid({ database: glueDatabaseName(names.stage, zone), env: names.env, instance: names.platformInstance, platform: names.platform })}`;
}

/** `urn:li:dataFlow:(airflow,cur_pipeline,PROD)` */
export function dataFlowUrn(names: LineageNames): string {
  return `urn:li:dataFlow:(${names.orchestrator},${names.flowId},${names.env})`;
}

/** `urn:li:dataJob:(<flow urn>,<task id>)` */
export function dataJobUrn(names: LineageNames, taskId: string): string {
  return `urn:li:dataJob:(${dataFlowUrn(names)},${taskId})`;
}

/** A run (or a step of a run) as a data process instance, keyed by the flow or job and the run id. */
export function dataProcessInstanceUrn(template: string, runId: string): string {
  return `urn:li:dataProcessInstance:${guid({ run: runId, template })}`;
}

function guid(key: Readonly<Record<string, string>>): string {
  const sorted = Object.fromEntries(Object.entries(key).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('md5').update(JSON.stringify(sorted)).digest('hex');
}
