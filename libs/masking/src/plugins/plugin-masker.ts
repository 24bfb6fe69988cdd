import { deriveMethodKey } from '../keys/derive-method-key';
import type { KeyRing } from '../keys/key-ring';
import { MaskingError } from '../masking-error';
import type { ColumnMasker } from '../methods/column-masker';
import { mapDistinct } from '../methods/column-masker';
import type { PluginCallContext } from './masking-plugin';

/** How a masker reaches a plug-in's two functions, whatever the plug-in's kind. */
export interface PluginCalls {
  readonly name: string;
  readonly reversible: boolean;
  call(op: 'mask' | 'unmask', values: readonly string[], context: PluginCallContext): Promise<string[]>;
}

/**
 * Wraps a plug-in as a column masker: distinct values once per batch, nulls kept, and a check that the plug-in
 * answered one token per value. Plug-in tokens carry no version, like FF1's: the column records it.
 */
export function createPluginMasker(calls: PluginCalls, keyGroup: string, keyRing: KeyRing, params: PluginCallContext['params']): ColumnMasker {
  const contextAt = async (version: number): Promise<PluginCallContext> => ({
    keyGroup,
    keyVersion: version,
    key: deriveMethodKey(await keyRing.keyAt(keyGroup, version), 'plugin', keyGroup),
    params,
  });
  const run = async (op: 'mask' | 'unmask', values: string[], context: PluginCallContext): Promise<string[]> => {
    let out: string[];
    try {
      out = await calls.call(op, values, context);
    } catch (error) {
      if (error instanceof MaskingError) throw error;
      throw new MaskingError('PLUGIN_FAILED', `plug-in '${calls.name}' failed to ${op} a batch of ${values.length} values for key group '${keyGroup}'`, { cause: error });
    }
    if (!Array.isArray(out) || out.length !== values.length || out.some((token) => typeof token !== 'string')) {
      throw new MaskingError('PLUGIN_FAILED', `plug-in '${calls.name}' answered ${Array.isArray(out) ? out.length : 'no'} strings for ${values.length} values`);
    }
    return out;
  };
  return {
    method: 'plugin',
    reversible: calls.reversible,
    async mask(values, options) {
      const version = options?.keyVersion ?? (await keyRing.activeVersion(keyGroup));
      const context = await contextAt(version);
      return { tokens: await mapDistinct(values, (distinct) => run('mask', distinct, context), options), keyVersion: version };
    },
    async unmask(tokens, keyVersion) {
      if (!calls.reversible) throw new MaskingError('NOT_REVERSIBLE', `plug-in '${calls.name}' cannot reverse its tokens`);
      if (keyVersion === undefined) throw new MaskingError('TOKEN_INVALID', `plug-in tokens carry no key version: pass the column's key version`);
      const context = await contextAt(keyVersion);
      return mapDistinct(tokens, (distinct) => run('unmask', distinct, context));
    },
  };
}
