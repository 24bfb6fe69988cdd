import type { DqRule, DqdlRuleset, RuleExpression } from './types/ast';

function rulesOf(expression: RuleExpression): DqRule[] {
  return expression.kind === 'rule' ? [expression] : expression.rules.flatMap(rulesOf);
}

/**
 * The reference dataset aliases a ruleset's rules read (`ReferentialIntegrity "a" "customer_profile.{a}"`,
 * `RowCountMatch "x"`, `SchemaMatch "x"`, `DatasetMatch "x" ...`), sorted and without repeats: the views a caller
 * must register in `options.references` before evaluating. CustomSql statements are not inspected.
 *
 * @example
 * referencedDatasets(parseDqdl('Rules = [ RowCountMatch "customer_profile" = 1.0 ]')); // ['customer_profile']
 */
export function referencedDatasets(ruleset: DqdlRuleset): string[] {
  const aliases = new Set<string>();
  for (const rule of ruleset.rules.flatMap((entry) => rulesOf(entry.expression))) {
    const [first, second] = rule.parameters;
    if (rule.ruleType === 'ReferentialIntegrity' && second) aliases.add(second.value.split('.')[0]?.trim() ?? '');
    if (['RowCountMatch', 'SchemaMatch', 'DatasetMatch'].includes(rule.ruleType) && first) aliases.add(first.value.trim());
  }
  aliases.delete('');
  return [...aliases].sort();
}
