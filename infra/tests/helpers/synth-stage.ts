import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { INFRA_ROOT } from '../../src/config/paths';
import type { StageConfig } from '../../src/config/stage-config';
import { loadStageConfig } from '../../src/config/stage-config';
import { CurStage } from '../../src/stages/cur-stage';

/** The context `cdk synth` gets from cdk.json (feature flags), so tests synthesize what the CLI synthesizes. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(INFRA_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  return cdkJson.context;
}

/** A synthesized stage and how to clean up after it. */
export interface SynthesizedStage {
  readonly app: App;
  readonly stage: CurStage;
  readonly config: StageConfig;
  /** The template of a stack, synthesized once per stage. */
  template(stackName: 'platform' | 'oracle' | 'orchestration' | keyof CurStage['apps']): Template;
  dispose(): void;
}

/** Options of {@link synthStage}. */
export interface SynthStageOptions {
  /** @default the dev config file */
  readonly config?: StageConfig;
  /** Register the AwsSolutions pack on the App as main.ts does. @default false */
  readonly withNag?: boolean;
}

/**
 * Builds the App and one stage offline (no lookups: account and region come from the config file) into a temporary
 * cloud assembly. Call once per test file, in beforeAll, and `dispose` in afterAll.
 */
export function synthStage(options: SynthStageOptions = {}): SynthesizedStage {
  const config = options.config ?? loadStageConfig('dev');
  const outdir = mkdtempSync(join(tmpdir(), 'cur-infra-'));
  const app = new App({ outdir, context: cdkJsonContext() });
  if (options.withNag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stage = new CurStage(app, config.stage, { config });
  const templates = new Map<string, Template>();
  return {
    app,
    stage,
    config,
    template(stackName) {
      let template = templates.get(stackName);
      if (!template) {
        template = Template.fromStack(stackName === 'platform' ? stage.platform : stackName === 'oracle' ? stage.oracle : stackName === 'orchestration' ? stage.orchestration : stage.apps[stackName]);
        templates.set(stackName, template);
      }
      return template;
    },
    dispose() {
      rmSync(outdir, { recursive: true, force: true });
    },
  };
}

/** The logical id of an L2 construct's CloudFormation resource in its stack. */
export function logicalIdOf(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}
