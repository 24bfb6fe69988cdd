import { AdapterError } from '@cur/platform';

/** The AWS Parameters and Secrets Lambda Extension's local port. @default */
export const SECRETS_EXTENSION_PORT = 2773;

/**
 * Reads a Secrets Manager secret through the AWS Parameters and Secrets Lambda Extension (a layer serving the
 * secret, cached, on loopback inside the Lambda), so the replicator needs no Secrets Manager client. The Oracle
 * credentials secret is JSON with `username` and `password`, as RDS writes it.
 *
 * @throws AdapterError naming the secret, never its value
 */
export async function readSecretThroughLambdaExtension(secretId: string, env: NodeJS.ProcessEnv = process.env): Promise<{ username: string; password: string }> {
  const token = env['AWS_SESSION_TOKEN'];
  if (!token) throw new AdapterError('AWS_SESSION_TOKEN is not set: the secrets extension only answers inside a Lambda');
  const port = env['PARAMETERS_SECRETS_EXTENSION_HTTP_PORT'] ?? String(SECRETS_EXTENSION_PORT);
  const response = await fetch(`http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(secretId)}`, { headers: { 'X-Aws-Parameters-Secrets-Token': token } });
  if (!response.ok) throw new AdapterError(`reading secret ${secretId} through the Lambda extension answered ${response.status}`);
  const body = (await response.json()) as { SecretString?: string };
  const secret = JSON.parse(body.SecretString ?? '{}') as { username?: unknown; password?: unknown };
  if (typeof secret.username !== 'string' || typeof secret.password !== 'string') throw new AdapterError(`secret ${secretId} lacks username or password`);
  return { username: secret.username, password: secret.password };
}
