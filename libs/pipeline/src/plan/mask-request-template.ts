import { z } from 'zod';
import type { DatasetSpec } from '@cur/contracts';
import type { MaskingPolicy } from '@cur/policy';
import { PlanIdentifierSchema } from './step-plan';
import { MaskColumnSchema, MASK_REQUEST_VERSION } from './mask-request';
import { schemaSha256 } from '../lake/lake-writer';

/**
 * What the Glue mask job of a dataset knows before any batch arrives: the landing file's columns and which of them to
 * tokenise as which column, decided here from the contracts and the masking policy (never in Python). Rendered at
 * build time into `libs/spark-runner/glue-plans/mask/<dataset>.json` with the plan templates. The job
 * (`cur_spark/jobs/mask.py --dataset D --business-date YYYY-MM-DD`) fills in the rest from the batch's control file
 * (`incoming/<dataset>/<dataset>_<YYYYMMDD>.ctl` in the landing bucket: the data file, its encoding and rows) and its
 * arguments (buckets, the tokenize API), then validates the whole as a mask request. Mirrored by
 * `cur_spark.mask_request.MaskRequestTemplate`.
 */
export const MaskRequestTemplateSchema = z
  .object({
    version: z.literal(MASK_REQUEST_VERSION),
    step: z.literal('mask'),
    dataset: PlanIdentifierSchema,
    columns: z.array(PlanIdentifierSchema).min(1),
    maskColumns: z.array(MaskColumnSchema),
    /** The raw manifest's schema hash (the contract's columns), for the manifest the job publishes with `--bucket_system`. */
    schemaSha256: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();

/** A dataset's mask request template. */
export type MaskRequestTemplate = z.infer<typeof MaskRequestTemplateSchema>;

/**
 * The columns of a dataset the masking policy stores as anything but plaintext, each tokenised as itself: what every
 * mask request of the dataset asks, locally ({@link renderMaskRequest}) and on Glue (the template).
 */
export function maskColumnsOf(dataset: DatasetSpec, policy: MaskingPolicy): MaskRequestTemplate['maskColumns'] {
  return dataset.columns
    .filter((column) => policy.storageTreatmentFor(dataset.name, column.name).method !== 'plaintext')
    .map((column) => ({ column: column.name, tokenize: { dataset: dataset.name, column: column.name } }));
}

/**
 * The mask request template of a source dataset (see {@link MaskRequestTemplateSchema}).
 *
 * @example
 * renderMaskRequestTemplate(getDataset('customer_profile'), createMaskingPolicy()).maskColumns; // cust_id, name, ...
 */
export function renderMaskRequestTemplate(dataset: DatasetSpec, policy: MaskingPolicy): MaskRequestTemplate {
  return MaskRequestTemplateSchema.parse({ version: MASK_REQUEST_VERSION, step: 'mask', dataset: dataset.name, columns: dataset.columns.map((column) => column.name), maskColumns: maskColumnsOf(dataset, policy), schemaSha256: schemaSha256(dataset.columns) });
}
