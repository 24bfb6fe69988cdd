import { z } from 'zod';

/** The connection type of DataHub's REST hook in Airflow (`DatahubRestHook.conn_type`). */
export const DATAHUB_CONNECTION_TYPE = 'datahub-rest';

/**
 * The one DataHub secret: the Airflow connection `datahub_rest_default` in the JSON form Airflow's Secrets Manager
 * backend reads (`conn_type`, `host` the GMS endpoint, `password` the personal access token), which the
 * lineage-emitter reads too. Unknown keys are kept, so a person's additions survive a rotation.
 */
export const DataHubConnectionSchema = z.looseObject({
  conn_type: z.literal(DATAHUB_CONNECTION_TYPE),
  host: z.string().optional(),
  password: z.string().min(1).optional(),
});

/** The connection as stored. */
export type DataHubConnection = z.infer<typeof DataHubConnectionSchema>;

/** The connection's JSON, or undefined when the text is not that JSON (never says why: the text may hold a token). */
export function parseDataHubConnection(text: string): DataHubConnection | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = DataHubConnectionSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
