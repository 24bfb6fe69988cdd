import { AccessDeniedError } from '@cur/platform';
import type { CustomerLookup, CustomerTokenizer } from '../ports/customer-tokenizer';
import type { Detokenizer } from '../ports/detokenizer';
import type { KeyServiceCaller } from '../ports/key-service-caller';

/** One call the fake key service received: who, what, how many, and whether it was allowed. Never values. */
export interface FakeKeyServiceCall {
  readonly operation: 'lookup' | 'detokenize';
  readonly principal: string;
  readonly role: string;
  readonly bearerToken?: string;
  readonly count: number;
  readonly outcome: 'allowed' | 'refused';
}

/**
 * An in-memory stand-in for the masking-key-service's two customer operations, for tests of code that uses the
 * ports: a fixed table of national IDs and tokens, detokenize for SYSTEM only, and a record of every call as the
 * real service audits it. The real service is exercised over HTTP by `cur serve`'s tests.
 */
export class FakeKeyService implements CustomerTokenizer, Detokenizer {
  readonly calls: FakeKeyServiceCall[] = [];
  readonly #tokens: ReadonlyMap<string, string>;
  readonly #ids: ReadonlyMap<string, string>;
  readonly #keyVersion: number;

  /** @param pairs - national ID -> token */
  constructor(pairs: Readonly<Record<string, string>>, keyVersion = 1) {
    this.#tokens = new Map(Object.entries(pairs));
    this.#ids = new Map(Object.entries(pairs).map(([id, token]) => [token, id]));
    this.#keyVersion = keyVersion;
  }

  /** One fixed table: the key version asked for and the rate limit are not modelled; AP and SYSTEM only, as the real one. */
  async lookup(caller: KeyServiceCaller, nationalId: string, _keyVersion?: number): Promise<CustomerLookup> {
    if (caller.role !== 'AP' && caller.role !== 'SYSTEM') {
      this.#record('lookup', caller, 1, 'refused');
      throw new AccessDeniedError(`role ${caller.role} may not look customers up by national ID`);
    }
    this.#record('lookup', caller, 1, 'allowed');
    // An ID outside the table gets a token no customer has, as a real one would.
    return { token: this.#tokens.get(nationalId) ?? 'Z900000000', keyVersion: this.#keyVersion };
  }

  async detokenize(caller: KeyServiceCaller, tokens: readonly string[], _keyVersion: number | undefined): Promise<readonly (string | null)[]> {
    if (caller.role !== 'SYSTEM') {
      this.#record('detokenize', caller, tokens.length, 'refused');
      throw new AccessDeniedError(`role ${caller.role} may not detokenize: only SYSTEM may, and this refusal is audited`);
    }
    this.#record('detokenize', caller, tokens.length, 'allowed');
    return tokens.map((token) => this.#ids.get(token) ?? null);
  }

  #record(operation: FakeKeyServiceCall['operation'], caller: KeyServiceCaller, count: number, outcome: FakeKeyServiceCall['outcome']): void {
    this.calls.push({ operation, principal: caller.principal, role: caller.role, ...(caller.bearerToken ? { bearerToken: caller.bearerToken } : {}), count, outcome });
  }
}
