import { randomBytes, webcrypto } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { SignJWT, errors as joseErrors, jwtVerify, type CryptoKey, type JWTPayload } from 'jose';
import type { Role } from '@cur/contracts';
import { ConfigError, CurError, ValidationError } from '@cur/platform';
import type { CliContext } from '../cli-context';

/**
 * The local stand-in for the identity provider behind API Gateway's JWT authorizer: HS256 tokens signed with a
 * secret that never leaves the state folder. The AWS API trusts the bank's issuer instead (infra config); these
 * tokens are worthless there.
 */
export const DEV_JWT = {
  issuer: 'urn:cur:local-dev',
  audience: 'cur-retrieval-api',
  algorithm: 'HS256',
  /** Under the state folder, mode 0600, made on first use. */
  keyFile: join('keys', 'dev-jwt.key'),
  keyBytes: 32,
  defaultTtlSeconds: 3600,
  maxTtlSeconds: 7 * 24 * 3600,
  /** Leeway for clock skew when checking `exp` and `nbf`, as an authorizer allows. */
  clockToleranceSeconds: 5,
} as const;

/** A key that verifies dev tokens: the raw secret, or the same secret imported once (faster per request). */
export type DevVerifyKey = Uint8Array | CryptoKey;

/**
 * The secret imported once as an HMAC key: verifying with it skips re-importing the raw bytes on every request.
 */
export async function importDevVerifyKey(key: Uint8Array): Promise<DevVerifyKey> {
  return (await webcrypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])) as unknown as DevVerifyKey;
}

/** Why a bearer token was refused; the codes `cur serve` answers 401 with. */
export const DEV_TOKEN_FAILURES = {
  missing: 'no bearer token: send Authorization: Bearer <token> (get one with: cur token --role AP)',
  expired: 'the bearer token has expired: get a new one with cur token',
  invalid: 'the bearer token is not valid here (signature, algorithm, issuer or audience)',
} as const;

/** A refused bearer token. */
export class DevTokenError extends CurError {
  readonly reason: keyof typeof DEV_TOKEN_FAILURES;

  constructor(reason: keyof typeof DEV_TOKEN_FAILURES, options?: ErrorOptions) {
    super('UNAUTHENTICATED', DEV_TOKEN_FAILURES[reason], options?.cause === undefined ? {} : { cause: options.cause });
    this.name = 'DevTokenError';
    this.reason = reason;
  }
}

/**
 * The secret dev tokens are signed and verified with: `<home>/keys/dev-jwt.key`, 32 random bytes, mode 0600,
 * created on first use (an exclusive create, so two processes never make two secrets).
 *
 * @throws ConfigError when the file has the wrong size or is readable by others
 */
export async function devJwtKey(home: string): Promise<Uint8Array> {
  const file = join(home, DEV_JWT.keyFile);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  try {
    await writeFile(file, randomBytes(DEV_JWT.keyBytes), { flag: 'wx', mode: 0o600 });
    await chmod(file, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const info = await stat(file);
  if ((info.mode & 0o077) !== 0) throw new ConfigError(`${file} is readable by other users: chmod 600 it (or delete it to get a new one)`);
  const key = new Uint8Array(await readFile(file));
  if (key.length !== DEV_JWT.keyBytes) throw new ConfigError(`${file} must hold ${DEV_JWT.keyBytes} bytes; delete it to get a new one`);
  return key;
}

/** Options of {@link signDevToken}. */
export interface DevTokenOptions {
  readonly role: Role;
  /** The `sub` claim. @default `dev:<OS user>` */
  readonly subject?: string;
  /** @default {@link DEV_JWT.defaultTtlSeconds} */
  readonly ttlSeconds?: number;
  /** @default now */
  readonly now?: Date;
}

/**
 * Signs a dev token: `sub`, `cur:role`, `iss`, `aud`, `iat`, `exp`, as the bank's identity provider would issue.
 *
 * @throws ValidationError for a lifetime outside 1 s .. 7 days
 */
export async function signDevToken(key: Uint8Array, options: DevTokenOptions): Promise<string> {
  const ttl = options.ttlSeconds ?? DEV_JWT.defaultTtlSeconds;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > DEV_JWT.maxTtlSeconds) throw new ValidationError(`--ttl must be 1 to ${DEV_JWT.maxTtlSeconds} seconds`);
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ 'cur:role': options.role })
    .setProtectedHeader({ alg: DEV_JWT.algorithm, typ: 'JWT' })
    .setSubject(options.subject ?? `dev:${osUser()}`)
    .setIssuer(DEV_JWT.issuer)
    .setAudience(DEV_JWT.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + ttl)
    .sign(key);
}

/**
 * Verifies a dev token as API Gateway's JWT authorizer verifies the bank's: the signature (HS256 only), issuer,
 * audience, `exp` (required) and `nbf`.
 *
 * @returns the verified claims
 * @throws DevTokenError `expired` or `invalid`
 */
export async function verifyDevToken(key: DevVerifyKey, token: string, now?: Date): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: [DEV_JWT.algorithm],
      issuer: DEV_JWT.issuer,
      audience: DEV_JWT.audience,
      requiredClaims: ['exp', 'sub'],
      clockTolerance: DEV_JWT.clockToleranceSeconds,
      ...(now ? { currentDate: now } : {}),
    });
    return payload;
  } catch (error) {
    throw new DevTokenError(error instanceof joseErrors.JWTExpired ? 'expired' : 'invalid', { cause: error });
  }
}

/**
 * Ready-to-paste curl commands against `cur serve` with dev tokens for two roles (AP, DA): what `cur demo` prints
 * at its end.
 *
 * @param customerToken - a customer token from the served version, for the tag lookup example
 */
export async function devCurlExamples(home: string, options: { baseUrl?: string; customerToken?: string; ttlSeconds?: number } = {}): Promise<string[]> {
  const key = await devJwtKey(home);
  const base = options.baseUrl ?? 'http://127.0.0.1:3000';
  const ttl = options.ttlSeconds ?? 8 * 3600;
  const ap = await signDevToken(key, { role: 'AP', subject: 'dev:demo-app', ttlSeconds: ttl });
  const da = await signDevToken(key, { role: 'DA', subject: 'dev:demo-analyst', ttlSeconds: ttl });
  const token = options.customerToken ?? '<customer token>';
  return [
    `AP=${ap}`,
    `DA=${da}`,
    `curl -s -H "Authorization: Bearer $AP" ${base}/v1/customers/${token}/tags`,
    `curl -s -H "Authorization: Bearer $AP" -H 'content-type: application/json' -d '{"tokens":["${token}"]}' ${base}/v1/customers:batchGet`,
    `curl -s -H "Authorization: Bearer $AP" '${base}/v1/tags/high_value/customers?limit=5'`,
    `curl -s -H "Authorization: Bearer $DA" ${base}/v1/tags`,
    `curl -s -H "Authorization: Bearer $DA" ${base}/v1/segments/MASS/metrics`,
    `curl -s -H "Authorization: Bearer $DA" ${base}/v1/customers/${token}/tags   # 403: DA reads metrics, not customers`,
  ];
}

/** `cur token --role AP [--ttl 3600] [--sub NAME]`: prints a dev bearer token for `cur serve`. */
export function registerTokenCommand(program: Command, context: () => CliContext): void {
  program
    .command('token')
    .description('print a dev bearer token for cur serve, for the --role given (HS256, signed with <CUR_HOME>/keys/dev-jwt.key)')
    .option('--ttl <seconds>', 'lifetime in seconds', String(DEV_JWT.defaultTtlSeconds))
    .option('--sub <subject>', 'the sub claim (who the audit log names)')
    .action(async (options: { ttl: string; sub?: string }) => {
      const ctx = context();
      const ttlSeconds = Number(options.ttl);
      const token = await signDevToken(await devJwtKey(ctx.config.home), { role: ctx.role, ttlSeconds, ...(options.sub ? { subject: options.sub } : {}) });
      ctx.output.line(token);
      ctx.output.info(`role ${ctx.role}, expires in ${ttlSeconds} s; use: curl -H "Authorization: Bearer <token>" http://127.0.0.1:3000/v1/tags`);
    });
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
