import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVING_LOAD_APP } from '@cur/contracts';
import { z } from 'zod';
import { WORKSPACE_ROOT } from './paths';
import type { PlatformNames } from './platform-names';

/** libs/pipeline-dag: the generated DAG, its graph, and the MWAA requirements its tests pin. */
export const PIPELINE_DAG_ROOT = join(WORKSPACE_ROOT, 'libs', 'pipeline-dag');

/** The DAG folder MWAA syncs (`dags/` in the DAG bucket). */
export const PIPELINE_DAG_FOLDER = join(PIPELINE_DAG_ROOT, 'dags');

/** What MWAA installs beside its Airflow: the pins the DAG's tests run with. */
export const PIPELINE_DAG_REQUIREMENTS = join(PIPELINE_DAG_ROOT, 'requirements.txt');

/**
 * The graph steps that are no Glue job: the DQ gates (Glue Data Quality), the serving load (a Lambda) and the scoring
 * step (a SageMaker Processing job, the model-scoring stack's).
 */
const NON_GLUE_STEPS: ReadonlySet<string> = new Set(['dq', 'serving', 'score']);

const GraphSchema = z.object({ dagId: z.string().min(1), tasks: z.array(z.looseObject({ id: z.string(), step: z.string() })).nonempty() });

/** The DAG as infra needs it, read from the committed files (the tests of libs/pipeline-dag hold them true). */
export interface PipelineDagFacts {
  /** `cur_pipeline`. */
  readonly dagId: string;
  /** The Airflow version libs/pipeline-dag pins and tests (`apache-airflow==X` in its pyproject.toml). */
  readonly airflowVersion: string;
  /** The steps the DAG runs as Glue jobs `cur-<stage>-<step>`. */
  readonly glueJobSteps: readonly string[];
  /** The requirements.txt MWAA installs. */
  readonly requirements: string;
}

/**
 * Reads the DAG's id, Airflow pin, Glue steps and requirements from libs/pipeline-dag, so the MWAA environment runs
 * the Airflow version the DAG is tested on and the execution role may start exactly the DAG's jobs.
 *
 * @throws Error when pyproject.toml pins no exact `apache-airflow` version
 */
export function readPipelineDagFacts(root: string = PIPELINE_DAG_ROOT): PipelineDagFacts {
  const pyproject = readFileSync(join(root, 'pyproject.toml'), 'utf8');
  const pin = /"apache-airflow==(\d+\.\d+\.\d+)"/.exec(pyproject);
  if (!pin?.[1]) throw new Error(`${join(root, 'pyproject.toml')} pins no exact apache-airflow version`);
  const graph = GraphSchema.parse(JSON.parse(readFileSync(join(root, 'pipeline-graph.json'), 'utf8')));
  return {
    dagId: graph.dagId,
    airflowVersion: pin[1],
    glueJobSteps: [...new Set(graph.tasks.map((task) => task.step))].filter((step) => !NON_GLUE_STEPS.has(step)),
    requirements: readFileSync(join(root, 'requirements.txt'), 'utf8'),
  };
}

/** The physical names of the orchestration stack, by the stage's conventions (`cur-<stage>-...`). */
export class OrchestrationNames {
  readonly #names: PlatformNames;

  constructor(names: PlatformNames) {
    this.#names = names;
  }

  /** `cur-<stage>-orchestration`. */
  get stackName(): string {
    return `${this.#names.resourcePrefix}-orchestration`;
  }

  /** The MWAA environment, `cur-<stage>-pipeline`: the pipeline-trigger's `CUR_MWAA_ENVIRONMENT`. */
  get environmentName(): string {
    return `${this.#names.resourcePrefix}-pipeline`;
  }

  get environmentArn(): string {
    const { partition, region, account } = this.#names;
    return `arn:${partition}:airflow:${region}:${account}:environment/${this.environmentName}`;
  }

  /** What `airflow:InvokeRestApi` is granted on: the environment's Airflow role (`Admin`, `Op`, `User`, `Viewer`). */
  airflowRoleArn(airflowRole: 'Admin' | 'Op' | 'User' | 'Viewer'): string {
    const { partition, region, account } = this.#names;
    return `arn:${partition}:airflow:${region}:${account}:role/${this.environmentName}/${airflowRole}`;
  }

  /** The execution role, `cur-<stage>-mwaa-execution`. */
  get executionRoleName(): string {
    return `${this.#names.resourcePrefix}-mwaa-execution`;
  }

  /** The Glue job of a DAG step: `cur-<stage>-<step>` (the DAG's `job_name`). */
  glueJobName(step: string): string {
    return `${this.#names.resourcePrefix}-${step}`;
  }

  /** The role Glue Data Quality evaluations run as, `cur-<stage>-glue-dq` (the pipeline stack creates it). */
  get dataQualityRoleName(): string {
    return `${this.#names.resourcePrefix}-glue-dq`;
  }

  /** The serving load's Lambda the DAG invokes: the serving-load app's function, `cur-<stage>-serving-load`. */
  get servingLoadFunctionName(): string {
    return this.#names.functionName(SERVING_LOAD_APP);
  }

  /** SSM prefix of Airflow variables (MWAA's secrets backend): `/cur-<stage>/airflow/variables`. */
  get variablesPrefix(): string {
    return `${this.#names.parameterPrefix}/airflow/variables`;
  }
}
