import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { trainingJobNamePrefix, type DatasetName } from '@cur/contracts';
import { DuckDbSqlEngine } from '@cur/adapters-local';
import { createContentVerifier, ManifestStore, type Manifest } from '@cur/lake';
import {
  MODEL_EVENT_IDEMPOTENCY_PARTITION,
  MODEL_OWNER_ROLES,
  MODEL_TAGS,
  MODEL_ARTEFACT_PREFIX,
  ModelHistory,
  compareVersions,
  exportModelHistory,
  createModelHistoryHandler,
  trainingJobStateChangeEvent,
  type ModelCaller,
  type ModelVersion,
  type ModelVersionMetrics,
  type TrainingJobEventInput,
} from '@cur/model-registry';
import { TAG_DEFINITIONS } from '@cur/pipeline';
import { AccessDeniedError, ConfigError, CurError, NotFoundError, createLogger } from '@cur/platform';
import type { Runtime } from '@cur/runtime';
import { callerOf } from '../cli-caller';
import type { CliContext } from '../cli-context';
import { isoDateOption } from '../options/iso-date-option';
import { renderTable } from '../output/render-table';
import { UsageError } from '../process/usage-error';
import { localScratchArea } from '../pipeline-wiring';
import { FEATURES_DATASET, LABELS_DATASET, TRAINING_ROLE, trainingChannelTemplate, trainingColumns } from '../model-training-channel';
import { MODEL_KINDS, parseTrainingParams, trainingJobName } from '../model-training-params';
import { awsTrainingOptions, trainInAws } from './model-train-aws';

/** The workspace's Python environment (`npx nx run python-env:setup` makes it), which has `cur_model` (libs/model-training). */
export const MODEL_PYTHON = fileURLToPath(new URL('../../../../.venv/bin/python', import.meta.url));

/** The folder of the SYSTEM scratch area where a training job's channel and outputs live while it runs. */
export const MODEL_SCRATCH_FOLDER = 'model-training';

/** Where a version's model files are kept: the system bucket, as the job's S3 output path in AWS. */
export { MODEL_ARTEFACT_PREFIX, MODEL_EXPORT_PREFIX } from '@cur/model-registry';



/**
 * The tag learnt unless `--target` says otherwise (the training job's own default): common enough on the demo's data
 * (about a fifth of the customers), and its rule's columns (digital events, app share) leave a related signal
 * (logins) among the features. Rules over a sum (AUM) leak through its parts: exclude them with `exclude_features`.
 */
export const DEFAULT_TARGET_TAG = 'digital_native';

/** What SageMaker's image would be in AWS; locally the job runs in the workspace's Python. */
const LOCAL_TRAINING_IMAGE = 'local:.venv/bin/python -m cur_model.train (scikit-learn 1.4.2)';

const FEATURES: DatasetName = FEATURES_DATASET;
const LABELS: DatasetName = LABELS_DATASET;

/**
 * `cur model train | history | compare | promote | rollback`: the SageMaker training job and the model history on a
 * laptop. Training runs the very script SageMaker runs (libs/model-training) on the DS role's view of the lake, and
 * each state change goes through the model-history Lambda's handler as SageMaker's event.
 */
export function registerModelCommands(program: Command, context: () => CliContext): void {
  const model = program.command('model').description('train models on the DS view of the features, and keep their versions');

  model
    .command('train')
    .description('train a propensity model for one rule-based tag on consumption.customer_features as DS sees it (DS only)')
    .addOption(new Option('--target <tag>', `the tag whose propensity is learnt (default ${DEFAULT_TARGET_TAG})`).choices(TAG_DEFINITIONS.map((t) => t.name)))
    .addOption(new Option('--model <kind>', 'the estimator').choices([...MODEL_KINDS]))
    .option('--seed <n>', 'random seed of the split and the estimator (same seed, same model)')
    .option('--date <YYYY-MM-DD>', 'business date of the features (default: the latest published)', isoDateOption)
    .option('--params <k=v...>', 'more hyperparameters, e.g. learning_rate=0.05 max_depth=4 holdout_fraction=0.25 exclude_features=tenure_months')
    .option('--aws', "start the stage's training workflow in AWS (Step Functions cur-<stage>-model-training, then SageMaker) and follow it; needs --date")
    .option('--stage <stage>', 'with --aws: the platform stage (default $CUR_STAGE, else dev)')
    .option('--region <region>', 'with --aws: the AWS region (default $AWS_REGION, else ap-northeast-1)')
    .option('--poll <seconds>', 'with --aws: seconds between progress checks (default 10)')
    .option('--json', 'with --aws: print a JSON summary of the execution and its training job at the end')
    .action(async (options: { target?: string; model?: string; seed?: string; date?: string; params?: string[]; aws?: boolean; stage?: string; region?: string; poll?: string; json?: boolean }) => {
      const ctx = context();
      const hyperparameters = parseTrainingParams(options);
      if (options.aws) return trainInAws(ctx, hyperparameters, awsTrainingOptions(ctx, options));
      for (const flag of ['stage', 'region', 'poll', 'json'] as const) if (options[flag] !== undefined) throw new UsageError(`--${flag} goes with --aws; locally the job runs on this machine`);
      const code = await ctx.withRuntime((runtime) => trainModel(ctx, runtime, hyperparameters, options.date));
      if (code !== 'Completed') ctx.report(code === 'Stopped' ? 'cancelled' : 'failed');
    });

  model
    .command('history')
    .description('the model versions: status, target, metrics, data (DS and SYSTEM whole; DA metrics only)')
    .option('--json', 'print the versions as JSON')
    .option('--chart <file.svg>', 'also draw the trend of --metric across the Completed versions as an SVG chart')
    .option('--metric <name>', 'the metric --chart draws', 'validation:auc')
    .action(async (options: { json?: boolean; chart?: string; metric: string }) => {
      const ctx = context();
      if (options.chart !== undefined && !options.chart.endsWith('.svg')) throw new UsageError('--chart writes an SVG file: give a name ending in .svg');
      const { versions, scoring } = await ctx.withRuntime(async (runtime) => {
        const history = new ModelHistory(runtime.keyValueStore);
        return { versions: await history.listFor(callerOf(ctx)), scoring: (await history.scoring())?.versionId };
      });
      if (options.chart !== undefined) {
        const points = versions.filter((v) => v.status === 'Completed' && v.metrics[options.metric] !== undefined);
        if (points.length === 0) {
          const known = [...new Set(versions.flatMap((v) => Object.keys(v.metrics)))].sort();
          throw new UsageError(`--metric ${options.metric}: no Completed version has it${known.length > 0 ? ` (known: ${known.join(', ')})` : ''}`);
        }
        await writeFile(options.chart, trendChart(options.metric, points.map((v) => ({ label: v.versionId, value: v.metrics[options.metric] ?? 0, scoring: v.versionId === scoring }))));
        ctx.output.info(`chart of ${options.metric} over ${points.length} version(s) written to ${options.chart}`);
      }
      if (options.json) return ctx.output.line(JSON.stringify({ scoring: scoring ?? null, versions }, null, 2));
      if (versions.length === 0) return ctx.output.line('no model versions yet: cur --role DS model train');
      const header = ['version', 'status', 'target', 'created', 'validation:auc', 'data', ''];
      ctx.output.line(renderTable(header, versions.map((v) => [v.versionId, v.status, v.targetTag ?? '', v.createdAt.slice(0, 19), metric(v, 'validation:auc'), dataOf(v), v.versionId === scoring ? 'scoring' : ''])));
    });

  model
    .command('compare')
    .description('how two versions differ: metrics, hyperparameters, training data, and on Spark SQL the PSI of scores and features and the tag churn (DA: metrics, PSI and churn)')
    .argument('<a>', 'a version id (cur model history lists them)')
    .argument('<b>', 'another version id')
    .option('--json', 'print the comparison as JSON')
    .option('--metrics-only', 'skip scoring and the Spark SQL analyses (PSI, churn)')
    .addOption(new Option('--threshold <p>', 'score at which a customer carries the model\'s tag, for the churn').default('0.5'))
    .action(async (a: string, b: string, options: { json?: boolean; metricsOnly?: boolean; threshold: string }) => {
      const ctx = context();
      const caller = callerOf(ctx);
      const threshold = Number(options.threshold);
      if (!(threshold > 0 && threshold < 1)) throw new UsageError('--threshold is a probability strictly between 0 and 1, e.g. 0.5');
      if (a === b) throw new UsageError('cur model compare takes two different versions');
      const comparison = await ctx.withRuntime(async (runtime) => {
        const history = new ModelHistory(runtime.keyValueStore);
        const versions = await history.listFor(caller);
        const find = (id: string): ModelVersion | ModelVersionMetrics => {
          const found = versions.find((v) => v.versionId === id);
          if (!found) throw new NotFoundError(`no model version ${id}; list them with: cur model history`, { details: { versionId: id } });
          return found;
        };
        const [x, y] = [find(a), find(b)];
        const full = compareVersions(asVersion(x), asVersion(y));
        const base = MODEL_OWNER_ROLES.includes(caller.role) ? full : { a: full.a, b: full.b, metrics: full.metrics };
        if (options.metricsOnly) return base;
        // The analyses need the versions whole (model files, training data): read here, never printed to DA.
        const stability = await stabilityOf(ctx, runtime, [await history.get(a), await history.get(b)], threshold);
        return { ...base, stability };
      });
      if (options.json) return ctx.output.line(JSON.stringify(comparison, null, 2));
      const rows = comparison.metrics.map((m) => [m.name, fmt(m.a), fmt(m.b), m.delta === undefined ? '' : signed(m.delta)]);
      ctx.output.line(renderTable(['metric', a, b, 'b - a'], rows));
      if ('hyperparameters' in comparison) {
        ctx.output.line();
        ctx.output.line(comparison.hyperparameters.length === 0 ? 'same hyperparameters' : renderTable(['hyperparameter', a, b], comparison.hyperparameters.map((h) => [h.name, h.a ?? '', h.b ?? ''])));
        ctx.output.line();
        ctx.output.line(comparison.sameData ? 'same training data (identical content hashes)' : `training data differs: only in ${a}: ${comparison.dataOnlyInA.join('; ') || 'none'}; only in ${b}: ${comparison.dataOnlyInB.join('; ') || 'none'}`);
        if (comparison.codeVersion.a !== comparison.codeVersion.b) ctx.output.line(`code: ${comparison.codeVersion.a ?? '?'} -> ${comparison.codeVersion.b ?? '?'}`);
      }
      if ('stability' in comparison) {
        const { scorePsi, churn, featurePsi, population } = comparison.stability;
        ctx.output.line();
        ctx.output.line(`on ${population.customers} customers of ${population.businessDate} (${comparison.stability.from} -> ${comparison.stability.to}):`);
        ctx.output.line(`  score PSI ${scorePsi.toFixed(4)} (${psiLabel(scorePsi)})`);
        ctx.output.line(`  tag churn at score >= ${threshold}: ${churn.entered} entered, ${churn.left} left, ${churn.stayed} stayed`);
        const top = [...featurePsi].sort((p, q) => q.psi - p.psi).slice(0, 5);
        ctx.output.line(`  feature PSI of the training data, highest: ${top.map((f) => `${f.feature} ${f.psi.toFixed(4)}`).join(', ') || 'none'}`);
      }
    });

  model
    .command('promote')
    .description('make a completed version the scoring version (DS and SYSTEM; audited)')
    .argument('<version>', 'a version id (cur model history lists them)')
    .action(async (version: string) => {
      const ctx = context();
      const pointer = await ctx.withRuntime((runtime) => new ModelHistory(runtime.keyValueStore).promote(version, callerOf(ctx)));
      ctx.output.line(`scoring version: ${pointer.versionId} (revision ${pointer.revision})`);
    });

  model
    .command('rollback')
    .description('make the version promoted before the current one the scoring version again (DS and SYSTEM; audited)')
    .action(async () => {
      const ctx = context();
      const pointer = await ctx.withRuntime((runtime) => new ModelHistory(runtime.keyValueStore).rollback(callerOf(ctx)));
      ctx.output.line(`scoring version: ${pointer.versionId} (revision ${pointer.revision})`);
    });
}

/**
 * Rewrites the model history's exports (`model_history`, `model_score_distributions`) in the system bucket: libs/model-registry's
 * `exportModelHistory`, the code the model-history Lambda runs after each final status in AWS, on a one-thread DuckDB.
 */
async function exportHistoryTables(runtime: Runtime, scratch: string): Promise<void> {
  const engine = await DuckDbSqlEngine.open({ threads: 1 });
  try {
    await exportModelHistory({ keyValueStore: runtime.keyValueStore, system: runtime.blobStore('system'), engine, scratchDir: scratch });
  } finally {
    await engine.close();
  }
}

/** What the Spark SQL analyses say of two versions (the older first): aggregates only. */
interface Stability {
  readonly from: string;
  readonly to: string;
  readonly threshold: number;
  readonly population: { readonly businessDate: string; readonly customers: number };
  readonly scorePsi: number;
  readonly featurePsi: readonly { readonly feature: string; readonly psi: number }[];
  readonly churn: { readonly entered: number; readonly left: number; readonly stayed: number };
}

const AnalysisSchema = z.object({
  score_psi: z.array(z.object({ previous_version: z.string(), version_id: z.string(), psi: z.number() })).length(1),
  feature_psi: z.array(z.object({ feature: z.string(), psi: z.number() })),
  tag_churn: z.array(z.object({ entered: z.number().int(), left_tag: z.number().int(), stayed: z.number().int() })).length(1),
});

/**
 * Scores the latest DS view of the features with both versions and runs the Spark SQL history analyses on them
 * (`python -m cur_model.compare`): score PSI, PSI of each numeric feature between the versions' training data, and
 * the tag churn. The scores (keyed by customer token) stay in the SYSTEM scratch area, removed at the end.
 */
async function stabilityOf(ctx: CliContext, runtime: Runtime, versions: readonly [ModelVersion, ModelVersion], threshold: number): Promise<Stability> {
  const lake = runtime.localLakeDir;
  if (lake === undefined) throw new ConfigError('cur model compare scores locally; in AWS run the analyses on EMR or Glue');
  for (const version of versions) {
    if (version.status !== 'Completed') throw new CurError('MODEL_VERSION_NOT_COMPLETED', `model version ${version.versionId} is ${version.status}: only Completed versions can be scored (or pass --metrics-only)`, { details: { versionId: version.versionId } });
  }
  const work = join(localScratchArea(runtime), MODEL_SCRATCH_FOLDER, `compare-${randomBytes(4).toString('hex')}`);
  try {
    ctx.output.info('[compare] reading the latest customer_features as DS sees it');
    const [population] = await exportTrainingChannel(runtime, lake, join(work, 'population'), undefined);
    const system = runtime.blobStore('system');
    const entries = [];
    for (const version of versions) {
      const modelDir = join(work, 'models', version.versionId);
      await mkdir(modelDir, { recursive: true, mode: 0o700 });
      for (const file of ['model.joblib', 'model.json']) await writeFile(join(modelDir, file), await system.get(`${MODEL_ARTEFACT_PREFIX}/${version.versionId}/${file}`), { mode: 0o600 });
      const trainedOn = version.data.find((d) => d.dataset === FEATURES)?.businessDate;
      const channel = join(work, 'trained-on', trainedOn ?? 'unknown');
      if (!existsSync(channel)) await exportTrainingChannel(runtime, lake, channel, trainedOn);
      entries.push({ version_id: version.versionId, target_tag: version.targetTag ?? 'unknown', status: version.status, created_at: version.createdAt, metrics: version.metrics, model_dir: modelDir, training_channel: channel });
    }
    await writeFile(join(work, 'request.json'), JSON.stringify({ threshold, population: join(work, 'population'), versions: entries }), { mode: 0o600 });
    ctx.output.info('[compare] scoring with both versions and running the Spark SQL analyses (local Spark)');
    const lines: string[] = [];
    const code = await runPython(['-m', 'cur_model.compare', '--request', join(work, 'request.json'), '--work', join(work, 'job')], work, {}, (line, stream) => {
      if (stream === 'stdout') lines.push(line);
      else if (line.startsWith('error: ')) ctx.output.info(`[compare] ${line}`);
    }, ctx.signal);
    if (code !== 0) throw new CurError('MODEL_COMPARE_FAILED', `the Spark SQL comparison of ${versions[0].versionId} and ${versions[1].versionId} failed (exit ${code ?? 'signal'})`);
    const result = AnalysisSchema.parse(JSON.parse(lines.at(-1) ?? '{}'));
    const [psi] = result.score_psi;
    const [churn] = result.tag_churn;
    return {
      from: psi?.previous_version ?? '',
      to: psi?.version_id ?? '',
      threshold,
      population: { businessDate: population?.businessDate ?? '', customers: population?.rowCount ?? 0 },
      scorePsi: psi?.psi ?? 0,
      featurePsi: result.feature_psi.map((f) => ({ feature: f.feature, psi: f.psi })),
      churn: { entered: churn?.entered ?? 0, left: churn?.left_tag ?? 0, stayed: churn?.stayed ?? 0 },
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * An SVG line chart of one metric across versions, oldest first: version ids, metric values and the scoring mark,
 * nothing else (no data value, no token).
 */
export function trendChart(metric: string, points: readonly { readonly label: string; readonly value: number; readonly scoring: boolean }[]): string {
  const [width, height, left, right, top, bottom] = [760, 420, 70, 20, 40, 150];
  const values = points.map((p) => p.value);
  const spread = Math.max(...values) - Math.min(...values);
  const low = Math.min(...values) - (spread === 0 ? 0.05 : spread * 0.1);
  const high = Math.max(...values) + (spread === 0 ? 0.05 : spread * 0.1);
  const x = (i: number): number => left + (points.length === 1 ? (width - left - right) / 2 : (i * (width - left - right)) / (points.length - 1));
  const y = (v: number): number => top + ((high - v) * (height - top - bottom)) / (high - low);
  const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => low + f * (high - low));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escape(metric)} by model version</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${left}" y="24" font-size="16">${escape(metric)} by model version</text>`,
    ...ticks.map((t) => `<line x1="${left}" x2="${width - right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#ddd"/><text x="${left - 8}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${t.toFixed(3)}</text>`),
    `<polyline fill="none" stroke="#1f77b4" stroke-width="2" points="${points.map((p, i) => `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ')}"/>`,
    ...points.map(
      (p, i) =>
        `<circle cx="${x(i).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="${p.scoring ? 6 : 4}" fill="${p.scoring ? '#d62728' : '#1f77b4'}"><title>${escape(p.label)}: ${p.value.toFixed(4)}${p.scoring ? ' (scoring)' : ''}</title></circle>` +
        `<text transform="translate(${x(i).toFixed(1)},${height - bottom + 14}) rotate(40)" font-size="10">${escape(p.label)}${p.scoring ? ' *' : ''}</text>`,
    ),
    `<text x="${width - right}" y="${height - 8}" text-anchor="end" font-size="10">* the scoring version</text>`,
    '</svg>',
    '',
  ].join('\n');
}

/** The usual reading of a PSI: under 0.1 stable, under 0.25 a moderate shift, else a major one. */
function psiLabel(psi: number): string {
  return psi < 0.1 ? 'stable' : psi < 0.25 ? 'moderate shift' : 'major shift';
}

/** Runs the workspace's Python with `args`; each output line to `onLine`; Ctrl-C and SIGTERM stop it. */
async function runPython(args: readonly string[], cwd: string, extraEnv: Record<string, string>, onLine: (line: string, stream: 'stdout' | 'stderr') => void, signal: AbortSignal): Promise<number | null> {
  const child = spawn(MODEL_PYTHON, [...args], { cwd, env: { ...process.env, PYTHONUNBUFFERED: '1', ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = (): void => {
    child.kill('SIGTERM');
  };
  signal.addEventListener('abort', stop, { once: true });
  const forward = (stream: NodeJS.ReadableStream, name: 'stdout' | 'stderr'): Promise<void> =>
    new Promise((done) => {
      const lines = createInterface({ input: stream });
      lines.on('line', (line) => onLine(line, name));
      lines.on('close', done);
    });
  try {
    const [code] = await Promise.all([
      new Promise<number | null>((done, fail) => {
        child.on('error', fail);
        child.on('close', (exitCode) => done(exitCode));
      }),
      forward(child.stdout, 'stdout'),
      forward(child.stderr, 'stderr'),
    ]);
    return code;
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

/** One training run: the DS view to the channel, the job, each state change to the model history. */
async function trainModel(ctx: CliContext, runtime: Runtime, hyperparameters: Record<string, string>, date: string | undefined): Promise<'Completed' | 'Failed' | 'Stopped'> {
  if (ctx.role !== TRAINING_ROLE) throw new AccessDeniedError(`only ${TRAINING_ROLE} trains models (run: cur --role DS model train); role ${ctx.role} may not`, { details: { role: ctx.role } });
  const lake = runtime.localLakeDir;
  if (lake === undefined) throw new ConfigError('cur model train runs the job locally; in AWS it is a SageMaker training job');
  if (!existsSync(MODEL_PYTHON)) throw new ConfigError(`the workspace's Python environment is missing (${MODEL_PYTHON}): run npx nx run python-env:setup`);
  const caller = callerOf(ctx);
  const target = hyperparameters['target_tag'] ?? DEFAULT_TARGET_TAG;
  const createdAt = new Date();
  const jobName = trainingJobName(ctx.config.stage, target, createdAt, randomBytes(2).toString('hex'));

  const scratch = join(localScratchArea(runtime), MODEL_SCRATCH_FOLDER);
  await rm(scratch, { recursive: true, force: true });
  const jobDir = join(scratch, jobName);
  const channel = join(jobDir, 'input', 'data', 'train');
  try {
    ctx.output.info(`[${jobName}] Starting: reading consumption as ${TRAINING_ROLE} sees it`);
    const manifests = await exportTrainingChannel(runtime, lake, channel, date);
    const businessDate = manifests[0]?.businessDate ?? '';
    ctx.output.info(`[${jobName}] Downloading: ${manifests.map((m) => `${m.dataset} ${m.businessDate} (${m.rowCount} rows)`).join(', ')}`);
    const tags: Record<string, string> = {
      [MODEL_TAGS.startedBy]: caller.principal,
      [MODEL_TAGS.role]: caller.role,
      [MODEL_TAGS.codeVersion]: codeVersion(),
      [MODEL_TAGS.targetTag]: target,
      ...Object.fromEntries(manifests.map((m, i) => [`${MODEL_TAGS.dataPrefix}${i + 1}`, `${m.zone}/${m.dataset}/${m.businessDate}/${m.contentSha256}`])),
    };
    const base = { jobName, createdAt, hyperparameters, tags, trainingImage: LOCAL_TRAINING_IMAGE };
    const record = recorder(runtime, caller, trainingJobNamePrefix(ctx.config.stage));
    await record({ ...base, status: 'InProgress', secondaryStatus: 'Training', at: new Date() });

    await mkdir(join(jobDir, 'input', 'config'), { recursive: true, mode: 0o700 });
    await writeFile(join(jobDir, 'input', 'config', 'hyperparameters.json'), JSON.stringify(hyperparameters), { mode: 0o600 });
    const trainingStarted = new Date();
    const run = await runTrainingJob(ctx, jobDir, jobName);
    const ended = new Date();
    const transitions = [
      { status: 'Starting', start: createdAt, end: trainingStarted },
      { status: 'Training', start: trainingStarted, end: ended },
    ];
    if (run.exit === 'stopped') {
      await record({ ...base, status: 'Stopped', secondaryStatus: 'Stopped', at: ended, transitions: [...transitions, { status: 'Stopped', start: ended, end: ended }] });
      ctx.output.info(`[${jobName}] Stopped by a signal; the version is recorded as Stopped`);
      await exportHistoryTables(runtime, jobDir);
      return 'Stopped';
    }
    if (run.exit === 'failed') {
      const reason = (await readFile(join(jobDir, 'output', 'failure'), 'utf8').catch(() => '')).trim() || 'AlgorithmError: the training script failed [TRAINING_FAILED]';
      await record({ ...base, status: 'Failed', secondaryStatus: 'Failed', at: ended, failureReason: reason, transitions: [...transitions, { status: 'Failed', start: ended, end: ended }] });
      ctx.output.error(`training job ${jobName} failed: ${reason}`);
      await exportHistoryTables(runtime, jobDir);
      return 'Failed';
    }
    const summary = JSON.parse(await readFile(join(jobDir, 'model', 'model.json'), 'utf8')) as { metrics: Record<string, number>; rows: Record<string, number>; features: { numeric: string[]; categorical: string[] } };
    const system = runtime.blobStore('system');
    const artefactPrefix = `${MODEL_ARTEFACT_PREFIX}/${jobName}`;
    for (const file of await readdir(join(jobDir, 'model'))) await system.put(`${artefactPrefix}/${file}`, await readFile(join(jobDir, 'model', file)));
    const uploaded = new Date();
    await record({
      ...base,
      status: 'Completed',
      secondaryStatus: 'Completed',
      at: uploaded,
      metrics: summary.metrics,
      modelArtifact: `system/${artefactPrefix}/`,
      transitions: [...transitions, { status: 'Uploading', start: ended, end: uploaded }, { status: 'Completed', start: uploaded, end: uploaded }],
    });
    const auc = summary.metrics['validation:auc'];
    ctx.output.line(`model version ${jobName}: Completed`);
    ctx.output.line(
      `  target ${target}, ${summary.features.numeric.length + summary.features.categorical.length} features, trained on ${summary.rows['train']} customers of ${businessDate}, holdout ${summary.rows['holdout']}`,
    );
    ctx.output.line(`  validation:auc ${auc === undefined ? '?' : auc.toFixed(4)}, artefacts in ${join(lake, 'system', artefactPrefix)}`);
    ctx.output.line(`  see it with: cur --role DS model history; make it the scoring version with: cur --role DS model promote ${jobName}`);
    await exportHistoryTables(runtime, jobDir);
    return 'Completed';
  } finally {
    // The channel holds the DS view (tokens, no plaintext), the outputs are copied: nothing is left in scratch.
    await rm(jobDir, { recursive: true, force: true });
  }
}

/**
 * Writes the training channel: `customer_features` and `customer_tags` of one business date with exactly the DS
 * role's columns (the policy's view, as `cur query --role DS` shows them), each file checked against its manifest
 * first, and `dataset.json` generated from the contracts (columns, classification, keys) and the tag definitions.
 */
async function exportTrainingChannel(runtime: Runtime, lake: string, channel: string, date: string | undefined): Promise<Manifest[]> {
  const manifests = new ManifestStore(runtime.blobStore('system'), { verify: createContentVerifier((zone) => runtime.blobStore(zone)) });
  const features = date === undefined ? await manifests.latest('consumption', FEATURES) : await manifests.get('consumption', FEATURES, date);
  if (!features) throw new NotFoundError(`no published consumption.${FEATURES}${date === undefined ? '' : ` for ${date}`}: run cur demo or cur run first`, { details: { dataset: FEATURES } });
  const labels = await manifests.get('consumption', LABELS, features.businessDate);
  if (!labels) throw new NotFoundError(`no published consumption.${LABELS} for ${features.businessDate}: run cur run --date ${features.businessDate}`, { details: { dataset: LABELS } });
  await mkdir(channel, { recursive: true, mode: 0o700 });
  const engine = await DuckDbSqlEngine.open({ threads: 2 });
  try {
    for (const [folder, manifest] of [['features', features], ['labels', labels]] as const) {
      const columns = trainingColumns(manifest.dataset as DatasetName);
      await engine.registerParquetView(folder, manifest.files.map((key) => join(lake, manifest.zone, ...key.split('/'))));
      await mkdir(join(channel, folder), { recursive: true, mode: 0o700 });
      await engine.writeParquet(`SELECT ${columns.map((c) => `"${c.name}"`).join(', ')} FROM "${folder}"`, join(channel, folder, 'part-0.parquet'));
    }
  } finally {
    await engine.close();
  }
  const { format, role, ...tables } = trainingChannelTemplate({ features: ['features/part-0.parquet'], labels: ['labels/part-0.parquet'] });
  const description = {
    format,
    role,
    business_date: features.businessDate,
    ...tables,
    lineage: [features, labels].map((m) => ({ zone: m.zone, dataset: m.dataset, business_date: m.businessDate, content_sha256: m.contentSha256, rows: m.rowCount })),
  };
  await writeFile(join(channel, 'dataset.json'), JSON.stringify(description, null, 2), { mode: 0o600 });
  return [features, labels];
}

/** Runs `python -m cur_model.train` with SageMaker's variables; its progress and metric lines become progress here. */
async function runTrainingJob(ctx: CliContext, jobDir: string, jobName: string): Promise<{ exit: 'completed' | 'failed' | 'stopped' }> {
  const env = {
    SM_INPUT_CONFIG_DIR: join(jobDir, 'input', 'config'),
    SM_CHANNEL_TRAIN: join(jobDir, 'input', 'data', 'train'),
    SM_MODEL_DIR: join(jobDir, 'model'),
    SM_OUTPUT_DIR: join(jobDir, 'output'),
    SM_OUTPUT_DATA_DIR: join(jobDir, 'output', 'data'),
    SM_CURRENT_HOST: 'algo-1',
    SM_TRAINING_ENV: JSON.stringify({ job_name: jobName }),
  };
  const code = await runPython(['-m', 'cur_model.train'], jobDir, env, (line) => ctx.output.info(`[${jobName}] ${line.replace(/^progress: /, '')}`), ctx.signal);
  if (ctx.signal.aborted) return { exit: 'stopped' };
  return { exit: code === 0 ? 'completed' : 'failed' };
}

/** Each state change goes to the model-history Lambda's handler as SageMaker's event would. */
function recorder(runtime: Runtime, caller: ModelCaller, prefix: string): (input: Omit<TrainingJobEventInput, 'region' | 'account'>) => Promise<void> {
  const handle = createModelHistoryHandler(async () => ({
    keyValueStore: runtime.keyValueStore,
    idempotencyStore: await runtime.idempotencyStore('model-history', MODEL_EVENT_IDEMPOTENCY_PARTITION),
    logger: createLogger({ serviceName: 'model-history', logLevel: 'WARN' }),
    recorder: caller,
    trainingJobNamePrefix: prefix,
  }));
  return async (input) => {
    await handle(trainingJobStateChangeEvent(input));
  };
}

/** The code that trained: the commit, marked `-dirty` when libs/model-training has uncommitted changes. */
function codeVersion(): string {
  const root = fileURLToPath(new URL('../../../../', import.meta.url));
  try {
    const commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'libs/model-training'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty === '' ? commit : `${commit}-dirty`;
  } catch {
    return 'cur-model-0.1.0';
  }
}

function metric(version: ModelVersionMetrics, name: string): string {
  const value = version.metrics[name];
  return value === undefined ? '' : value.toFixed(4);
}

function dataOf(version: ModelVersion | ModelVersionMetrics): string {
  if (!('data' in version)) return '';
  return [...new Set(version.data.map((d) => d.businessDate))].join(', ');
}

/** A metrics-only view as a version with nothing else, so DA's comparison has metrics and no more. */
function asVersion(version: ModelVersion | ModelVersionMetrics): ModelVersion {
  if ('data' in version) return version;
  return { ...version, trainingJobArn: '', hyperparameters: {}, data: [], transitions: [] };
}

function fmt(value: number | undefined): string {
  return value === undefined ? '' : value.toFixed(4);
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(4)}`;
}

