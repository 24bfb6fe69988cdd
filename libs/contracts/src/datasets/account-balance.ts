import { defineDataset } from '../dataset-spec';
import { BUSINESS_DATE_PARTITION } from './partitions';

/** Daily end-of-day balances per account, from the core banking system. */
export const accountBalance = defineDataset({
  name: 'account_balance',
  description: 'End-of-day balance of every account a customer holds',
  owner: 'data-engineering',
  schemaVersion: 1,
  zones: ['landing', 'raw', 'transformed'],
  columns: [
    { name: 'acct_no', type: 'string', nullable: false, classification: 'direct', semantic: 'account_number', description: 'account number (14 digits)' },
    { name: 'cust_id', type: 'string', nullable: false, classification: 'direct', semantic: 'national_id', description: 'owner national ID; joins customer_profile' },
    { name: 'product_type', type: 'string', nullable: false, classification: 'public', allowedValues: ['SAVINGS', 'TIME_DEPOSIT', 'FUND', 'INSURANCE', 'LOAN'], description: 'product family' },
    { name: 'currency', type: 'string', nullable: false, classification: 'public', allowedValues: ['TWD', 'USD', 'JPY', 'EUR', 'CNY'], description: 'ISO 4217 currency' },
    { name: 'balance', type: 'decimal(18,2)', nullable: false, classification: 'public', sourceFormat: 'decimal', description: 'balance in the account currency' },
    { name: 'as_of_date', type: 'date', nullable: false, classification: 'public', sourceFormat: 'roc_date', description: 'balance date; ROC calendar YYYMMDD in the extract' },
    { name: 'branch_code', type: 'string', nullable: false, classification: 'public', description: 'branch holding the account' },
  ],
  primaryKey: ['acct_no', 'as_of_date'],
  partitionColumns: [BUSINESS_DATE_PARTITION],
  references: [{ column: 'cust_id', dataset: 'customer_profile', targetColumn: 'cust_id' }],
});
