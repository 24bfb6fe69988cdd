import { z } from 'zod';
import { DATAHUB_GRAPHQL_PATH, DATAHUB_TIMEOUT_MS } from './constants';
import { TOKEN_ROTATION_ERROR_CODES, TokenRotationError } from './errors';

/** What DataHub says of a token (`AccessTokenMetadata`): its id, which `revokeAccessToken` takes, and its actor. */
export interface AccessTokenFacts {
  readonly id: string;
  readonly actorUrn: string;
}

/** A token DataHub minted, with its id. */
export interface MintedAccessToken {
  readonly accessToken: string;
  readonly id: string;
}

/** `createAccessToken`'s input (`CreateAccessTokenInput`), always of type `PERSONAL`. */
export interface MintAccessTokenInput {
  readonly actorUrn: string;
  readonly duration: string;
  readonly name: string;
  readonly description: string;
}

const GraphQlResponseSchema = z.object({
  data: z.record(z.string(), z.unknown()).nullish(),
  errors: z.array(z.looseObject({ extensions: z.looseObject({ code: z.unknown().optional(), type: z.unknown().optional() }).optional() })).optional(),
});
const MetadataSchema = z.object({ getAccessTokenMetadata: z.object({ id: z.string().min(1), actorUrn: z.string().min(1) }) });
const CreatedSchema = z.object({ createAccessToken: z.object({ accessToken: z.string().min(1), metadata: z.object({ id: z.string().min(1) }) }) });
const RevokedSchema = z.object({ revokeAccessToken: z.boolean() });

const TOKEN_METADATA = 'query curTokenMetadata($token: String!) { getAccessTokenMetadata(token: $token) { id actorUrn } }';
const CREATE_TOKEN = 'mutation curCreateToken($input: CreateAccessTokenInput!) { createAccessToken(input: $input) { accessToken metadata { id } } }';
const REVOKE_TOKEN = 'mutation curRevokeToken($tokenId: String!) { revokeAccessToken(tokenId: $tokenId) }';

/**
 * DataHub's access token API (GMS GraphQL, `auth.graphql`): what a token is, mint one, revoke one, each call
 * authorised by a bearer token. Tokens travel only in request bodies and the `Authorization` header; no error this
 * raises carries a token or DataHub's error text, only the operation, the HTTP status and DataHub's error type.
 */
export class DataHubTokenApi {
  readonly #url: string;

  /** @param endpoint - DataHub's GMS endpoint (`https://host[:port]`), as in SSM. */
  constructor(endpoint: string) {
    this.#url = `${endpoint.replace(/\/+$/, '')}${DATAHUB_GRAPHQL_PATH}`;
  }

  /** `getAccessTokenMetadata(token)`: the token's id and actor, asked with `auth` (the token itself, or another). */
  async describe(auth: string, token: string): Promise<AccessTokenFacts> {
    const data = await this.#call('getAccessTokenMetadata', auth, TOKEN_METADATA, { token });
    return this.#shape('getAccessTokenMetadata', MetadataSchema, data).getAccessTokenMetadata;
  }

  /** `createAccessToken(input)`: a new personal access token for the actor, authorised by `auth`. */
  async mint(auth: string, input: MintAccessTokenInput): Promise<MintedAccessToken> {
    const data = await this.#call('createAccessToken', auth, CREATE_TOKEN, { input: { type: 'PERSONAL', ...input } });
    const created = this.#shape('createAccessToken', CreatedSchema, data).createAccessToken;
    return { accessToken: created.accessToken, id: created.metadata.id };
  }

  /** `revokeAccessToken(tokenId)`: true when DataHub revoked it. */
  async revoke(auth: string, tokenId: string): Promise<boolean> {
    const data = await this.#call('revokeAccessToken', auth, REVOKE_TOKEN, { tokenId });
    return this.#shape('revokeAccessToken', RevokedSchema, data).revokeAccessToken;
  }

  async #call(operation: string, auth: string, query: string, variables: Record<string, unknown>): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(this.#url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${auth}` },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(DATAHUB_TIMEOUT_MS),
      });
    } catch (error) {
      const reason = error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'could not be reached';
      throw new TokenRotationError(TOKEN_ROTATION_ERROR_CODES.DATAHUB_UNAVAILABLE, `DataHub ${operation}: GMS ${reason}; check the endpoint in SSM and the route from the rotation function's subnets`, {
        details: { operation },
      });
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw refused(operation, response.status);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    const parsed = GraphQlResponseSchema.safeParse(body);
    if (!response.ok || !parsed.success) {
      throw new TokenRotationError(TOKEN_ROTATION_ERROR_CODES.DATAHUB_UNAVAILABLE, `DataHub ${operation}: GMS answered ${response.status} without a GraphQL response; Secrets Manager retries the step`, {
        details: { operation, status: response.status },
      });
    }
    const firstError = parsed.data.errors?.[0];
    if (firstError !== undefined) {
      const type = typeof firstError.extensions?.type === 'string' ? firstError.extensions.type : 'UNKNOWN';
      const code = typeof firstError.extensions?.code === 'number' ? firstError.extensions.code : response.status;
      throw refused(operation, code, type);
    }
    return parsed.data.data;
  }

  #shape<T>(operation: string, schema: z.ZodType<T>, data: unknown): T {
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      throw new TokenRotationError(TOKEN_ROTATION_ERROR_CODES.DATAHUB_UNAVAILABLE, `DataHub ${operation}: the answer lacks what auth.graphql declares; is the endpoint DataHub's GMS?`, {
        details: { operation },
      });
    }
    return parsed.data;
  }
}

function refused(operation: string, status: number, type = 'UNAUTHORIZED'): TokenRotationError {
  return new TokenRotationError(
    TOKEN_ROTATION_ERROR_CODES.DATAHUB_TOKEN_REFUSED,
    `DataHub ${operation}: refused (${status}, ${type}); the token is expired, revoked or lacks the 'Generate Personal Access Tokens' privilege: seed the secret with a valid token of the service user again (README, DataHub token)`,
    { details: { operation, status, type } },
  );
}
