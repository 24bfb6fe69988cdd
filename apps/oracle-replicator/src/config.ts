import { z } from 'zod';
import { ConfigError } from '@cur/platform';

/** The oracle-replicator's own settings, beside the platform's (`loadPlatformConfig`). Read once, on the first event. */
export const OracleReplicatorEnvSchema = z.object({
  CUR_MODE: z.enum(['local', 'aws']).default('local'),
  /**
   * A real Oracle to replicate to, `oracle://user:password@host:port/service`, or `oracles://` over TLS (tests and a
   * DBA's laptop). Locally,
   * unset means the SQLite stand-in under the state folder.
   */
  CUR_ORACLE_URL: z.string().regex(/^oracles?:\/\//, 'oracle://user:password@host:port/service, or oracles:// for TLS').optional(),
  /** RDS for Oracle, `tcps://host:port/service` (AWS: TLS to RDS's `SSL` option, required there), or `host:port/service`. */
  CUR_ORACLE_CONNECT_STRING: z.string().regex(/^(tcps:\/\/)?[A-Za-z0-9.-]+:\d{1,5}\/[A-Za-z0-9_.$-]+$/).optional(),
  /** The Secrets Manager secret with the replica owner's `username` and `password` (AWS). */
  CUR_ORACLE_SECRET_ID: z.string().min(1).optional(),
  /** The schema that owns the replica. @default CUR_REPLICA */
  CUR_ORACLE_SCHEMA: z.string().regex(/^[A-Z][A-Z0-9_$#]{0,127}$/).optional(),
  /** The DMS full-load task the CDK creates (AWS). */
  CUR_DMS_TASK_ARN: z.string().regex(/^arn:aws[a-z-]*:dms:[a-z0-9-]+:\d{12}:task:[A-Za-z0-9-]+$/).optional(),
});

/** Where the replica is and how it is loaded. */
export type OracleReplicatorConfig =
  | { readonly load: 'local-copy'; readonly target: { readonly kind: 'sqlite' } | { readonly kind: 'oracle-url'; readonly url: string; readonly schema?: string } }
  | { readonly load: 'dms'; readonly taskArn: string; readonly target: { readonly kind: 'oracle-secret'; readonly connectString: string; readonly secretId: string; readonly schema?: string } };

/**
 * Reads the replicator's settings: locally a copy of the lake's rows into SQLite (or into `CUR_ORACLE_URL`); in AWS a
 * DMS task into RDS for Oracle, whose credentials come from Secrets Manager.
 *
 * @throws ConfigError naming each variable at fault; in AWS mode `CUR_DMS_TASK_ARN`, `CUR_ORACLE_CONNECT_STRING` (a
 * `tcps://` one) and `CUR_ORACLE_SECRET_ID` are required
 */
export function loadOracleReplicatorConfig(env: NodeJS.ProcessEnv = process.env): OracleReplicatorConfig {
  const parsed = OracleReplicatorEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`invalid oracle-replicator configuration: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  const vars = parsed.data;
  const schema = vars.CUR_ORACLE_SCHEMA === undefined ? {} : { schema: vars.CUR_ORACLE_SCHEMA };
  if (vars.CUR_MODE === 'local') {
    return { load: 'local-copy', target: vars.CUR_ORACLE_URL === undefined ? { kind: 'sqlite' } : { kind: 'oracle-url', url: vars.CUR_ORACLE_URL, ...schema } };
  }
  const missing = (['CUR_DMS_TASK_ARN', 'CUR_ORACLE_CONNECT_STRING', 'CUR_ORACLE_SECRET_ID'] as const).filter((name) => vars[name] === undefined);
  if (missing.length > 0) throw new ConfigError(`invalid oracle-replicator configuration: ${missing.join(', ')} required when CUR_MODE=aws`);
  if (!(vars.CUR_ORACLE_CONNECT_STRING as string).startsWith('tcps://')) {
    throw new ConfigError('invalid oracle-replicator configuration: CUR_ORACLE_CONNECT_STRING must be tcps://host:port/service when CUR_MODE=aws (the replica is reached over TLS only)');
  }
  return { load: 'dms', taskArn: vars.CUR_DMS_TASK_ARN as string, target: { kind: 'oracle-secret', connectString: vars.CUR_ORACLE_CONNECT_STRING as string, secretId: vars.CUR_ORACLE_SECRET_ID as string, ...schema } };
}
