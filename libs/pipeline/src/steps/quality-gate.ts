import type { Zone } from '@cur/contracts';
import { getDataset, isDatasetName } from '@cur/contracts';
import { evaluateRuleset, hasRuleset, loadRuleset, referencedDatasets, summariseResults, type DqRuleResult, type DqdlRuleset, type Severity, type UniqueKeyGuarantee } from '@cur/dq';
import { StoredDqResultSource, dqResultEvent, type DqEvaluation } from '@cur/dq-alerts';
import type { BlobStore, SqlEngine } from '@cur/platform';
import type { Manifest, ManifestStore } from '@cur/lake';
import type { MaskingPolicy } from '@cur/policy';
import { checkKAnonymity } from '@cur/privacy';
import { DEFAULT_K_ANONYMITY_SEVERITY, kAnonymityRuleResults } from './k-anonymity-rule';

/** The k-anonymity check of the consumption zone's gate. */
export interface KAnonymityGateOptions {
  /** The smallest equivalence class a human view may have. @default DEFAULT_K_THRESHOLD of libs/privacy (5) */
  readonly threshold?: number;
  /**
   * `blocking` stops that date's mart and serving load when a view is below the threshold, like a blocking DQ rule;
   * `warning` only notifies. @default {@link DEFAULT_K_ANONYMITY_SEVERITY} (`warning`)
   */
  readonly severity?: Severity;
}

/** What a quality gate works with. */
export interface QualityGateDependencies {
  readonly system: BlobStore;
  readonly manifests: ManifestStore;
  readonly engine: SqlEngine;
  readonly locate: (bucket: 'raw' | 'transformed' | 'consumption' | 'mart', key: string) => string;
  /**
   * The ruleset of a dataset in a zone, or undefined for none.
   * @default the ruleset files of libs/dq (`<dataset>.<zone>.dqdl`)
   */
  readonly rulesetFor?: (dataset: string, zone: Zone) => Promise<{ readonly name: string; readonly ruleset: DqdlRuleset } | undefined>;
  /** Receives the evaluation event Glue Data Quality would emit; the dq-notifier handles it. */
  readonly onEvaluated?: (event: ReturnType<typeof dqResultEvent>) => Promise<unknown>;
  /**
   * With it, a consumption output that declares quasi-identifiers is also checked for k-anonymity as each human role
   * sees it (the policy's views), one rule result per distinct view, after the ruleset's own rules.
   */
  readonly kAnonymity?: KAnonymityGateOptions & { readonly policy: MaskingPolicy };
  /**
   * The keys the step that published the output makes unique by construction (`uniqueKeysGuaranteedBy`): their
   * `IsPrimaryKey` rules measure completeness and take uniqueness from the step, saying so in the result.
   * @default none: every rule is measured
   */
  readonly uniqueByConstruction?: (manifest: Manifest) => readonly UniqueKeyGuarantee[];
  readonly runId: string;
}

/** The outcome of a gate. */
export interface QualityGateResult {
  readonly evaluation: DqEvaluation;
  readonly blocked: boolean;
  readonly failed: number;
  readonly rules: number;
}

/** Where reference datasets of a ruleset are read from, most refined first. */
const REFERENCE_ZONES: readonly Zone[] = ['consumption', 'transformed', 'raw'];

/**
 * Checks a published output against its DQDL ruleset before the next step reads it: evaluates every rule (plus, on
 * the consumption zone, the k-anonymity check), stores the results in Glue's shape under the run, and hands the
 * evaluation event to the notifier. Returns undefined when the dataset has nothing to check in that zone.
 */
export async function runQualityGate(deps: QualityGateDependencies, zone: Zone, dataset: string, businessDate: string): Promise<QualityGateResult | undefined> {
  const found = await (deps.rulesetFor ?? defaultRuleset)(dataset, zone);
  const manifest = await deps.manifests.get(zone, dataset, businessDate);
  const privacy = zone === 'consumption' && isDatasetName(dataset) && getDataset(dataset).quasiIdentifiers.length > 0 ? deps.kAnonymity : undefined;
  if ((!found && !privacy) || !manifest || zone === 'landing' || zone === 'mart') return undefined;
  const bucket = zone;
  const name = found?.name ?? `${dataset}.${zone}.k-anonymity`;
  await deps.engine.registerParquetView('dq_target', manifest.files.map((key) => deps.locate(bucket, key)));
  const ruleResults: DqRuleResult[] = found ? await evaluateDqdl(deps, found.ruleset, businessDate, deps.uniqueByConstruction?.(manifest) ?? []) : [];
  if (privacy) {
    const measured = await checkKAnonymity(deps.engine, privacy.policy, { dataset: getDataset(dataset), zone, businessDate, view: 'dq_target' }, privacy.threshold === undefined ? {} : { threshold: privacy.threshold });
    ruleResults.push(...kAnonymityRuleResults(measured, { severity: privacy.severity ?? DEFAULT_K_ANONYMITY_SEVERITY, firstRuleNumber: ruleResults.length + 1 }));
  }
  const summary = summariseResults(ruleResults);
  const resultId = `dqresult-${deps.runId}-${zone}-${dataset}`;
  const evaluation: DqEvaluation = {
    resultId,
    rulesetName: name,
    dataset,
    zone,
    businessDate,
    evaluatedAt: new Date().toISOString(),
    score: summary.score,
    ruleResults: ruleResults.map((result) => ({ ...result, EvaluatedMetrics: result.EvaluatedMetrics ?? {}, Labels: result.Labels ?? {} })),
  };
  await new StoredDqResultSource(deps.system).put(evaluation);
  await deps.onEvaluated?.(dqResultEvent(resultId, name, `cur_local_${zone}`, dataset, { passed: summary.numRulesSucceeded, failed: summary.numRulesFailed, skipped: summary.numRulesSkipped }));
  return { evaluation, blocked: summary.blocked, failed: summary.numRulesFailed, rules: ruleResults.length };
}

/** Evaluates a ruleset over `dq_target`, its reference aliases registered from the most refined zone that has them. */
async function evaluateDqdl(deps: QualityGateDependencies, ruleset: DqdlRuleset, businessDate: string, uniqueByConstruction: readonly UniqueKeyGuarantee[]): Promise<DqRuleResult[]> {
  const references: Record<string, string> = {};
  for (const alias of referencedDatasets(ruleset)) {
    for (const referenceZone of REFERENCE_ZONES) {
      const reference = await deps.manifests.get(referenceZone, alias, businessDate);
      if (!reference || referenceZone === 'landing') continue;
      const view = `dq_ref_${alias}`;
      await deps.engine.registerParquetView(view, reference.files.map((key) => deps.locate(referenceZone as 'raw' | 'transformed' | 'consumption', key)));
      references[alias] = view;
      break;
    }
  }
  return evaluateRuleset(ruleset, { engine: deps.engine, view: 'dq_target', references, uniqueByConstruction });
}

async function defaultRuleset(dataset: string, zone: Zone): Promise<{ name: string; ruleset: DqdlRuleset } | undefined> {
  return hasRuleset(dataset, zone) ? loadRuleset(dataset, zone) : undefined;
}
