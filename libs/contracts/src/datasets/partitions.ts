/** Every batch-fed dataset is partitioned by the business date its control file declares. */
export const BUSINESS_DATE_PARTITION = {
  name: 'business_date',
  type: 'date',
  description: 'business date of the batch, from its control file',
} as const;
