/** The service name on every log line of this Lambda. */
export const SERVICE_NAME = 'datahub-token-rotation';

/** The four steps Secrets Manager calls a rotation function with, in order. */
export const ROTATION_STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;

/** One rotation step. */
export type RotationStep = (typeof ROTATION_STEPS)[number];

/** Secrets Manager's staging labels. */
export const STAGES = { current: 'AWSCURRENT', pending: 'AWSPENDING' } as const;

/** DataHub GMS's GraphQL path (GMS serves `/api/graphql`; the frontend proxies it as `/api/v2/graphql`). */
export const DATAHUB_GRAPHQL_PATH = '/api/graphql';

/**
 * How long each minted token lives: three rotation periods of 30 days, so one failed rotation leaves two months to
 * fix it before the connection's token expires. DataHub's `AccessTokenDuration`. @default
 */
export const DEFAULT_TOKEN_DURATION = 'THREE_MONTHS';

/** DataHub's `AccessTokenDuration` values (auth.graphql). */
export const ACCESS_TOKEN_DURATIONS = ['ONE_HOUR', 'ONE_DAY', 'ONE_WEEK', 'ONE_MONTH', 'THREE_MONTHS', 'SIX_MONTHS', 'ONE_YEAR', 'NO_EXPIRY'] as const;

/** A DataHub call that does not answer within this is given up (the rotation step fails, Secrets Manager retries). */
export const DATAHUB_TIMEOUT_MS = 10_000;
