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

  it('keep fields AWS adds that the schema does not name', () => {
    const parsed = S3EventSchema.parse(event('s3-object-created-control-file.json'));
    expect(parsed.Records[0]).toHaveProperty('userIdentity');
  });

  it('tell one event kind from another', () => {
    expect(ScheduledEventSchema.safeParse(event('glue-dq-result.json')).success).toBe(false);
    expect(S3EventSchema.safeParse({ Records: [] }).success).toBe(false);
  });
});
