import type { EmitResult, LineageEmitter } from '../ports/lineage-emitter';
import type { MetadataChangeProposal } from '../types/metadata-change-proposal';

/** The codes of a proposal that failed for a reason on DataHub's side or the network's, not the proposal's. */
const TRANSIENT_CODE = /^(HTTP_429|HTTP_5\d\d|NETWORK_ERROR|TIMEOUT)$/;

/** Options of {@link DataHubRestEmitter}. */
export interface DataHubRestEmitterOptions {
  /** DataHub's metadata service (GMS), e.g. `https://datahub.internal:8080`; in AWS, read from SSM by the caller. */
  readonly endpoint: string;
  /** A DataHub personal access token, sent as a bearer token; none for an unauthenticated local GMS. */
  readonly token?: string;
  /** Attempts per proposal on a 429, a 5xx or a network error. @default 3 */
  readonly attempts?: number;
  /** First retry delay; doubles each time. @default 500 */
  readonly backoffMs?: number;
  /** Per-request timeout. @default 10000 */
  readonly timeoutMs?: number;
  /**
   * Proposals in a row still failing with a transient error (429, 5xx, network, timeout) after which DataHub is taken
   * to be down and the rest are reported `NOT_SENT` without trying: a DataHub outage then costs seconds, not one
   * timeout per proposal. @default 5
   */
  readonly maxConsecutiveFailures?: number;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/**
 * Emits proposals to DataHub's REST API, one `POST /aspects?action=ingestProposal` per proposal (Rest.li 2.0, the
 * aspect serialised as a JSON string, as DataHub's Python emitter sends it). Retries 429, 5xx and network errors with
 * backoff; a proposal still refused is counted in the result, never thrown, so a DataHub outage cannot fail a run, and
 * after `maxConsecutiveFailures` proposals in a row failed that way the rest are reported unsent without trying.
 *
 * @example
 * const emitter = new DataHubRestEmitter({ endpoint: gmsUrl, token });
 * const { failed } = await emitter.emit(buildLineage(sources, { stage }));
 */
export class DataHubRestEmitter implements LineageEmitter {
  readonly #options: Required<Omit<DataHubRestEmitterOptions, 'token'>> & { token?: string };

  constructor(options: DataHubRestEmitterOptions) {
    this.#options = { attempts: 3, backoffMs: 500, timeoutMs: 10_000, maxConsecutiveFailures: 5, fetch: globalThis.fetch, ...options, endpoint: options.endpoint.replace(/\/+$/, '') };
  }

  async emit(proposals: readonly MetadataChangeProposal[]): Promise<EmitResult> {
    const failures: EmitResult['failures'][number][] = [];
    let unavailableInARow = 0;
    for (const proposal of proposals) {
      if (unavailableInARow >= this.#options.maxConsecutiveFailures) {
        failures.push({ entityUrn: proposal.entityUrn, aspectName: proposal.aspectName, code: 'NOT_SENT' });
        continue;
      }
      const failure = await this.#send(proposal);
      if (failure) failures.push(failure);
      unavailableInARow = failure !== undefined && TRANSIENT_CODE.test(failure.code) ? unavailableInARow + 1 : 0;
    }
    return { sent: proposals.length - failures.length, failed: failures.length, failures };
  }

  async #send(proposal: MetadataChangeProposal): Promise<EmitResult['failures'][number] | undefined> {
    const { endpoint, token, attempts, backoffMs, timeoutMs, fetch: send } = this.#options;
    const body = JSON.stringify({
      proposal: {
        entityType: proposal.entityType,
        entityUrn: proposal.entityUrn,
        changeType: proposal.changeType,
        aspectName: proposal.aspectName,
        aspect: { value: JSON.stringify(proposal.aspect.json), contentType: 'application/json' },
      },
    });
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-RestLi-Protocol-Version': '2.0.0', ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }) };
    const refused = (code: string, status?: number) => ({ entityUrn: proposal.entityUrn, aspectName: proposal.aspectName, code, ...(status === undefined ? {} : { status }) });
    let last = refused('NOT_SENT');
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, backoffMs * 2 ** (attempt - 2)));
      try {
        const response = await send(`${endpoint}/aspects?action=ingestProposal`, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
        await response.arrayBuffer(); // drain: the body may echo the proposal, which is not for logs either
        if (response.ok) return undefined;
        last = refused(`HTTP_${response.status}`, response.status);
        if (response.status !== 429 && response.status < 500) return last;
      } catch (error) {
        last = refused(error instanceof Error && error.name === 'TimeoutError' ? 'TIMEOUT' : 'NETWORK_ERROR');
      }
    }
    return last;
  }
}
