// Two services of a cur state folder ($CUR_HOME, its DynamoDB at $CUR_DYNAMODB_ENDPOINT) for the local DAG run
// (tests/test_dag_local_run.py), run with tsx as `cur` runs: the code the platform runs, nothing of its own.
//
//   key-service           the masking-key-service's handler on loopback (startLoopbackKeyService, as `cur run
//                         --engine spark` serves it to the Spark mask job): prints one JSON line, {"tokenizeUrl",
//                         "credential"}, to the parent's pipe only (the per-run SYSTEM credential the mask job reads
//                         from its environment), then serves until stdin closes.
//   serving-load DATE     the serving load of a business date from the state folder's published lake
//                         (loadServingFromLake, what `cur serve --load` runs; `cur run` ends with the same
//                         loadServingStore): prints its result, counts and version ids only.
import { TokenService, startLoopbackKeyService } from '@cur/masking';
import { loadPlatformConfig } from '@cur/platform';
import { createRuntime } from '@cur/runtime';
import { loadServingFromLake } from '../../../tools/cli/src/commands/serve-command.ts';

const [command, businessDate] = process.argv.slice(2);
const runtime = await createRuntime(loadPlatformConfig(process.env));
try {
  if (command === 'key-service') {
    const keys = await startLoopbackKeyService({ service: TokenService.create({ keyValueStore: runtime.keyValueStore, keyVault: runtime.keyVault() }) });
    process.stdout.write(`${JSON.stringify({ tokenizeUrl: keys.tokenizeUrl, credential: keys.credential })}\n`);
    process.stdin.resume();
    await new Promise((done) => process.stdin.on('end', done));
    await keys.close();
  } else if (command === 'serving-load' && businessDate !== undefined) {
    const loaded = await loadServingFromLake(runtime, { businessDate });
    process.stdout.write(`${JSON.stringify(loaded)}\n`);
  } else {
    throw new Error('usage: local_cur_services.ts key-service | serving-load YYYY-MM-DD');
  }
} finally {
  await runtime.close();
}
