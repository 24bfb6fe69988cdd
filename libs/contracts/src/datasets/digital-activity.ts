import { defineDataset } from '../dataset-spec';
import { BUSINESS_DATE_PARTITION } from './partitions';

/** Mobile app and internet banking events, from the digital channels. */
export const digitalActivity = defineDataset({
  name: 'digital_activity',
  description: 'One row per digital banking event',
  owner: 'data-engineering',
  schemaVersion: 1,
  zones: ['landing', 'raw', 'transformed'],
  columns: [
    { name: 'event_id', type: 'string', nullable: false, classification: 'public', description: 'event reference from the channel' },
    { name: 'cust_id', type: 'string', nullable: false, classification: 'direct', semantic: 'national_id', description: 'customer national ID; joins customer_profile' },
    { name: 'event_time', type: 'timestamp', nullable: false, classification: 'public', sourceFormat: 'iso_datetime', description: 'event time, local (Asia/Taipei)' },
    { name: 'channel', type: 'string', nullable: false, classification: 'public', allowedValues: ['APP', 'WEB'], description: 'mobile app or internet banking' },
    { name: 'event_type', type: 'string', nullable: false, classification: 'public', allowedValues: ['LOGIN', 'VIEW_PRODUCT', 'TRANSFER', 'PAYMENT', 'APPLY_CARD', 'UPDATE_PROFILE'], description: 'what the customer did' },
    { name: 'device_id', type: 'string', nullable: true, classification: 'direct', semantic: 'device_id', description: 'device identifier' },
    { name: 'ip_address', type: 'string', nullable: true, classification: 'secret', semantic: 'ip_address', description: 'client IP address; never shown to a human role' },
    { name: 'session_seconds', type: 'int', nullable: true, classification: 'public', sourceFormat: 'integer', range: { min: 0, max: 86400 }, description: 'session length in seconds' },
  ],
  primaryKey: ['event_id'],
  partitionColumns: [BUSINESS_DATE_PARTITION],
  references: [{ column: 'cust_id', dataset: 'customer_profile', targetColumn: 'cust_id' }],
});
