import type { Treatment } from '@cur/policy';
import type { KeyRing } from '../keys/key-ring';
import { MaskingError } from '../masking-error';
import type { ColumnMasker } from './column-masker';
import { KeyedMasker } from './keyed-masker';
import { createKeylessMasker } from './keyless-maskers';
import type { PluginRegistry } from '../plugins/plugin-registry';

/** What maskers need from outside. */
export interface MaskerDependencies {
  readonly keyRing: KeyRing;
  /** The bank's own encryption programs, by the name the policy file uses. */
  readonly plugins?: PluginRegistry;
  /** ISO date that anchors age bands. @default today */
  readonly asOf?: string;
}

/**
 * The masker for one column's treatment.
 *
 * @param keyGroup - from `policy.keyGroupFor(dataset, column)`: columns of one group share keys, so joins survive
 * @throws MaskingError for `drop` (a dropped column has no values to mask) or an unknown plug-in
 */
export function createColumnMasker(treatment: Treatment, keyGroup: string, dependencies: MaskerDependencies): ColumnMasker {
  switch (treatment.method) {
    case 'ff1':
    case 'daead':
    case 'hmac':
      return new KeyedMasker(treatment, keyGroup, dependencies.keyRing);
    case 'plugin': {
      const plugin = dependencies.plugins?.get(treatment.params.plugin);
      if (!plugin) throw new MaskingError('PLUGIN_FAILED', `no masking plug-in named '${treatment.params.plugin}' is registered`);
      return plugin.createMasker({ keyGroup, keyRing: dependencies.keyRing, params: treatment.params });
    }
    case 'drop':
      throw new MaskingError('VALUE_INVALID', 'a dropped column is left out, not masked');
    default:
      return createKeylessMasker(treatment, dependencies.asOf === undefined ? {} : { asOf: dependencies.asOf });
  }
}
