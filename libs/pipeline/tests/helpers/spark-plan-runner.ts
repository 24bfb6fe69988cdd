import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { PlanResultSchema, type PlanResult, type StepPlanInput } from '../../src/index';

/** The workspace's Python, which `nx run python-env:setup` creates (the pipeline's test target depends on it). */
export const WORKSPACE_PYTHON = fileURLToPath(new URL('../../../../.venv/bin/python', import.meta.url));

const JobLineSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('succeeded'), result: PlanResultSchema }),
  z.object({ status: z.literal('failed'), error: z.object({ type: z.string(), message: z.string() }) }),
]);

/**
 * Runs plans on local Spark (pyspark 3.5.6, Glue 5.1's engine) through the runner's job, as Glue would run each:
 * `python -m cur_spark.jobs.run_plan --plan a.json --plan b.json ...`, all in one process, so one JVM for the lot.
 * Each plan is written as JSON under `workDir`; Spark's own scratch files go there too (TMPDIR).
 *
 * @returns each plan's result, in order; rejects with the job's error line when a plan failed
 */
export async function runPlansOnSpark(plans: readonly StepPlanInput[], workDir: string): Promise<PlanResult[]> {
  if (!existsSync(WORKSPACE_PYTHON)) throw new Error(`no Python environment at ${WORKSPACE_PYTHON}: run npx nx run python-env:setup`);
  await mkdir(workDir, { recursive: true });
  const files: string[] = [];
  for (const [index, plan] of plans.entries()) {
    const file = join(workDir, `plan-${index}.json`);
    await writeFile(file, JSON.stringify(plan));
    files.push(file);
  }
  const { code, stdout, stderr } = await run(WORKSPACE_PYTHON, ['-m', 'cur_spark.jobs.run_plan', ...files.flatMap((file) => ['--plan', file])], { ...process.env, TMPDIR: workDir });
  const lines = stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JobLineSchema.parse(JSON.parse(line)));
  const failed = lines.find((line) => line.status === 'failed');
  if (failed?.status === 'failed') throw new Error(`Spark job failed: ${failed.error.type}: ${failed.error.message}`);
  if (code !== 0 || lines.length !== plans.length) throw new Error(`Spark job exited ${code} after ${lines.length} of ${plans.length} plan(s): ${stderr.slice(-2000)}`);
  return lines.flatMap((line) => (line.status === 'succeeded' ? [line.result] : []));
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
