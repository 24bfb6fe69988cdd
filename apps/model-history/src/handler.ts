import { z } from 'zod';
import { SageMakerTrainingJobStateChangeSchema } from '@cur/contracts';
import { ValidationError, createLogger, instrumentHandler } from '@cur/platform';
import { SERVICE_NAME } from './constants';
import { modelHistory } from './core';

const logger = createLogger({ serviceName: SERVICE_NAME });

/** SageMaker's training job state changes: each one becomes an entry in the model history. */
const EventSchema = SageMakerTrainingJobStateChangeSchema;

/**
 * The Lambda entry: validates the event, calls the use case. A failure throws, so Lambda retries and finally sends
 * the event to the dead-letter queue. Never logs the event.
 */
export async function handleModelHistory(event: unknown): Promise<void> {
  const parsed = EventSchema.safeParse(event);
  if (!parsed.success) {
    throw new ValidationError(`${SERVICE_NAME} received an event it does not accept: ${z.prettifyError(parsed.error)}`);
  }
  try {
    modelHistory({ source: parsed.data.source, detailType: parsed.data['detail-type'], detail: parsed.data.detail });
  } catch (error) {
    logger.error('event handling failed', { error });
    throw error;
  }
}

/** The name Lambda invokes (`handler.handler`), the Lambda context added to the logger on each invocation. */
export const handler = instrumentHandler(handleModelHistory, { logger });
