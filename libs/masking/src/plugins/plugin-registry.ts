import type { MaskingPlugin } from './masking-plugin';

/** The plug-ins a process may use, by the name policy files give them. */
export class PluginRegistry {
  readonly #plugins = new Map<string, MaskingPlugin>();

  register(plugin: MaskingPlugin): this {
    this.#plugins.set(plugin.name, plugin);
    return this;
  }

  get(name: string): MaskingPlugin | undefined {
    return this.#plugins.get(name);
  }

  /** Stops every plug-in's process. */
  async close(): Promise<void> {
    await Promise.all([...this.#plugins.values()].map((plugin) => plugin.close()));
  }
}
