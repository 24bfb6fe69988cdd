import type { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { EventBridgeEventPublisher } from '../../src/index';

/** EventBridge has no local server we can run here: a recording client stands in for the service. */
describe('EventBridgeEventPublisher', () => {
  const detail = { batchId: 'customer_profile/2026-11-25', dataset: 'customer_profile', businessDate: '2026-11-25', rowCount: 3, dataKey: 'incoming/customer_profile/customer_profile_20261125.csv', controlKey: 'incoming/customer_profile/customer_profile_20261125.ctl' };

  it('puts a contract-checked event on the bus with the platform source', async () => {
    const sent: PutEventsCommand[] = [];
    const client = { send: async (command: PutEventsCommand) => (sent.push(command), { FailedEntryCount: 0 }) } as unknown as EventBridgeClient;
    await new EventBridgeEventPublisher(client, 'cur-dev').publish('Batch Accepted', detail);
    expect(sent[0]?.input.Entries?.[0]).toEqual({ EventBusName: 'cur-dev', Source: 'cur.platform', DetailType: 'Batch Accepted', Detail: JSON.stringify(detail) });
  });

  it('refuses a detail that breaks its contract and reports failed entries', async () => {
    const client = { send: async () => ({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] }) } as unknown as EventBridgeClient;
    const publisher = new EventBridgeEventPublisher(client, 'cur-dev');
    await expect(publisher.publish('Batch Accepted', { ...detail, rowCount: -1 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(publisher.publish('Batch Accepted', detail)).rejects.toMatchObject({ code: 'ADAPTER_FAILURE' });
  });
});
