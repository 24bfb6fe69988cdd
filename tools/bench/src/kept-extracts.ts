/**
 * Generated extracts kept in a folder between benchmark runs (`--extracts DIR`). The generator is deterministic for a
 * size and seed, so a large size (10M customers: about 40 minutes of generation on 2 cores) can be generated once,
 * ahead of the run that measures the pipeline, and reused by later runs. A marker file written last records the size
 * the folder holds and the summary the run needs; a folder without it, or for another size, is generated again.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GenerateSummary } from '@cur/synthetic';

/** Written only after every file of the generation is complete: its presence means the folder is whole. */
export const KEPT_EXTRACTS_MARKER = 'bench-extracts.json';

/** The size a benchmark generates; a kept folder is reused only for the same one. */
export interface ExtractSize {
  readonly customers: number;
  readonly days: number;
  readonly cardActivity: number;
  readonly seed: number;
}

interface KeptExtracts {
  readonly size: ExtractSize;
  readonly generateSeconds: number;
  readonly summary: GenerateSummary;
}

/**
 * The summary and generation time of the extracts kept in `dir` for `size`, or undefined when the folder has none
 * for that size (no marker, another size, or a data file missing or of another length than generated).
 */
export async function readKeptExtracts(dir: string, size: ExtractSize): Promise<{ summary: GenerateSummary; generateSeconds: number } | undefined> {
  const text = await readFile(join(dir, KEPT_EXTRACTS_MARKER), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const kept = JSON.parse(text) as KeptExtracts;
  const same = (Object.keys(size) as (keyof ExtractSize)[]).every((key) => kept.size?.[key] === size[key]);
  if (!same) return undefined;
  for (const batch of kept.summary.batches) {
    for (const file of [batch.dataFile, batch.controlFile]) {
      const found = await stat(join(dir, file)).catch(() => undefined);
      if (!found?.isFile()) return undefined;
    }
  }
  // The push verifies every data file against its control file's hash and row count: a changed file fails there.
  return { summary: kept.summary, generateSeconds: kept.generateSeconds };
}

/** Marks `dir` as holding the complete extracts of `size`. */
export async function markKeptExtracts(dir: string, size: ExtractSize, summary: GenerateSummary, generateSeconds: number): Promise<void> {
  const kept: KeptExtracts = { size, generateSeconds, summary };
  await writeFile(join(dir, KEPT_EXTRACTS_MARKER), `${JSON.stringify(kept, null, 2)}\n`);
}
