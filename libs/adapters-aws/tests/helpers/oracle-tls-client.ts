// Run in a child process by oracle-tls.test.ts, so that NODE_EXTRA_CA_CERTS (read once, at start) is the test's:
// connects as the replicator does and prints how the attempt ended, as one JSON line.
import { OracleReplicaTarget } from '../../src/replication/oracle-replica-target';

const connectString = process.argv[2] ?? '';
try {
  const target = await OracleReplicaTarget.connect({ user: 'CUR_REPLICA', password: 'not-a-real-password', connectString });
  await target.close();
  console.log(JSON.stringify({ connected: true }));
} catch (error) {
  const cause = (error as { cause?: { message?: string; code?: string } }).cause;
  console.log(JSON.stringify({ connected: false, message: (error as Error).message, cause: cause?.message ?? '', causeCode: cause?.code ?? '' }));
}
