/** The service name on every log line and trace of this Lambda. */
export const SERVICE_NAME = 'lineage-emitter';

/** The service's metrics (namespace CUR, dimension `service`): counts only. */
export const LINEAGE_EMITTER_METRICS = {
  /** Proposals DataHub accepted. */
  proposalsSent: 'LineageProposalsSent',
  /** Proposals DataHub refused or that were not sent (DataHub down): the alarm's signal. */
  proposalsFailed: 'LineageProposalsFailed',
  /** Emissions that sent nothing: the endpoint or the lake's records could not be read. */
  emissionsNotSent: 'LineageEmissionsNotSent',
} as const;

/** The Glue job states after which a run has ended or a step failed. */
export const TERMINAL_JOB_STATES = ['SUCCEEDED', 'FAILED', 'TIMEOUT', 'STOPPED'] as const;
