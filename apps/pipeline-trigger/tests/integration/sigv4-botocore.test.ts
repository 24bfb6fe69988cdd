import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MwaaRestApiClient } from '../../src/mwaa-rest-api-client';
import { MwaaStandIn } from '../helpers/mwaa-stand-in';

/** The workspace's Python environment (`nx run python-env:setup`, which the test target depends on): botocore is in it. */
const PYTHON = join(import.meta.dirname, '../../../../.venv/bin/python');

/** botocore's SigV4 recomputes the signature of the request as received, over the headers the request signed. */
const BOTOCORE_SIGNATURE = `
import json, sys
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
call = json.load(sys.stdin)
headers = call["headers"]
signed = headers["authorization"].split("SignedHeaders=")[1].split(",")[0].split(";")
request = AWSRequest(method="POST", url=call["url"], data=call["body"].encode(), headers={name: headers[name] for name in signed if name != "host"})
auth = SigV4Auth(Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token"), "airflow", "ap-northeast-1")
request.context["timestamp"] = headers["x-amz-date"]
print(auth.signature(auth.string_to_sign(request, auth.canonical_request(request)), request))
`;

/**
 * MWAA cannot run here, so nothing AWS-side checks the client's signature; botocore, whose signer every AWS CLI call
 * uses, recomputes it from the bytes the stand-in received.
 */
describe('MwaaRestApiClient signs as AWS does', () => {
  let mwaa: MwaaStandIn;
  beforeAll(async () => {
    mwaa = await MwaaStandIn.start();
  });
  afterAll(() => mwaa.close());

  it("produces botocore's SigV4 signature for the service airflow", async () => {
    if (!existsSync(PYTHON)) throw new Error(`no ${PYTHON}: run npx nx run python-env:setup`);
    const client = new MwaaRestApiClient({
      region: 'ap-northeast-1',
      endpoint: mwaa.url,
      credentials: () => Promise.resolve({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session-token' }),
    });
    await client.invoke({ name: 'cur-dev-pipeline', path: '/dags/cur_pipeline/dagRuns', method: 'POST', body: { dag_run_id: 'business_date__2026-11-25', logical_date: null, conf: { businessDate: '2026-11-25' } } });
    const call = mwaa.calls.at(-1);
    if (!call) throw new Error('the stand-in received nothing');

    const expected = execFileSync(PYTHON, ['-c', BOTOCORE_SIGNATURE], { input: JSON.stringify({ headers: call.headers, body: call.raw, url: `${mwaa.url}/restapi/cur-dev-pipeline` }), encoding: 'utf8' }).trim();

    expect(String(call.headers['authorization']).split('Signature=')[1]).toBe(expected);
    expect(call.headers['authorization']).toContain('x-amz-security-token');
  });
});
