/** The service name on every log line and trace of this Lambda. */
export const SERVICE_NAME = 'oracle-replicator';
