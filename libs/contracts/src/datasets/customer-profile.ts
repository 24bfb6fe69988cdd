import { defineDataset } from '../dataset-spec';
import { BUSINESS_DATE_PARTITION } from './partitions';

/** Customer master data from the core banking system; column order is the landing contract's (PRODUCT.md §5). */
export const customerProfile = defineDataset({
  name: 'customer_profile',
  description: 'One row per customer: identity, contact details and relationship attributes',
  owner: 'data-engineering',
  schemaVersion: 1,
  zones: ['landing', 'raw', 'transformed'],
  columns: [
    { name: 'cust_id', type: 'string', nullable: false, classification: 'direct', semantic: 'national_id', description: 'national ID (letter + 9 digits, checksum-valid)' },
    { name: 'cust_name', type: 'string', nullable: false, classification: 'direct', semantic: 'person_name', description: 'full name, usually Chinese' },
    { name: 'birth_date', type: 'date', nullable: false, classification: 'quasi', semantic: 'birth_date', generaliser: 'birth_year', sourceFormat: 'roc_date', description: 'birth date; ROC calendar YYYMMDD in the extract' },
    { name: 'gender', type: 'string', nullable: false, classification: 'public', allowedValues: ['M', 'F'], description: 'M or F' },
    { name: 'mobile', type: 'string', nullable: true, classification: 'direct', semantic: 'mobile', description: 'mobile number 09xxxxxxxx' },
    { name: 'email', type: 'string', nullable: true, classification: 'direct', semantic: 'email', description: 'e-mail address' },
    { name: 'address', type: 'string', nullable: true, classification: 'quasi', semantic: 'address', generaliser: 'city_district', description: 'postal address, usually Chinese' },
    { name: 'branch_code', type: 'string', nullable: false, classification: 'public', description: 'home branch code (3 digits)' },
    // A quasi-identifier: with birth year, gender, district and branch the full date singled out every demo customer.
    // Stored as its month (YYYY-MM), which is all tenure in months needs.
    { name: 'open_date', type: 'date', nullable: false, classification: 'quasi', generaliser: 'year_month', sourceFormat: 'roc_date', description: 'relationship start date; ROC calendar YYYMMDD in the extract, its month (YYYY-MM) from raw on' },
    { name: 'risk_level', type: 'int', nullable: false, classification: 'public', sourceFormat: 'integer', range: { min: 1, max: 5 }, description: 'KYC risk level 1 (low) to 5 (high)' },
    { name: 'occupation_code', type: 'string', nullable: true, classification: 'public', description: 'occupation code from the bank reference table' },
  ],
  primaryKey: ['cust_id'],
  partitionColumns: [BUSINESS_DATE_PARTITION],
  quasiIdentifiers: ['birth_date', 'gender', 'address', 'branch_code', 'open_date'],
});
