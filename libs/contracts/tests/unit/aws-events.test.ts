import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ApiGatewayV2RequestSchema,
  GlueDataQualityResultEventSchema,
  S3EventSchema,
  ScheduledEventSchema,
} from '../../src/index';

const event = (name: string): unknown => JSON.parse(readFileSync(new URL(`../events/${name}`, import.meta.url), 'utf8'));

describe('AWS event schemas', () => {
  it('parse the real event payloads AWS sends', () => {
    expect(S3EventSchema.parse(event('s3-object-created-control-file.json')).Records[0]?.s3.object.key).toMatch(/\.ctl$/);
    expect(ScheduledEventSchema.parse(event('scheduled-event.json'))['detail-type']).toBe('Scheduled Event');
    expect(GlueDataQualityResultEventSchema.parse(event('glue-dq-result.json')).detail.numRulesFailed).toBe(1);
    const request = ApiGatewayV2RequestSchema.parse(event('apigw-v2-get-tags.json'));
    expect(request.requestContext.authorizer?.jwt.claims['cur:role']).toBe('AP');
  });

  it("are Powertools Parser's S3 and EventBridge schemas: a record without the fields S3 always sends, or a time that is not ISO 8601, is refused", () => {
    // Prepare
    const s3 = event('s3-object-created-control-file.json') as { Records: Record<string, unknown>[] };
    const record = s3.Records[0] ?? {};
    const withoutResponse = { Records: [Object.fromEntries(Object.entries(record).filter(([key]) => key !== 'responseElements'))] };
    const scheduled = { ...(event('scheduled-event.json') as Record<string, unknown>), time: '25/11/2026 22:05' };

    // Act and assess
    expect(S3EventSchema.parse(s3).Records[0]?.userIdentity.principalId).toBeTruthy();
    expect(S3EventSchema.safeParse(withoutResponse).success).toBe(false);
    expect(ScheduledEventSchema.safeParse(scheduled).success).toBe(false);
  });

  it('tell one event kind from another', () => {
    expect(ScheduledEventSchema.safeParse(event('glue-dq-result.json')).success).toBe(false);
    expect(S3EventSchema.safeParse({ Records: [] }).success).toBe(false);
  });
});
