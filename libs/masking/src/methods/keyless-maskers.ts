import type { Treatment } from '@cur/policy';
import { MaskingError } from '../masking-error';
import type { ColumnMasker, MaskedBatch } from './column-masker';
import { mapDistinct } from './column-masker';
import { generalize } from './generalize';

/** What `redact` writes instead of a value. */
export const REDACTED_VALUE = '***';

type KeylessTreatment = Extract<Treatment, { method: 'plaintext' | 'partial' | 'generalize' | 'redact' }>;

/**
 * Maskers that need no key: plaintext (public columns), partial (keeps the last N characters: only by an explicit
 * override, since those characters are plaintext), generalize and redact. None of them is reversible but plaintext.
 */
export function createKeylessMasker(treatment: KeylessTreatment, options: { asOf?: string } = {}): ColumnMasker {
  return {
    method: treatment.method,
    reversible: treatment.method === 'plaintext',
    async mask(values, maskOptions): Promise<MaskedBatch> {
      // Public columns pass through untouched: no point looking for repeats.
      if (treatment.method === 'plaintext') return { tokens: [...values], keyVersion: undefined };
      // Today's date once per batch, not once per value (age bands need it; a Date per value cost half of city_district).
      const transform = keylessTransform(treatment, options.asOf ?? new Date().toISOString().slice(0, 10));
      return { tokens: await mapDistinct(values, (distinct) => distinct.map(transform), maskOptions), keyVersion: undefined };
    },
    async unmask(tokens) {
      if (treatment.method === 'plaintext') return [...tokens];
      throw new MaskingError('NOT_REVERSIBLE', `${treatment.method} cannot be reversed`);
    },
  };
}

function keylessTransform(treatment: KeylessTreatment, asOf: string): (value: string) => string {
  switch (treatment.method) {
    case 'plaintext':
      return (value) => value;
    case 'redact':
      return () => REDACTED_VALUE;
    case 'generalize':
      return (value) => generalize(treatment.params.generaliser, value, asOf) ?? '';
    case 'partial': {
      const { keepLast, maskChar } = treatment.params;
      return (value) => {
        const chars = [...value];
        // Short values would be shown whole: mask them entirely.
        if (chars.length <= keepLast * 2) return maskChar.repeat(chars.length);
        return maskChar.repeat(chars.length - keepLast) + chars.slice(-keepLast).join('');
      };
    }
  }
}
