import { z } from 'zod';
import { LayerPublishedSchema, PLATFORM_EVENT_SOURCE, eventBridgeEventSchema } from '@cur/contracts';
import { ValidationError, createLogger } from '@cur/platform';
import { SERVICE_NAME } from './constants';
import { oracleReplicator } from './core';

const logger = createLogger({ serviceName: SERVICE_NAME });

/** Replication starts when the pipeline publishes a consumption layer. */
const EventSchema = eventBridgeEventSchema(PLATFORM_EVENT_SOURCE, 'Layer Published', LayerPublishedSchema);

/**
 * The Lambda entry: validates the event, calls the use case. A failure throws, so Lambda retries and finally sends
 * the event to the dead-letter queue. Never logs the event.
 */
export async function handleOracleReplicator(event: unknown): Promise<void> {
  const parsed = EventSchema.safeParse(event);
  if (!parsed.success) {
    throw new ValidationError(`${SERVICE_NAME} received an event it does not accept: ${z.prettifyError(parsed.error)}`);
  }
  try {
    oracleReplicator({ source: parsed.data.source, detailType: parsed.data['detail-type'], detail: parsed.data.detail });
  } catch (error) {
    logger.error('event handling failed', { error });
    throw error;
  }
}

/** The name Lambda invokes (`handler.handler`). */
export const handler = handleOracleReplicator;
