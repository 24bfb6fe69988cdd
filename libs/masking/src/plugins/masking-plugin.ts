import { z } from 'zod';
import type { KeyRing } from '../keys/key-ring';
import type { ColumnMasker } from '../methods/column-masker';

/** What a plug-in's functions receive with each batch. */
export interface PluginCallContext {
  readonly keyGroup: string;
  readonly keyVersion: number;
  /** A 32-byte key derived for plug-ins from the key group's data key; use it or bring your own. */
  readonly key: Uint8Array;
  /** The `params` of the column's policy entry beyond `plugin`. */
  readonly params: Readonly<Record<string, string | number | boolean>>;
}

/**
 * The contract of a bank-supplied encryption program written as a JavaScript module: export `plugin` with these
 * members. `mask` must be deterministic (same key and value, same token) and keep the batch's order and length.
 *
 * @example
 * export const plugin = { name: 'bank-cipher', reversible: true, mask: (values, ctx) => ..., unmask: (tokens, ctx) => ... };
 */
export interface MaskingPluginModule {
  readonly name: string;
  readonly reversible: boolean;
  mask(values: readonly string[], context: PluginCallContext): Promise<string[]> | string[];
  unmask?(tokens: readonly string[], context: PluginCallContext): Promise<string[]> | string[];
}

/** A registered plug-in: builds a column masker for a key group. */
export interface MaskingPlugin {
  readonly name: string;
  createMasker(context: { keyGroup: string; keyRing: KeyRing; params: Readonly<Record<string, string | number | boolean>> }): ColumnMasker;
  /** Stops whatever the plug-in started (an external process). */
  close(): Promise<void>;
}

/**
 * The JSON-lines protocol of a plug-in that is an external command: one request per line on its stdin, one response
 * per line on its stdout, matched by `id`. The key travels base64-encoded; values and tokens as JSON strings.
 */
export const PluginRequestSchema = z.object({
  id: z.number().int(),
  op: z.enum(['mask', 'unmask']),
  keyGroup: z.string(),
  keyVersion: z.number().int(),
  key: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  values: z.array(z.string()),
});

/** One request to an external plug-in. */
export type PluginRequest = z.infer<typeof PluginRequestSchema>;

/** One response from an external plug-in. */
export const PluginResponseSchema = z.union([
  z.object({ id: z.number().int(), tokens: z.array(z.string()) }),
  z.object({ id: z.number().int(), error: z.object({ code: z.string(), message: z.string() }) }),
]);

/** One response from an external plug-in. */
export type PluginResponse = z.infer<typeof PluginResponseSchema>;
