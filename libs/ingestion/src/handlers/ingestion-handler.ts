import { z } from 'zod';
import { S3EventSchema, ScheduledEventSchema } from '@cur/contracts';
import { ValidationError } from '@cur/platform';
import { ingestControlFile, type IngestionDependencies, type IngestionOutcome } from '../ingest-control-file';
import { sweepLanding } from '../sweep-landing';

/** A control file landed (S3 notification), or the periodic schedule fired to sweep the landing zone. */
export const IngestionEventSchema = z.union([
  S3EventSchema.transform((event) => ({ kind: 's3' as const, records: event.Records })),
  ScheduledEventSchema.transform((event) => ({ kind: 'schedule' as const, time: event.time })),
]);

/**
 * The ingestion controller's Lambda logic, shared by the Lambda entry and `cur ingest`: the same function handles
 * the real S3 and EventBridge event JSON in both places.
 *
 * @returns the outcome for each control file it handled
 */
export function createIngestionHandler(dependencies: () => Promise<IngestionDependencies>) {
  return async function handleIngestionEvent(event: unknown): Promise<IngestionOutcome[]> {
    const parsed = IngestionEventSchema.safeParse(event);
    if (!parsed.success) {
      throw new ValidationError(`ingestion-controller accepts S3 ObjectCreated notifications and scheduled events: ${z.prettifyError(parsed.error)}`);
    }
    const deps = await dependencies();
    if (parsed.data.kind === 'schedule') return sweepLanding(deps);
    const outcomes: IngestionOutcome[] = [];
    for (const record of parsed.data.records) {
      // S3 URL-encodes keys in notifications, with '+' for spaces. Only control files start a batch.
      const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
      if (key.endsWith('.ctl')) outcomes.push(await ingestControlFile(deps, key));
    }
    return outcomes;
  };
}

/** Builds the S3 notification S3 sends when a control file is written: what `cur ingest` hands the handler locally. */
export function objectCreatedEvent(bucket: string, key: string, size: number, now = new Date()): z.input<typeof S3EventSchema> {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'local',
        eventTime: now.toISOString(),
        eventName: 'ObjectCreated:Put',
        // The fields S3 always sends (Powertools Parser's S3Schema requires them), with local values.
        userIdentity: { principalId: 'local' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': 'local', 'x-amz-id-2': 'local' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'control-file-created',
          bucket: { name: bucket, ownerIdentity: { principalId: 'local' }, arn: `arn:aws:s3:::${bucket}` },
          object: { key: encodeURIComponent(key).replaceAll('%2F', '/'), size },
        },
      },
    ],
  };
}
