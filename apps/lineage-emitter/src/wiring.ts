import { DataHubRestEmitter } from '@cur/lineage/datahub-rest';
import { LineageDefinitionSchema } from '@cur/lineage';
import { loadPlatformConfig, type Logger } from '@cur/platform';
import { captureSdkClients } from '@cur/platform/tracing';
import { createBlobStores } from '@cur/runtime/blob-store';
import { loadLineageEmitterConfig } from './config';
import type { LineageEmitterDependencies } from './core';
import { tokenOfDataHubConnection } from './datahub-connection';
import { readThroughLambdaExtension } from './lambda-extension-settings';
import definition from './lineage-definition.json' with { type: 'json' };
import { logger as serviceLogger, tracer } from './observability';

/** The emitter's dependencies, and how to let go of them. */
export interface LineageEmitterWiring extends LineageEmitterDependencies {
  close(): Promise<void>;
}

/**
 * The composition root: the system bucket (S3 in AWS, a folder locally), DataHub's endpoint from SSM and its token
 * from the DataHub connection secret (the Airflow connection's `password`) through the Parameters and Secrets extension (or the endpoint given outright), proposals sent
 * over REST by `DataHubRestEmitter`, and the committed lineage definition, checked against its schema.
 */
export async function createLineageEmitterDependencies(env: NodeJS.ProcessEnv = process.env, options: { readonly logger?: Logger } = {}): Promise<LineageEmitterWiring> {
  const config = loadLineageEmitterConfig(env);
  const platform = loadPlatformConfig(env);
  const stores = await createBlobStores(platform, captureSdkClients(tracer));
  const endpoint = config.endpoint;
  const connectionSecretId = config.connectionSecretId;
  return {
    stage: platform.stage,
    definition: LineageDefinitionSchema.parse(definition),
    system: stores.get('system'),
    endpoint: 'url' in endpoint ? () => Promise.resolve(endpoint.url) : () => readThroughLambdaExtension('parameter', endpoint.parameter, env),
    token:
      connectionSecretId === undefined
        ? () => Promise.resolve(undefined)
        : async () => tokenOfDataHubConnection(await readThroughLambdaExtension('secret', connectionSecretId, env), connectionSecretId),
    emitter: (url, token) => new DataHubRestEmitter({ endpoint: url, ...(token === undefined ? {} : { token }) }),
    logger: options.logger ?? serviceLogger,
    close: () => stores.close(),
  };
}
