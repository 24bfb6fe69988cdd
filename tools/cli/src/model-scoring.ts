import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ModelHistory } from '@cur/model-registry';
import type { ModelScoringPort, ScoringOutcome, ScoringVersion } from '@cur/pipeline';
import { CurError } from '@cur/platform';
import type { Runtime } from '@cur/runtime';

/** The workspace's Python environment, which has `cur_model` (libs/model-training); as `cur model train` uses it. */
const SCORING_PYTHON = fileURLToPath(new URL('../../../.venv/bin/python', import.meta.url));

/** Where `cur model train` keeps a version's model files in the system bucket (`MODEL_ARTEFACT_PREFIX`). */
const ARTEFACT_PREFIX = 'model-history/artefacts';

/** The one JSON line `python -m cur_model.score` prints: counts, the tag and the version, no customer. */
const ScoreLineSchema = z.object({ version_id: z.string(), tag: z.string(), threshold: z.number(), scored: z.number().int().nonnegative(), tagged: z.number().int().nonnegative() }).strict();

/**
 * The scoring step on a laptop: the scoring version is the model history's pointer (`cur model promote`), its
 * `model.joblib` and `model.json` are copied from the system bucket next to the output in the run's scratch area, and
 * `python -m cur_model.score` runs in the workspace's environment. Its stderr is a coded reason without values; it is
 * surfaced as `MODEL_SCORING_FAILED`.
 */
export function localModelScoring(runtime: Runtime): ModelScoringPort {
  const history = new ModelHistory(runtime.keyValueStore);
  const system = runtime.blobStore('system');
  return {
    async scoringVersion(): Promise<ScoringVersion | undefined> {
      const pointer = await history.scoring();
      return pointer ? { versionId: pointer.versionId } : undefined;
    },
    async score(version: ScoringVersion, features: readonly string[], outputPath: string): Promise<ScoringOutcome> {
      const modelDir = join(dirname(outputPath), 'model');
      await mkdir(modelDir, { recursive: true, mode: 0o700 });
      for (const file of ['model.joblib', 'model.json']) await writeFile(join(modelDir, file), await system.get(`${ARTEFACT_PREFIX}/${version.versionId}/${file}`), { mode: 0o600 });
      const args = ['-m', 'cur_model.score', '--model-dir', modelDir, '--version-id', version.versionId, '--output', outputPath, '--features', ...features];
      const { code, stdout, stderr } = await runPython(args);
      if (code !== 0) throw new CurError('MODEL_SCORING_FAILED', `scoring with model version ${version.versionId} failed: ${lastLine(stderr) || `exit ${code}`}`);
      const line = ScoreLineSchema.parse(JSON.parse(lastLine(stdout)));
      return { tag: line.tag, scored: line.scored, tagged: line.tagged };
    },
  };
}

function runPython(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(SCORING_PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => reject(new CurError('MODEL_SCORING_FAILED', `the Python environment could not start (npx nx run python-env:setup): ${error.message}`)));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)?.trim() ?? '';
}
