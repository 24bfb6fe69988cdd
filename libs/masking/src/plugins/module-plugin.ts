import { pathToFileURL } from 'node:url';
import { MaskingError } from '../masking-error';
import type { MaskingPlugin, MaskingPluginModule } from './masking-plugin';
import { createPluginMasker } from './plugin-masker';

/**
 * Loads a plug-in written as a JavaScript module that exports `plugin` (see {@link MaskingPluginModule}).
 *
 * @throws MaskingError PLUGIN_FAILED when the module cannot be loaded or does not export a usable `plugin`
 */
export async function loadModulePlugin(modulePath: string): Promise<MaskingPlugin> {
  let loaded: { plugin?: Partial<MaskingPluginModule> };
  try {
    loaded = (await import(pathToFileURL(modulePath).href)) as { plugin?: Partial<MaskingPluginModule> };
  } catch (error) {
    throw new MaskingError('PLUGIN_FAILED', `could not load the masking plug-in module ${modulePath}`, { cause: error });
  }
  const plugin = loaded.plugin;
  if (!plugin || typeof plugin.name !== 'string' || typeof plugin.mask !== 'function' || typeof plugin.reversible !== 'boolean') {
    throw new MaskingError('PLUGIN_FAILED', `${modulePath} must export 'plugin' with name, reversible and mask()`);
  }
  if (plugin.reversible && typeof plugin.unmask !== 'function') {
    throw new MaskingError('PLUGIN_FAILED', `${modulePath} says it is reversible but exports no unmask()`);
  }
  const module = plugin as MaskingPluginModule;
  return {
    name: module.name,
    createMasker: ({ keyGroup, keyRing, params }) =>
      createPluginMasker(
        {
          name: module.name,
          reversible: module.reversible,
          call: async (op, values, context) => (op === 'mask' ? module.mask(values, context) : (module.unmask?.(values, context) ?? [])),
        },
        keyGroup,
        keyRing,
        params,
      ),
    close: () => Promise.resolve(),
  };
}
