import { z } from 'zod';

/** The pointer item: the served version and the one before it (kept for readers and cursors still on it). @internal */
export const PointerSchema = z.looseObject({ version: z.string().min(1), previous: z.string().optional(), asOf: z.string(), flippedAt: z.string() });

/** The load lease: who loads, until when (renewed as the load goes). @internal */
export const LeaseSchema = z.looseObject({ owner: z.string(), expiresAt: z.number() });

/** A version's registry item. @internal */
export const VersionItemSchema = z.looseObject({
  version: z.string(),
  status: z.enum(['loading', 'ready', 'abandoned']),
  slot: z.number().int().min(0),
  startedAt: z.string(),
  asOf: z.string(),
  loadedAt: z.string().optional(),
  customers: z.number().int().nonnegative().default(0),
  tags: z.array(z.looseObject({ name: z.string(), customers: z.number(), description: z.string().optional(), owner: z.string().optional() })).default([]),
  tagPageSize: z.number().int().positive(),
  segments: z.array(z.string()).default([]),
  months: z.array(z.string()).default([]),
  customerTokenKeyVersion: z.number().int().positive().optional(),
  sources: z.array(z.string()).default([]),
});

/** A version's registry item. @internal */
export type VersionItem = z.infer<typeof VersionItemSchema>;
