import { z } from 'zod';
import { S3EventSchema, ScheduledEventSchema } from '@cur/contracts';
import { ValidationError, createLogger } from '@cur/platform';
import { SERVICE_NAME } from './constants';
import { ingestionController } from './core';

const logger = createLogger({ serviceName: SERVICE_NAME });

/** A control file landed (S3 notification), or the periodic schedule fired to sweep for batches. */
const EventSchema = z.union([
  S3EventSchema.transform((event) => ({ kind: 's3' as const, records: event.Records })),
  ScheduledEventSchema.transform((event) => ({ kind: 'schedule' as const, time: event.time })),
]);

/**
 * The Lambda entry: validates the event, calls the use case. A failure throws, so Lambda retries and finally sends
 * the event to the dead-letter queue. Never logs the event.
 */
export async function handleIngestionController(event: unknown): Promise<void> {
  const parsed = EventSchema.safeParse(event);
  if (!parsed.success) {
    throw new ValidationError(`${SERVICE_NAME} received an event it does not accept: ${z.prettifyError(parsed.error)}`);
  }
  try {
    if (parsed.data.kind === 's3') {
      for (const record of parsed.data.records) {
        // S3 URL-encodes keys in notifications, with '+' for spaces.
        ingestionController({ kind: 'object-created', bucket: record.s3.bucket.name, key: decodeURIComponent(record.s3.object.key.replace(/\+/g, ' ')) });
      }
    } else {
      ingestionController({ kind: 'scheduled-sweep', scheduledAt: parsed.data.time });
    }
  } catch (error) {
    logger.error('event handling failed', { error });
    throw error;
  }
}

/** The name Lambda invokes (`handler.handler`). */
export const handler = handleIngestionController;
