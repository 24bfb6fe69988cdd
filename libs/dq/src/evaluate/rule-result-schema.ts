import { z } from 'zod';
import { RULE_OUTCOMES } from '../constants';

/**
 * Validates a stored or received rule result (a run's result file, the notifier's input). Glue's own results have
 * the same fields; `EvaluatedRule` and `Labels` may be missing from older Glue results.
 */
export const DqRuleResultSchema = z.object({
  Name: z.string().min(1),
  Description: z.string(),
  EvaluatedRule: z.string().optional(),
  Result: z.enum(RULE_OUTCOMES),
  EvaluationMessage: z.string().optional(),
  EvaluatedMetrics: z.record(z.string(), z.number()),
  Labels: z.record(z.string(), z.string()).optional(),
});
