import { execFileSync, execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oracleConnectAttributes, parseOracleUrl } from '../../src/replication/oracle-replica-target';

const run = promisify(execFile);
const CLIENT = join(import.meta.dirname, '../helpers/oracle-tls-client.ts');

/** A test CA and a server certificate it signs for `subjectAltName`, made with the openssl CLI. */
function makeCertificates(dir: string, name: string, subjectAltName: string): { key: string; cert: string } {
  const sh = (args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  };
  sh(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}-ca.key`, '-out', `${name}-ca.pem`, '-days', '2', '-subj', `/CN=cur test CA ${name}`]);
  sh(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', '/CN=cur-test-oracle']);
  writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${subjectAltName}\n`);
  sh(['x509', '-req', '-in', `${name}.csr`, '-CA', `${name}-ca.pem`, '-CAkey', `${name}-ca.key`, '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`]);
  return { key: readFileSync(join(dir, `${name}.key`), 'utf8'), cert: readFileSync(join(dir, `${name}.pem`), 'utf8') };
}

/** A TLS listener on loopback standing in for RDS's SSL option: it completes handshakes and then hangs up, as Oracle is not behind it. */
async function listen(credentials: { key: string; cert: string }): Promise<{ server: Server; port: number; handshakes: () => number }> {
  let handshakes = 0;
  const server = createServer(credentials, (socket) => {
    handshakes += 1;
    socket.destroy();
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port, handshakes: () => handshakes };
}

interface Attempt {
  readonly connected: boolean;
  readonly message?: string;
  readonly cause?: string;
}

/** Connects as the replicator does, in a child process whose Node trusts `extraCa` (NODE_EXTRA_CA_CERTS) or nothing extra. */
async function attempt(connectString: string, extraCa: string | undefined): Promise<Attempt> {
  const env = { ...process.env };
  delete env['NODE_EXTRA_CA_CERTS'];
  if (extraCa !== undefined) env['NODE_EXTRA_CA_CERTS'] = extraCa;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', CLIENT, connectString], { env, timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Attempt;
}

/**
 * TLS to the Oracle replica, short of an Oracle: node-oracledb's thin driver, as OracleReplicaTarget calls it with a
 * `tcps://` connect string, against a loopback TLS listener. What it shows: the driver speaks TLS, trusts the CA
 * given through NODE_EXTRA_CA_CERTS (as the Lambda trusts RDS's through /var/runtime/ca-cert.pem), refuses an
 * unknown CA, and refuses a certificate that does not name the host. RDS's listener itself is verified on paper.
 */
// Each attempt starts a Node child (tsx and the driver), allowed 60 s on a loaded machine, so the tests get longer than the shared 30 s.
describe('OracleReplicaTarget over TCPS', { timeout: 90_000 }, () => {
  let dir: string;
  let good: Awaited<ReturnType<typeof listen>>;
  let misnamed: Awaited<ReturnType<typeof listen>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cur-oracle-tls-'));
    good = await listen(makeCertificates(dir, 'good', 'IP:127.0.0.1'));
    misnamed = await listen(makeCertificates(dir, 'misnamed', 'DNS:elsewhere.example'));
  });
  afterAll(() => {
    good.server.close();
    misnamed.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('completes the TLS handshake with a server whose CA is trusted, then fails only on what is not Oracle', async () => {
    const result = await attempt(`tcps://127.0.0.1:${good.port}/CURDEV`, join(dir, 'good-ca.pem'));

    expect(result.connected).toBe(false);
    expect(result.message).toBe(`cannot connect to Oracle at tcps://127.0.0.1:${good.port}/CURDEV as CUR_REPLICA`);
    // The listener hung up after the handshake: end-of-file, not a TLS failure (NJS-506 to NJS-508).
    expect(result.cause).toMatch(/end-of-file/);
    expect(result.cause).not.toMatch(/certificate|handshake|NJS-50[678]/i);
    expect(good.handshakes()).toBe(1);
  });

  it('refuses a server whose CA is not trusted', async () => {
    const before = good.handshakes();
    const result = await attempt(`tcps://127.0.0.1:${good.port}/CURDEV`, undefined);

    expect(result.connected).toBe(false);
    expect(result.cause).toMatch(/certificate/i);
    expect(good.handshakes()).toBe(before);
  });

  it('refuses a trusted certificate that does not name the host connected to', async () => {
    const result = await attempt(`tcps://127.0.0.1:${misnamed.port}/CURDEV`, join(dir, 'misnamed-ca.pem'));

    expect(result.connected).toBe(false);
    expect(result.cause).toMatch(/NJS-508: TLS detected an invalid certificate\. 127\.0\.0\.1 +not present in certificate/);
  });

  it('asks for DN matching over TCPS only, and maps oracles:// URLs to TCPS on 2484', () => {
    expect(oracleConnectAttributes('tcps://db.example:2484/CURDEV')).toEqual({ connectString: 'tcps://db.example:2484/CURDEV', sslServerDNMatch: true });
    expect(oracleConnectAttributes('db.example:1521/CURDEV')).toEqual({ connectString: 'db.example:1521/CURDEV' });
    expect(parseOracleUrl('oracles://cur_replica:pw@db.example/FREEPDB1').connectString).toBe('tcps://db.example:2484/FREEPDB1');
    expect(parseOracleUrl('oracle://cur_replica:pw@db.example/FREEPDB1').connectString).toBe('db.example:1521/FREEPDB1');
  });
});
