import { z } from 'zod';
import { ZONES } from '../zones';

/** The EventBridge `source` of every event the platform itself emits. */
export const PLATFORM_EVENT_SOURCE = 'cur.platform';

const isoDate = z.iso.date();

/** A batch passed its checks and was recorded in the ledger; the pipeline may start on it. */
export const BatchAcceptedSchema = z
  .object({
    batchId: z.string().min(1),
    dataset: z.string(),
    businessDate: isoDate,
    rowCount: z.number().int().nonnegative(),
    dataKey: z.string(),
    controlKey: z.string(),
  })
  .strict();

/** A batch failed a check and was moved to quarantine with a coded reason. */
export const BatchQuarantinedSchema = z
  .object({
    batchId: z.string().min(1),
    dataset: z.string(),
    businessDate: isoDate.optional(),
    reasonCode: z.string(),
    reason: z.string(),
    quarantineKeys: z.array(z.string()),
  })
  .strict();

/** A pipeline step published its output for a batch or a business date. */
export const LayerPublishedSchema = z
  .object({
    step: z.string(),
    zone: z.enum(ZONES),
    datasets: z.array(z.string()).nonempty(),
    businessDate: isoDate,
    manifestKey: z.string(),
    rowCount: z.number().int().nonnegative(),
  })
  .strict();

/** Every platform event by its `detail-type`, the one list the event bus and the handlers share. */
export const PLATFORM_EVENTS = {
  'Batch Accepted': BatchAcceptedSchema,
  'Batch Quarantined': BatchQuarantinedSchema,
  'Layer Published': LayerPublishedSchema,
} as const;

/** A platform event's `detail-type`. */
export type PlatformEventType = keyof typeof PLATFORM_EVENTS;

/** A batch accepted event's detail. */
export type BatchAccepted = z.infer<typeof BatchAcceptedSchema>;
/** A batch quarantined event's detail. */
export type BatchQuarantined = z.infer<typeof BatchQuarantinedSchema>;
/** A layer published event's detail. */
export type LayerPublished = z.infer<typeof LayerPublishedSchema>;
