// Two services of a cur state folder ($CUR_HOME, its DynamoDB at $CUR_DYNAMODB_ENDPOINT) for the local DAG run
// (tests/test_dag_local_run.py), run with tsx as `cur` runs: the code the platform runs, nothing of its own.
//
//   key-service           the masking-key-service's handler on loopback (startLoopbackKeyService, as `cur run
//                         --engine spark` serves it to the Spark mask job): prints one JSON line, {"tokenizeUrl",
//                         "credential"}, to the parent's pipe only (the per-run SYSTEM credential the mask job reads
//                         from its environment), then serves until stdin closes.
//   serving-load PAYLOAD  the serving-load Lambda's own handler (apps/serving-load, `handler.handler`) invoked with
//                         the DAG task's payload, as Lambda invokes it: locally its wiring reads the state folder's
//                         lake and DynamoDB (loadPlatformConfig). Prints the response after RESPONSE_MARK (the
//                         handler's logs and metrics go to stdout too), version ids and counts only.
import { TokenService, startLoopbackKeyService } from '@cur/masking';
import { loadPlatformConfig } from '@cur/platform';
import { createRuntime } from '@cur/runtime';
import { handler } from '../../../apps/serving-load/src/handler.ts';

const RESPONSE_MARK = '@cur-local-lambda@ ';
const [command, payload] = process.argv.slice(2);
if (command === 'serving-load' && payload !== undefined) {
  const response = await handler(JSON.parse(payload));
  // The handler keeps its clients for the next invocation, as a Lambda container does: exit once stdout is flushed.
  process.stdout.write(`${RESPONSE_MARK}${JSON.stringify(response)}\n`, () => process.exit(0));
}
const runtime = await createRuntime(loadPlatformConfig(process.env));
try {
  if (command === 'key-service') {
    const keys = await startLoopbackKeyService({ service: TokenService.create({ keyValueStore: runtime.keyValueStore, keyVault: runtime.keyVault() }) });
    process.stdout.write(`${JSON.stringify({ tokenizeUrl: keys.tokenizeUrl, credential: keys.credential })}\n`);
    process.stdin.resume();
    await new Promise((done) => process.stdin.on('end', done));
    await keys.close();
  } else {
    throw new Error("usage: local_cur_services.ts key-service | serving-load '{\"step\":\"serving\",\"businessDate\":\"YYYY-MM-DD\"}'");
  }
} finally {
  await runtime.close();
}
