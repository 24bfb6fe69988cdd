import { z } from 'zod';
import { PIPELINE_TRIGGER_ERROR_CODES, MwaaInvokeError } from './errors';
import type { MwaaRestApiClient } from './mwaa-rest-api-client';

/** One source batch in a DAG run's conf: names, ids and counts only. */
export interface ConfBatch {
  readonly dataset: string;
  readonly batchId: string;
  readonly rowCount: number;
}

/**
 * The conf of a `cur_pipeline` run: the business date the DAG's tasks read (`dag_run.conf['businessDate']`) and the
 * batches of that date the run masks.
 */
export const PipelineRunConfSchema = z
  .object({
    businessDate: z.iso.date(),
    batches: z.array(z.object({ dataset: z.string().min(1), batchId: z.string().min(1), rowCount: z.number().int().nonnegative() }).strict()).nonempty(),
  })
  .strict();

/** The conf of a `cur_pipeline` run. */
export type PipelineRunConf = z.infer<typeof PipelineRunConfSchema>;

/** A DAG run to create. */
export interface DagRunRequest {
  readonly dagId: string;
  /** Deterministic, so a second trigger of the same run is refused by Airflow rather than run twice. */
  readonly dagRunId: string;
  readonly conf: PipelineRunConf;
  /** Shown beside the run in Airflow's UI. */
  readonly note: string;
}

/** Where DAG runs are created: MWAA's Airflow in AWS. */
export interface DagRunStarter {
  /** Creates the run; `exists` when a run with that id is there already (nothing was created). */
  start(run: DagRunRequest): Promise<'created' | 'exists'>;
}

/**
 * The run id of a business date's run: `business_date__<date>`. Matches Airflow's `allowed_run_id_pattern`
 * (`^[A-Za-z0-9_.~:+-]+$`).
 */
export const dagRunIdOf = (businessDate: string): string => `business_date__${businessDate}`;

/**
 * The body of Airflow 3's `POST /api/v2/dags/{dag_id}/dagRuns` (`TriggerDAGRunPostBody`, a strict model): the run id,
 * `logical_date` null (the DAG has no schedule; the date travels in the conf), the conf and a note.
 */
export function triggerDagRunBody(run: DagRunRequest): Record<string, unknown> {
  return { dag_run_id: run.dagRunId, logical_date: null, conf: PipelineRunConfSchema.parse(run.conf), note: run.note };
}

/** Airflow's answer to a created run: the part the trigger reads. */
const CreatedDagRunSchema = z.looseObject({ dag_run_id: z.string(), state: z.string().optional() });

/** MWAA's Airflow REST API as the {@link DagRunStarter}, through `InvokeRestApi`. */
export class MwaaDagRunStarter implements DagRunStarter {
  readonly #client: MwaaRestApiClient;
  readonly #environmentName: string;

  constructor(client: MwaaRestApiClient, environmentName: string) {
    this.#client = client;
    this.#environmentName = environmentName;
  }

  async start(run: DagRunRequest): Promise<'created' | 'exists'> {
    const path = `/dags/${run.dagId}/dagRuns`;
    let answer;
    try {
      answer = await this.#client.invoke({ name: this.#environmentName, path, method: 'POST', body: triggerDagRunBody(run) });
    } catch (error) {
      // Airflow refuses a run id it holds already with 409 Conflict, which MWAA relays as RestApiClientException.
      if (error instanceof MwaaInvokeError && error.errorType === 'RestApiClientException' && error.restApiStatusCode === 409) return 'exists';
      throw error;
    }
    const created = CreatedDagRunSchema.safeParse(answer.restApiResponse);
    if (answer.restApiStatusCode < 200 || answer.restApiStatusCode >= 300 || !created.success || created.data.dag_run_id !== run.dagRunId) {
      throw new MwaaInvokeError(PIPELINE_TRIGGER_ERROR_CODES.dagRunRefused, `Airflow did not create DAG run ${run.dagRunId} of ${run.dagId} (status ${answer.restApiStatusCode})`, {
        errorType: 'UnexpectedRestApiResponse',
        httpStatus: 200,
        restApiStatusCode: answer.restApiStatusCode,
      });
    }
    return 'created';
  }
}
