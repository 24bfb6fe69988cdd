import type { KeyServiceCaller } from './key-service-caller';

/**
 * Turns customer tokens back into national IDs for `?reveal=true`: only the masking-key-service can, only for
 * SYSTEM, and it audits every call, allowed or refused. The retrieval API forwards the request whatever the role,
 * so a refused reveal is audited where every other refusal is.
 */
export interface Detokenizer {
  /**
   * @param keyVersion - the key version of the tokens (FF1 tokens carry none)
   * @throws an `ACCESS_DENIED` error for any role but SYSTEM; ServingError `KEY_SERVICE_FAILED` when the service fails
   */
  detokenize(caller: KeyServiceCaller, tokens: readonly string[], keyVersion: number | undefined): Promise<readonly (string | null)[]>;
}
