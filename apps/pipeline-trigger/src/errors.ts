import { CurError } from '@cur/platform';

/** Codes of the pipeline-trigger's own errors. */
export const PIPELINE_TRIGGER_ERROR_CODES = {
  /** MWAA answered with an error of its own (access denied, unknown environment, throttling, a failure). */
  mwaaFailed: 'MWAA_INVOKE_FAILED',
  /** Airflow's REST API refused the trigger (other than "this run exists already"). */
  dagRunRefused: 'DAG_RUN_REFUSED',
  /** Another delivery of the same batch is being handled. */
  batchInProgress: 'BATCH_TRIGGER_IN_PROGRESS',
} as const;

/** A call to MWAA's InvokeRestApi that did not reach Airflow, or that Airflow answered with an error. */
export class MwaaInvokeError extends CurError {
  /** MWAA's error type (`x-amzn-ErrorType`), e.g. `AccessDeniedException`, `RestApiClientException`. */
  readonly errorType: string;
  /** The Airflow REST API's status, when the call reached Airflow. */
  readonly restApiStatusCode: number | undefined;

  constructor(code: string, message: string, options: { errorType: string; restApiStatusCode?: number; httpStatus: number; cause?: unknown }) {
    super(code, message, {
      details: { errorType: options.errorType, httpStatus: options.httpStatus, ...(options.restApiStatusCode === undefined ? {} : { restApiStatusCode: options.restApiStatusCode }) },
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.name = 'MwaaInvokeError';
    this.errorType = options.errorType;
    this.restApiStatusCode = options.restApiStatusCode;
  }
}
