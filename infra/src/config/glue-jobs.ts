import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Zone } from '@cur/contracts';
import { z } from 'zod';
import { WORKSPACE_ROOT } from './paths';
import type { PlatformNames } from './platform-names';
import type { GLUE_JOB_STEPS } from './stage-config';

/** One step that runs as a Glue job `cur-<stage>-<step>`. */
export type GlueJobStep = (typeof GLUE_JOB_STEPS)[number];

/** The steps run from plan templates by `cur_spark/jobs/glue_entry.py`; the mask job runs its own script. */
export const GLUE_PLAN_STEPS = ['transform', 'consumption', 'mart'] as const;

/** One step run from plan templates. */
export type GluePlanStep = (typeof GLUE_PLAN_STEPS)[number];

/** libs/spark-runner: the runner package (`src/cur_spark`), its pyproject and the committed plan templates. */
export const SPARK_RUNNER_ROOT = join(WORKSPACE_ROOT, 'libs', 'spark-runner');

/** The committed plan templates (`nx run pipeline:glue-plans`; a libs/pipeline test keeps them current). */
export const GLUE_PLANS_DIR = join(SPARK_RUNNER_ROOT, 'glue-plans');

/** Where the runner archive holds the templates, which `glue_entry.py` reads when no `--plan_templates` is given. */
export const PACKAGED_PLANS_PATH = 'cur_spark/glue_plans';

/** The metric the Glue jobs put in CloudWatch (`cur_spark/step_metric.json`, held equal to runPipeline's by a test). */
export const STEP_METRIC_FILE = join(SPARK_RUNNER_ROOT, 'src', 'cur_spark', 'step_metric.json');

/** The CloudWatch namespace the Glue jobs publish their rows per step in, read from {@link STEP_METRIC_FILE}. */
export function readStepMetricNamespace(file: string = STEP_METRIC_FILE): string {
  return z.object({ namespace: z.string().regex(/^[A-Za-z0-9_./#:-]+$/) }).parse(JSON.parse(readFileSync(file, 'utf8'))).namespace;
}

/** The Glue version of every pipeline job: Spark 3.5.6, Python 3.11, Java 17, what the runner is tested on. */
export const GLUE_VERSION = '5.1';

/** The job script of each step, inside libs/spark-runner/src. */
export const GLUE_JOB_SCRIPTS: Readonly<Record<GlueJobStep, string>> = {
  mask: 'cur_spark/jobs/mask.py',
  transform: 'cur_spark/jobs/glue_entry.py',
  consumption: 'cur_spark/jobs/glue_entry.py',
  mart: 'cur_spark/jobs/glue_entry.py',
};

/** The Glue job of a step, as the MWAA DAG names it: `cur-<stage>-<step>`. */
export const glueJobName = (names: PlatformNames, step: GlueJobStep): string => `${names.resourcePrefix}-${step}`;

/**
 * The role a step's job runs as: the mask job is SYSTEM (`cur-<stage>-system-pipeline`, the only pipeline principal
 * the landing key admits); every other step has its own role, `cur-<stage>-glue-<step>`, with its zones only.
 */
export const glueJobRoleName = (names: PlatformNames, step: GlueJobStep): string => (step === 'mask' ? names.systemRoleName : `${names.resourcePrefix}-glue-${step}`);

/** The role Glue Data Quality evaluations run as (the DAG's `cur_glue_dq_role_arn`). */
export const glueDataQualityRoleName = (names: PlatformNames): string => `${names.resourcePrefix}-glue-dq`;

/** The Glue security configuration of the pipeline's jobs. */
export const glueSecurityConfigurationName = (names: PlatformNames): string => `${names.resourcePrefix}-pipeline-jobs`;

/**
 * The exact pins the runner needs beside Glue's own Spark (`dependencies` of libs/spark-runner/pyproject.toml), for
 * `--additional-python-modules`.
 *
 * @throws Error when the pyproject has no dependency list or a dependency is not pinned with `==`
 */
export function readRunnerDependencies(root: string = SPARK_RUNNER_ROOT): readonly string[] {
  const pyproject = readFileSync(join(root, 'pyproject.toml'), 'utf8');
  const list = /^dependencies\s*=\s*\[([^\]]*)\]/m.exec(pyproject)?.[1];
  if (list === undefined) throw new Error(`${join(root, 'pyproject.toml')} declares no dependencies list`);
  const pins = [...list.matchAll(/"([^"]+)"/g)].map((match) => match[1] ?? '');
  for (const pin of pins) if (!/^[A-Za-z0-9_.-]+==[A-Za-z0-9_.+-]+$/.test(pin)) throw new Error(`runner dependency ${pin} is not an exact pin`);
  return pins;
}

const TemplateSchema = z.looseObject({
  step: z.enum(GLUE_PLAN_STEPS),
  dataset: z.string(),
  sources: z.array(z.looseObject({ bucket: z.string(), dataset: z.string() })),
  partitions: z.array(z.looseObject({ output: z.string(), zone: z.string(), table: z.string() })),
  manifests: z.array(z.looseObject({ dataset: z.string(), zone: z.string(), inputs: z.array(z.looseObject({ zone: z.string(), dataset: z.string() })) })),
  accounting: z.looseObject({ raw: z.string() }).nullable(),
  plan: z.looseObject({ outputs: z.array(z.looseObject({ path: z.string() })) }),
});

/** One zone folder a step's job reads or writes: `<bucket>/<prefix>*`. */
export interface ZonePrefix {
  readonly zone: Zone;
  /** The dataset's folder, ending in `/`. */
  readonly prefix: string;
}

/** What a template-run step touches, read from the templates it runs: least privilege follows the plans. */
export interface GluePlanStepAccess {
  /** The dataset folders of its sources. */
  readonly reads: readonly ZonePrefix[];
  /** The dataset folders its outputs are written to. */
  readonly writes: readonly ZonePrefix[];
  /** The catalog tables whose partitions it registers. */
  readonly partitions: readonly { readonly zone: Zone; readonly table: string }[];
  /**
   * The manifest folders of the system bucket (`manifests/<zone>/<dataset>/`) it reads (its outputs' inputs, the
   * transform's raw manifest) and publishes to (its outputs').
   */
  readonly manifests: { readonly reads: readonly string[]; readonly writes: readonly string[] };
}

/**
 * Reads the committed templates of each step and derives what its job touches: the dataset folders of every source
 * (`<bucket>/<dataset>/`), the folder of every output (its path up to `/business_date=`), the tables it registers, and
 * the manifest folders it reads and publishes to.
 *
 * @throws Error when a template does not parse or an output is not `${bucket:<zone>}/<folder>/business_date=...`
 */
export function readGluePlanStepAccess(dir: string = GLUE_PLANS_DIR): Readonly<Record<GluePlanStep, GluePlanStepAccess>> {
  const access = {} as Record<GluePlanStep, GluePlanStepAccess>;
  for (const step of GLUE_PLAN_STEPS) {
    const reads = new Map<string, ZonePrefix>();
    const writes = new Map<string, ZonePrefix>();
    const partitions = new Map<string, { zone: Zone; table: string }>();
    const manifestReads = new Set<string>();
    const manifestWrites = new Set<string>();
    for (const file of readdirSync(join(dir, step)).filter((name) => name.endsWith('.json')).sort()) {
      const template = TemplateSchema.parse(JSON.parse(readFileSync(join(dir, step, file), 'utf8')));
      for (const source of template.sources) reads.set(`${source.bucket}/${source.dataset}/`, { zone: source.bucket as Zone, prefix: `${source.dataset}/` });
      for (const output of template.plan.outputs) {
        const match = /^\$\{bucket:([a-z]+)\}\/([a-z0-9_/=]+)\/business_date=/.exec(output.path);
        if (!match?.[1] || !match[2]) throw new Error(`${step}/${file}: output ${output.path} is not a partition folder of a bucket`);
        writes.set(`${match[1]}/${match[2]}/`, { zone: match[1] as Zone, prefix: `${match[2]}/` });
      }
      for (const partition of template.partitions) partitions.set(`${partition.zone}.${partition.table}`, { zone: partition.zone as Zone, table: partition.table });
      for (const manifest of template.manifests) {
        manifestWrites.add(`manifests/${manifest.zone}/${manifest.dataset}/`);
        for (const input of manifest.inputs) manifestReads.add(`manifests/${input.zone}/${input.dataset}/`);
      }
      if (template.accounting) manifestReads.add(`manifests/raw/${template.accounting.raw}/`);
    }
    access[step] = {
      reads: [...reads.values()],
      writes: [...writes.values()],
      partitions: [...partitions.values()],
      manifests: { reads: [...manifestReads].sort(), writes: [...manifestWrites].sort() },
    };
  }
  return access;
}
