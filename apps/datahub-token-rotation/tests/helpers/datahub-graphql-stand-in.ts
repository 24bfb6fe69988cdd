import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A token the stand-in knows, as DataHub's `dataHubAccessToken` entity records it. */
export interface StandInToken {
  readonly id: string;
  readonly actorUrn: string;
  readonly name: string;
  readonly duration: string;
  revoked: boolean;
}

/** What a test sees of the stand-in. */
export interface DataHubGraphQlStandIn {
  /** `http://127.0.0.1:<port>`: the GMS endpoint, as SSM would hold it. */
  readonly endpoint: string;
  readonly tokens: Map<string, StandInToken>;
  /** Every GraphQL operation called, in order (`createAccessToken`, ...). */
  readonly calls: string[];
  /** Make `revokeAccessToken` answer with a GraphQL error from now on. */
  failRevocations: boolean;
  /** A token DataHub would have given a person in its UI: valid, for the service user. */
  issue(actorUrn?: string): string;
  close(): Promise<void>;
}

const SERVICE_USER = 'urn:li:corpuser:cur-lineage';

/**
 * A stand-in for DataHub's GMS GraphQL endpoint (`POST /api/graphql`) on loopback, because DataHub's server cannot run
 * on this machine. It answers the three operations of `auth.graphql` the rotation uses, in DataHub's documented
 * shapes: `getAccessTokenMetadata(token)` -> `AccessTokenMetadata { id actorUrn }`, `createAccessToken(input)` ->
 * `AccessToken { accessToken metadata { id } }`, `revokeAccessToken(tokenId)` -> `Boolean!`; a request whose bearer is
 * not a live token is refused with 401 as GMS's authentication filter does, and a failure inside a resolver is a
 * 200 with `errors[].extensions { code, type }` as DataHub's GraphQL engine reports it. Token ids are opaque, as
 * DataHub's (a salted hash of the token) are to a client. It does not check DataHub's privileges.
 */
export async function startDataHubGraphQlStandIn(): Promise<DataHubGraphQlStandIn> {
  const tokens = new Map<string, StandInToken>();
  const calls: string[] = [];
  const mint = (actorUrn: string, name: string, duration: string): { token: string; id: string } => {
    const token = `eyJhbGciOiJIUzI1NiJ9.${randomBytes(24).toString('base64url')}.${randomBytes(16).toString('base64url')}`;
    const id = randomBytes(32).toString('base64');
    tokens.set(token, { id, actorUrn, name, duration, revoked: false });
    return { token, id };
  };
  const graphQlError = (code: number, type: string): unknown => ({ errors: [{ message: `stand-in: ${type}`, locations: [], path: [], extensions: { code, type, classification: 'DataFetchingException' } }], data: null });

  const state = {
    failRevocations: false,
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const send = (status: number, body: unknown): void => {
        response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
      };
      if (request.method !== 'POST' || request.url !== '/api/graphql') return send(404, {});
      const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      const caller = bearer === undefined ? undefined : tokens.get(bearer);
      if (caller === undefined || caller.revoked) return send(401, { message: 'Unauthorized' });
      const { query, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string; variables: Record<string, unknown> };
      if (query.includes('getAccessTokenMetadata(')) {
        calls.push('getAccessTokenMetadata');
        const described = tokens.get(String(variables['token']));
        if (described === undefined || described.revoked) return send(200, graphQlError(500, 'SERVER_ERROR'));
        return send(200, { data: { getAccessTokenMetadata: { urn: `urn:li:dataHubAccessToken:${described.id}`, type: 'ACCESS_TOKEN', id: described.id, name: described.name, actorUrn: described.actorUrn, ownerUrn: described.actorUrn, createdAt: Date.now(), expiresAt: null } } });
      }
      if (query.includes('createAccessToken(')) {
        calls.push('createAccessToken');
        const input = variables['input'] as { type: string; actorUrn: string; duration: string; name: string };
        if (input.type !== 'PERSONAL' || input.actorUrn !== caller.actorUrn) return send(200, graphQlError(403, 'UNAUTHORIZED'));
        const minted = mint(input.actorUrn, input.name, input.duration);
        return send(200, { data: { createAccessToken: { accessToken: minted.token, metadata: { id: minted.id, urn: `urn:li:dataHubAccessToken:${minted.id}`, actorUrn: input.actorUrn, ownerUrn: input.actorUrn, name: input.name } } } });
      }
      if (query.includes('revokeAccessToken(')) {
        calls.push('revokeAccessToken');
        if (state.failRevocations) return send(200, graphQlError(500, 'SERVER_ERROR'));
        const entry = [...tokens.values()].find((token) => token.id === variables['tokenId'] && !token.revoked);
        if (entry === undefined) return send(200, graphQlError(500, 'SERVER_ERROR'));
        entry.revoked = true;
        return send(200, { data: { revokeAccessToken: true } });
      }
      return send(200, graphQlError(400, 'BAD_REQUEST'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const standIn: DataHubGraphQlStandIn = {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tokens,
    calls,
    get failRevocations() {
      return state.failRevocations;
    },
    set failRevocations(value: boolean) {
      state.failRevocations = value;
    },
    issue: (actorUrn = SERVICE_USER) => mint(actorUrn, `seeded by a person ${randomUUID()}`, 'ONE_DAY').token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return standIn;
}
