import type { ColumnSpec, Semantic } from '@cur/contracts';
import type { Treatment } from './treatment';

/**
 * The token method for each kind of direct identifier. Digit and national-ID identifiers keep their format (FF1), so
 * downstream format checks and fixed-width systems still accept them; free text becomes a DAEAD token.
 */
const TOKEN_BY_SEMANTIC: Readonly<Record<Semantic, Treatment>> = {
  national_id: { method: 'ff1', params: { format: 'national_id' } },
  mobile: { method: 'ff1', params: { format: 'mobile' } },
  account_number: { method: 'ff1', params: { format: 'digits' } },
  card_number: { method: 'ff1', params: { format: 'digits' } },
  person_name: { method: 'daead', params: {} },
  email: { method: 'daead', params: {} },
  device_id: { method: 'daead', params: {} },
  address: { method: 'daead', params: {} },
  birth_date: { method: 'daead', params: {} },
  ip_address: { method: 'daead', params: {} },
};

/**
 * What a human role sees of a column when no override says otherwise: plaintext for `public`, a deterministic
 * token for `direct`, the declared generalisation for `quasi`, nothing for `secret`.
 */
export function defaultHumanTreatment(column: ColumnSpec): Treatment {
  switch (column.classification) {
    case 'public':
      return { method: 'plaintext', params: {} };
    case 'direct':
      // The contracts lib guarantees every direct column declares its semantic kind.
      return TOKEN_BY_SEMANTIC[column.semantic ?? 'person_name'];
    case 'quasi':
      return { method: 'generalize', params: { generaliser: column.generaliser ?? 'year_month' } };
    case 'secret':
      return { method: 'drop', params: {} };
  }
}
