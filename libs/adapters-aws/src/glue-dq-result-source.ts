import { GetDataQualityResultCommand, type GlueClient } from '@aws-sdk/client-glue';
import type { Zone } from '@cur/contracts';
import { ZONES } from '@cur/contracts';
import { AdapterError } from '@cur/platform';

/** A rule result as the notifier reads it (Glue's DataQualityRuleResult). */
export interface GlueRuleResult {
  readonly Name: string;
  readonly Description?: string;
  readonly Result: 'PASS' | 'FAIL' | 'ERROR';
  readonly EvaluatedMetrics: Record<string, number>;
  readonly Labels: Record<string, string>;
}

/** A finished evaluation read from Glue. */
export interface GlueDqEvaluation {
  readonly resultId: string;
  readonly rulesetName: string;
  readonly dataset: string;
  readonly zone: Zone;
  readonly businessDate: string;
  readonly evaluatedAt: string;
  readonly score?: number;
  readonly ruleResults: GlueRuleResult[];
}

/**
 * Reads a Data Quality result from Glue (GetDataQualityResult). The zone comes from the catalog database name
 * (`cur_<stage>_<zone>`), the dataset from the table; evaluation messages are dropped here already, since they may
 * quote data.
 */
export class GlueDqResultSource {
  readonly #client: GlueClient;

  constructor(client: GlueClient) {
    this.#client = client;
  }

  async get(resultId: string): Promise<GlueDqEvaluation> {
    let result;
    try {
      result = await this.#client.send(new GetDataQualityResultCommand({ ResultId: resultId }));
    } catch (error) {
      throw new AdapterError(`Glue could not return data quality result '${resultId}'`, { cause: error });
    }
    const table = result.DataSource?.GlueTable;
    const zone = ZONES.find((candidate) => table?.DatabaseName?.endsWith(`_${candidate}`)) ?? 'transformed';
    const started = (result.StartedOn ?? new Date()).toISOString();
    return {
      resultId,
      rulesetName: result.RulesetName ?? 'unnamed',
      dataset: table?.TableName ?? 'unknown',
      zone,
      businessDate: started.slice(0, 10),
      evaluatedAt: (result.CompletedOn ?? result.StartedOn ?? new Date()).toISOString(),
      ...(result.Score === undefined ? {} : { score: result.Score }),
      ruleResults: (result.RuleResults ?? []).map((rule) => ({
        Name: rule.Name ?? 'unnamed rule',
        ...(rule.Description ? { Description: rule.Description } : {}),
        Result: rule.Result === 'PASS' || rule.Result === 'FAIL' ? rule.Result : 'ERROR',
        EvaluatedMetrics: rule.EvaluatedMetrics ?? {},
        Labels: rule.Labels ?? {},
      })),
    };
  }
}
