import { z } from 'zod';
import { ZONES } from '@cur/contracts';

/** One rule's result, in Glue Data Quality's `DataQualityRuleResult` shape (the local evaluator writes the same). */
export const DqRuleResultSchema = z.looseObject({
  Name: z.string(),
  Description: z.string().optional(),
  /** Never shown in a notification: a message may quote data. Metrics are shown instead. */
  EvaluationMessage: z.string().optional(),
  Result: z.enum(['PASS', 'FAIL', 'ERROR']),
  EvaluatedMetrics: z.record(z.string(), z.number()).default({}),
  Labels: z.record(z.string(), z.string()).default({}),
});

/** A rule result. */
export type DqRuleResult = z.infer<typeof DqRuleResultSchema>;

/** One finished evaluation of a ruleset over a dataset's partition. */
export const DqEvaluationSchema = z.object({
  resultId: z.string().min(1),
  rulesetName: z.string(),
  dataset: z.string(),
  zone: z.enum(ZONES),
  businessDate: z.iso.date(),
  evaluatedAt: z.string(),
  score: z.number().min(0).max(1).optional(),
  ruleResults: z.array(DqRuleResultSchema),
});

/** A DQ evaluation. */
export type DqEvaluation = z.infer<typeof DqEvaluationSchema>;

/** Where the notifier reads a finished evaluation's rule results: Glue's API in AWS, the system bucket locally. */
export interface DqResultSource {
  get(resultId: string): Promise<DqEvaluation>;
}
