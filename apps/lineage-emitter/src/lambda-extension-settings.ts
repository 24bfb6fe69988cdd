import { AdapterError } from '@cur/platform';

/** The AWS Parameters and Secrets Lambda Extension's local port. @default */
export const PARAMETERS_SECRETS_EXTENSION_PORT = 2773;

/**
 * Reads an SSM parameter or a secret through the AWS Parameters and Secrets Lambda Extension (a layer that serves
 * them, cached, on loopback inside the Lambda), so the function bundles neither an SSM nor a Secrets Manager client.
 *
 * @throws AdapterError naming the parameter or secret, never its value
 */
export async function readThroughLambdaExtension(kind: 'parameter' | 'secret', name: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const token = env['AWS_SESSION_TOKEN'];
  if (!token) throw new AdapterError(`reading ${kind} ${name}: AWS_SESSION_TOKEN is not set, and the extension only answers inside a Lambda`);
  const port = env['PARAMETERS_SECRETS_EXTENSION_HTTP_PORT'] ?? String(PARAMETERS_SECRETS_EXTENSION_PORT);
  const path = kind === 'parameter' ? `systemsmanager/parameters/get?name=${encodeURIComponent(name)}` : `secretsmanager/get?secretId=${encodeURIComponent(name)}`;
  const response = await fetch(`http://localhost:${port}/${path}`, { headers: { 'X-Aws-Parameters-Secrets-Token': token }, signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new AdapterError(`reading ${kind} ${name} through the Lambda extension answered ${response.status}`);
  const body = (await response.json()) as { Parameter?: { Value?: unknown }; SecretString?: unknown };
  const value = kind === 'parameter' ? body.Parameter?.Value : body.SecretString;
  if (typeof value !== 'string' || value === '') throw new AdapterError(`${kind} ${name} is empty`);
  return value;
}
