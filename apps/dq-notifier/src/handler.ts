import { z } from 'zod';
import { GlueDataQualityResultEventSchema } from '@cur/contracts';
import { ValidationError, createLogger } from '@cur/platform';
import { SERVICE_NAME } from './constants';
import { dqNotifier } from './core';

const logger = createLogger({ serviceName: SERVICE_NAME });

/** Glue Data Quality's "evaluation finished" event; the local evaluator emits the same shape. */
const EventSchema = GlueDataQualityResultEventSchema;

/**
 * The Lambda entry: validates the event, calls the use case. A failure throws, so Lambda retries and finally sends
 * the event to the dead-letter queue. Never logs the event.
 */
export async function handleDqNotifier(event: unknown): Promise<void> {
  const parsed = EventSchema.safeParse(event);
  if (!parsed.success) {
    throw new ValidationError(`${SERVICE_NAME} received an event it does not accept: ${z.prettifyError(parsed.error)}`);
  }
  try {
    dqNotifier({ source: parsed.data.source, detailType: parsed.data['detail-type'], detail: parsed.data.detail });
  } catch (error) {
    logger.error('event handling failed', { error });
    throw error;
  }
}

/** The name Lambda invokes (`handler.handler`). */
export const handler = handleDqNotifier;
