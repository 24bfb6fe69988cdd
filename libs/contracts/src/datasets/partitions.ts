/** Every batch-fed dataset is partitioned by the business date its control file declares. */
export const BUSINESS_DATE_PARTITION = {
  name: 'business_date',
  type: 'date',
  description: 'business date of the batch, from its control file',
} as const;

/**
 * The rejects of every source dataset share one table, partitioned by the source dataset before the date
 * (`transform_rejects/source_dataset=<dataset>/business_date=<date>/`): each transform writes and registers its own
 * partition, so a Glue job can add it to the catalog without touching another dataset's rejects.
 */
export const SOURCE_DATASET_PARTITION = {
  name: 'source_dataset',
  type: 'string',
  description: 'the source dataset whose transform rejected the rows',
} as const;
