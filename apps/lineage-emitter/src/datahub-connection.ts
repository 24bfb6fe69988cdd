import { z } from 'zod';
import { ConfigError } from '@cur/platform';

/**
 * The one DataHub secret as the emitter reads it: the Airflow connection `datahub_rest_default` in the JSON form
 * MWAA's secrets backend serves (`conn_type` `datahub-rest`, `host`, `password` = DataHub's personal access token,
 * which the datahub-token-rotation function replaces on its schedule). Other keys are ignored.
 */
const DataHubConnectionSchema = z.looseObject({ conn_type: z.literal('datahub-rest'), password: z.string().min(1).optional() });

/**
 * The access token in the connection's text, or undefined before a person seeded one (the CDK's placeholder has
 * none: DataHub then refuses the proposals, which the emitter counts and the alarm reports).
 *
 * @throws ConfigError when the text is not the connection's JSON; the message never quotes the text
 */
export function tokenOfDataHubConnection(text: string, secretId: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = DataHubConnectionSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError(`secret ${secretId} is not the DataHub Airflow connection ({"conn_type":"datahub-rest","host":...,"password":...}); put the connection back (README, DataHub token)`);
  return parsed.data.password;
}
