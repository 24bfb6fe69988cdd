import { defineDataset } from '../dataset-spec';
import { BUSINESS_DATE_PARTITION } from './partitions';

/** Credit and debit card transactions, from the card system. */
export const cardTransaction = defineDataset({
  name: 'card_transaction',
  description: 'One row per card transaction',
  owner: 'data-engineering',
  schemaVersion: 1,
  zones: ['landing', 'raw', 'transformed'],
  columns: [
    { name: 'txn_id', type: 'string', nullable: false, classification: 'public', description: 'transaction reference from the card system' },
    { name: 'card_no', type: 'string', nullable: false, classification: 'direct', semantic: 'card_number', description: 'card number (16 digits)' },
    { name: 'cust_id', type: 'string', nullable: false, classification: 'direct', semantic: 'national_id', description: 'card holder national ID; joins customer_profile' },
    { name: 'txn_time', type: 'timestamp', nullable: false, classification: 'public', sourceFormat: 'iso_datetime', description: 'transaction time, local (Asia/Taipei)' },
    { name: 'merchant_category', type: 'string', nullable: false, classification: 'public', description: 'ISO 18245 merchant category code (4 digits)' },
    { name: 'merchant_name', type: 'string', nullable: true, classification: 'public', description: 'merchant name as printed on the statement' },
    { name: 'amount', type: 'decimal(14,2)', nullable: false, classification: 'public', sourceFormat: 'decimal', description: 'amount in the transaction currency; negative for refunds' },
    { name: 'currency', type: 'string', nullable: false, classification: 'public', allowedValues: ['TWD', 'USD', 'JPY', 'EUR', 'CNY'], description: 'ISO 4217 currency' },
    { name: 'channel', type: 'string', nullable: false, classification: 'public', allowedValues: ['POS', 'ONLINE', 'CONTACTLESS', 'OVERSEAS'], description: 'where the card was used' },
  ],
  primaryKey: ['txn_id'],
  partitionColumns: [BUSINESS_DATE_PARTITION],
  references: [{ column: 'cust_id', dataset: 'customer_profile', targetColumn: 'cust_id' }],
});
