import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AIRFLOW_DAG_COMMAND, airflowDagGraph, pipelineTasks, type MetadataChangeProposal } from '@cur/lineage';
import { PIPELINE_STEPS, type PipelineRun, type StepRun } from '@cur/pipeline';
import { DAG_OPTIONS } from '../../src/commands/lineage-command';
import { runCli } from '../helpers/run-cli';

describe('cur lineage', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'cur-lineage-'));
    const demo = await runCli(['demo', '--customers', '200', '--keep-plaintext-extracts'], { CUR_HOME: home });
    expect(demo.code, demo.stderr).toBe(0);
  }, 300_000);

  it('exports DataHub proposals of the definition, the contracts and the demo\'s run, one job per task of the definition', async () => {
    // Act
    const out = join(home, 'lineage.json');
    const run = await runCli(['lineage', 'export', '--out', out], { CUR_HOME: home });

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\d+ metadata change proposals \(1 run\(s\), 16 published partition\(s\)\) written to /);
    const mcps = JSON.parse(await readFile(out, 'utf8')) as MetadataChangeProposal[];
    const jobs = new Set(mcps.filter((mcp) => mcp.entityType === 'dataJob').map((mcp) => /,([a-z_]+)\)$/.exec(mcp.entityUrn)?.[1]));
    expect([...jobs]).toEqual(pipelineTasks(PIPELINE_STEPS).map((task) => task.id));
    const runResult = mcps.find((mcp) => mcp.aspectName === 'dataProcessInstanceRunEvent' && mcp.aspect.json['status'] === 'COMPLETE');
    expect(runResult?.aspect.json['result']).toEqual({ type: 'SUCCESS', nativeResultType: 'succeeded' });
  });

  it('writes no national ID of the extracts the demo pushed', async () => {
    // Prepare: the customer_profile extract's first column is the national ID (ASCII in its Big5 file).
    const extract = await readFile(join(home, 'extracts', 'customer_profile_20261125.csv'), 'latin1');
    const ids = extract.trim().split('\n').slice(1).map((line) => line.split(',')[0] ?? '').filter((id) => /^[A-Z]\d{9}$/.test(id));
    const out = join(home, 'lineage-ids.json');

    // Act
    await runCli(['lineage', 'export', '--out', out], { CUR_HOME: home });

    // Assess
    const text = await readFile(out, 'utf8');
    expect(ids.length).toBeGreaterThan(150);
    expect(ids.filter((id) => text.includes(id))).toEqual([]);
  });

  it('emits the same proposals to a DataHub REST endpoint, and exits 1 when DataHub refuses one', async () => {
    // Prepare: a loopback stand-in for DataHub's GMS that refuses its third request.
    let requests = 0;
    const server = createServer((request, response) => {
      request.resume().on('end', () => {
        requests += 1;
        response.writeHead(requests === 3 ? 422 : 200).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    try {
      // Act
      const run = await runCli(['lineage', 'emit', '--endpoint', endpoint], { CUR_HOME: home });

      // Assess
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(new RegExp(`^(\\d+) of (\\d+) proposals accepted by ${endpoint}`));
      expect(run.stderr).toContain('refused glossaryTermInfo of urn:li:glossaryTerm:cur.classification.public: HTTP_422');
      expect(requests).toBeGreaterThan(300);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('ran locally exactly the MWAA DAG\'s tasks, each after the tasks it depends on (the local runner and the DAG agree)', async () => {
    // Prepare: the demo's run log, each step run named as the DAG names its task.
    const runsDir = join(home, 'lake', 'system', 'runs');
    const [runFile] = await readdir(runsDir);
    const run = JSON.parse(await readFile(join(runsDir, runFile ?? ''), 'utf8')) as PipelineRun;
    const taskId = (step: StepRun): string => {
      const [first, second] = step.target.split('/');
      if (step.step === 'dq') return `dq_${first}_${second}`;
      return step.target.includes('/') ? `${step.step}_${first}` : step.step;
    };
    const ran = new Map(run.steps.map((step) => [taskId(step), step]));
    // No model version is promoted in the demo: the score task and its gate are skipped, as Airflow skips them.
    expect([ran.get('score')?.status, ran.get('dq_consumption_model_tags')?.status]).toEqual(['skipped', 'skipped']);

    // Act
    const graph = airflowDagGraph(PIPELINE_STEPS, DAG_OPTIONS);

    // Assess
    expect([...ran.keys()].sort()).toEqual(graph.tasks.map((task) => task.id).sort());
    for (const task of graph.tasks) {
      if (ran.get(task.id)?.status === 'skipped') continue;
      const started = Date.parse(ran.get(task.id)?.startedAt ?? '');
      for (const upstream of task.upstream) {
        const before = ran.get(upstream);
        if (before?.status === 'skipped') continue;
        expect(Date.parse(before?.startedAt ?? '') + (before?.durationMs ?? Number.NaN), `${upstream} before ${task.id}`).toBeLessThanOrEqual(started);
      }
    }
  });

  it('shows the graph as Mermaid, zones left to right, every step of the definition on an edge', async () => {
    // Act
    const run = await runCli(['lineage', 'show'], { CUR_HOME: home });

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.startsWith('flowchart LR\n')).toBe(true);
    for (const step of PIPELINE_STEPS) expect(run.stdout).toContain(`-->|${step.name}|`);
    expect(run.stdout.indexOf('subgraph landing')).toBeLessThan(run.stdout.indexOf('subgraph mart'));
  });
});

describe('cur lineage dag', () => {
  it('renders the committed MWAA DAG and its graph: regenerate them when the definition changes', async () => {
    // Prepare: the files the DAG project's tests load into Airflow.
    const committedDag = await readFile(new URL('../../../../libs/pipeline-dag/dags/cur_pipeline.py', import.meta.url), 'utf8');
    const committedGraph = await readFile(new URL('../../../../libs/pipeline-dag/pipeline-graph.json', import.meta.url), 'utf8');
    const out = await mkdtemp(join(tmpdir(), 'cur-dag-'));

    // Act
    const run = await runCli(['lineage', 'dag', '--out', out, '--graph', join(out, 'pipeline-graph.json')], { CUR_HOME: out });

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(await readFile(join(out, 'cur_pipeline.py'), 'utf8'), `stale DAG: run ${AIRFLOW_DAG_COMMAND}`).toBe(committedDag);
    expect(await readFile(join(out, 'pipeline-graph.json'), 'utf8'), `stale graph: run ${AIRFLOW_DAG_COMMAND}`).toBe(committedGraph);
    expect(JSON.parse(committedGraph)).toEqual(airflowDagGraph(PIPELINE_STEPS, DAG_OPTIONS));
  });
});
