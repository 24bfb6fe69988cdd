import { readFile } from 'node:fs/promises';
import { ZONES, isDatasetName, type DatasetName, type Zone } from '@cur/contracts';
import { DqRulesetNotFoundError } from '../dq-error';
import { parseDqdl } from '../dqdl/parse-dqdl';
import type { DqdlRuleset } from '../dqdl/types/ast';

/**
 * The rulesets that ship with the platform, one file per dataset and zone in this folder
 * (`<dataset>.<zone>.dqdl`). A test checks this list against the folder.
 */
export const RULESETS = [
  { dataset: 'customer_profile', zone: 'raw' },
  { dataset: 'card_transaction', zone: 'raw' },
  { dataset: 'customer_profile', zone: 'transformed' },
  { dataset: 'account_balance', zone: 'transformed' },
  { dataset: 'card_transaction', zone: 'transformed' },
  { dataset: 'digital_activity', zone: 'transformed' },
  { dataset: 'customer_features', zone: 'consumption' },
  { dataset: 'customer_tags', zone: 'consumption' },
  { dataset: 'model_tags', zone: 'consumption' },
] as const satisfies readonly { readonly dataset: DatasetName; readonly zone: Zone }[];

/** A ruleset file, read and parsed. */
export interface LoadedRuleset {
  readonly dataset: DatasetName;
  readonly zone: Zone;
  /** The ruleset's name as Glue would know it: `<dataset>_<zone>`. */
  readonly name: string;
  /** Where the file is. */
  readonly url: URL;
  /** The DQDL text as written. */
  readonly text: string;
  readonly ruleset: DqdlRuleset;
}

/** The name of a dataset's ruleset for a zone, as Glue Data Quality names rulesets: `customer_profile_transformed`. */
export function rulesetName(dataset: string, zone: string): string {
  return `${dataset}_${zone}`;
}

/** True when a ruleset ships for the dataset and zone. */
export function hasRuleset(dataset: string, zone: string): boolean {
  return RULESETS.some((entry) => entry.dataset === dataset && entry.zone === zone);
}

/**
 * Reads and parses the ruleset of a dataset in a zone (`src/rulesets/<dataset>.<zone>.dqdl`).
 *
 * @param dataset - a declared dataset name
 * @param zone - a zone of the lake
 * @returns the parsed ruleset with its text
 * @throws DqRulesetNotFoundError when no ruleset ships for that dataset and zone
 * @throws DqdlSyntaxError when the file does not parse
 * @example
 * const { ruleset } = await loadRuleset('customer_profile', 'transformed');
 */
export async function loadRuleset(dataset: string, zone: string): Promise<LoadedRuleset> {
  if (!isDatasetName(dataset) || !(ZONES as readonly string[]).includes(zone) || !hasRuleset(dataset, zone)) {
    const known = RULESETS.map((entry) => `${entry.dataset}/${entry.zone}`).join(', ');
    throw new DqRulesetNotFoundError(`no ruleset for dataset '${dataset}' in zone '${zone}'; rulesets: ${known}`, { details: { dataset, zone } });
  }
  const url = new URL(`./${dataset}.${zone}.dqdl`, import.meta.url);
  const text = await readFile(url, 'utf8');
  return { dataset, zone: zone as Zone, name: rulesetName(dataset, zone), url, text, ruleset: parseDqdl(text) };
}

/**
 * Reads and parses a DQDL file anywhere (`cur dq check --rules FILE`).
 *
 * @throws DqdlSyntaxError when the file does not parse
 */
export async function loadRulesetFile(path: string | URL): Promise<{ readonly text: string; readonly ruleset: DqdlRuleset }> {
  const text = await readFile(path, 'utf8');
  return { text, ruleset: parseDqdl(text) };
}
