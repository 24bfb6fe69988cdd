import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MwaaDagRunStarter, triggerDagRunBody } from '../../src/dag-run-starter';
import { MwaaInvokeError } from '../../src/errors';
import { MwaaRestApiClient } from '../../src/mwaa-rest-api-client';
import { MwaaStandIn } from '../helpers/mwaa-stand-in';

const credentials = () => Promise.resolve({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session-token' });
const run = { dagId: 'cur_pipeline', dagRunId: 'business_date__2026-11-25', conf: { businessDate: '2026-11-25', batches: [{ dataset: 'customer_profile', batchId: 'customer_profile/2026-11-25', rowCount: 3 }] as [{ dataset: string; batchId: string; rowCount: number }] }, note: 'n' };

describe('MwaaRestApiClient: InvokeRestApi on the wire', () => {
  let mwaa: MwaaStandIn;
  let client: MwaaRestApiClient;
  beforeAll(async () => {
    mwaa = await MwaaStandIn.start();
    client = new MwaaRestApiClient({ region: 'ap-northeast-1', endpoint: mwaa.url, credentials });
  });
  afterAll(() => mwaa.close());

  it('posts { Path, Method, Body } to /restapi/<environment>, SigV4-signed for airflow with the session token', async () => {
    const answer = await client.invoke({ name: 'cur-dev-pipeline', path: '/dags/cur_pipeline/dagRuns', method: 'POST', body: triggerDagRunBody(run) });

    expect(answer.restApiStatusCode).toBe(200);
    expect(answer.restApiResponse).toMatchObject({ dag_run_id: 'business_date__2026-11-25', state: 'queued' });
    const call = mwaa.calls.at(-1);
    expect(call?.environment).toBe('cur-dev-pipeline');
    expect(call?.input).toEqual({ Path: '/dags/cur_pipeline/dagRuns', Method: 'POST', Body: triggerDagRunBody(run) });
    expect(call?.headers['content-type']).toBe('application/json');
    expect(call?.headers['x-amz-security-token']).toBe('session-token');
    expect(call?.headers['authorization']).toMatch(/Credential=AKIDEXAMPLE\/\d{8}\/ap-northeast-1\/airflow\/aws4_request/);
  });

  it("turns MWAA's errors into coded errors with the error type and Airflow's status, never Airflow's text", async () => {
    mwaa.forced = { status: 400, errorType: 'RestApiClientException', body: { RestApiStatusCode: 422, RestApiResponse: { detail: [{ msg: 'a quoted value' }] } } };
    const refused = await client.invoke({ name: 'cur-dev-pipeline', path: '/dags/cur_pipeline/dagRuns', method: 'POST', body: {} }).catch((error: unknown) => error);
    mwaa.forced = { status: 404, errorType: 'ResourceNotFoundException' };
    const unknown = await client.invoke({ name: 'cur-dev-other', path: '/dags', method: 'GET' }).catch((error: unknown) => error);
    mwaa.forced = undefined;

    expect(refused).toBeInstanceOf(MwaaInvokeError);
    expect(refused).toMatchObject({ code: 'MWAA_INVOKE_FAILED', errorType: 'RestApiClientException', restApiStatusCode: 422, details: { httpStatus: 400, restApiStatusCode: 422 } });
    expect((refused as Error).message).not.toContain('quoted');
    expect(unknown).toMatchObject({ code: 'MWAA_INVOKE_FAILED', errorType: 'ResourceNotFoundException', restApiStatusCode: undefined });
  });

  it('reports a created run, and a run id Airflow holds already (409) as exists', async () => {
    const starter = new MwaaDagRunStarter(client, 'cur-dev-fresh');
    expect(await starter.start(run)).toBe('created');
    expect(await starter.start(run)).toBe('exists');
  });

  it('refuses a conf that is not the DAG run conf before anything is sent', async () => {
    const before = mwaa.calls.length;
    const starter = new MwaaDagRunStarter(client, 'cur-dev-pipeline');
    await expect(starter.start({ ...run, conf: { businessDate: '25/11/2026', batches: run.conf.batches } })).rejects.toThrow();
    expect(mwaa.calls.length).toBe(before);
  });

  it('uses the regional endpoint with the env. host prefix by default (aws and aws-cn)', () => {
    expect(new MwaaRestApiClient({ region: 'ap-northeast-1', credentials }).endpoint).toBe('https://env.airflow.ap-northeast-1.amazonaws.com');
    expect(new MwaaRestApiClient({ region: 'cn-north-1', credentials }).endpoint).toBe('https://env.airflow.cn-north-1.amazonaws.com.cn');
  });
});
