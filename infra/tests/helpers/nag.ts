import { Validations } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CfnResource } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { MIN_NAG_REASON_LENGTH } from '../../src/core/nag-acknowledgement';
import { synthStage, type SynthesizedStage } from './synth-stage';

/** One acknowledgement as recorded in construct metadata by `Validations.of(scope).acknowledge`. */
export interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

/** What one AwsSolutions run found. */
export interface NagRun {
  /** Unacknowledged findings, as `<rule or finding id> at <construct path> (<severity>)`. */
  readonly findings: readonly string[];
  /** Acknowledgements that suppressed at least one finding, as `<path>|<id>`. */
  readonly usedAcknowledgements: ReadonlySet<string>;
}

const stripPrefix = (id: string): string => id.replace(/^annotation::/i, '');

/** Every acknowledgement recorded under a scope. */
export function acknowledgementsUnder(scope: IConstruct): Acknowledgement[] {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ path: construct.node.path, id: stripPrefix(id), reason })),
      ),
  );
}

/** The nearest construct (the resource or an ancestor) that acknowledges a rule id, as cdk-nag looks it up. */
function acknowledgingConstruct(resource: IConstruct, ruleId: string): IConstruct | undefined {
  for (let current: IConstruct | undefined = resource; current; current = current.node.scope) {
    const found = current.node.metadata.some(
      (entry) =>
        entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY &&
        Object.keys(entry.data as Record<string, string>).map(stripPrefix).includes(ruleId),
    );
    if (found) return current;
  }
  return undefined;
}

/**
 * Runs the AwsSolutions pack over a synthesized scope, the way `cdk synth` does, and records which acknowledgements
 * were needed, so a test can fail on a stale one.
 */
export function runAwsSolutions(scope: IConstruct): NagRun {
  const pack = new AwsSolutionsChecks();
  const used = new Set<string>();
  // cdk-nag keeps its acknowledgement lookup private; wrapping it is the only way to learn which ones were used.
  const internals = pack as unknown as { isAcknowledged(resource: CfnResource, ruleId: string): boolean };
  const isAcknowledged = internals.isAcknowledged.bind(pack);
  internals.isAcknowledged = (resource, ruleId) => {
    const acknowledged = isAcknowledged(resource, ruleId);
    const owner = acknowledged ? acknowledgingConstruct(resource, ruleId) : undefined;
    if (owner) used.add(`${owner.node.path}|${ruleId}`);
    return acknowledged;
  };
  const report = pack.validateScope(scope);
  const findings = report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath ?? '?'} (${violation.severity ?? '?'})`),
  );
  return { findings, usedAcknowledgements: used };
}

/** A stack's AwsSolutions run judged as every nag test judges it: each list must be empty. */
export interface NagAudit {
  /** Unacknowledged findings ({@link NagRun.findings}). */
  readonly findings: readonly string[];
  /** The acknowledgements judged. */
  readonly acknowledgements: readonly Acknowledgement[];
  /** Acknowledgements whose reason is shorter than `MIN_NAG_REASON_LENGTH`, as `<path> <id>`. */
  readonly vagueReasons: readonly string[];
  /** Acknowledgements that suppressed no finding, as `<path>|<id>`. */
  readonly stale: readonly string[];
}

/** Options of {@link auditAwsSolutions}. */
export interface NagAuditOptions {
  /**
   * Judge only `AwsSolutions-*` acknowledgements: CDK's own constructs acknowledge CloudFormation-Validate rules (a
   * flow log's), which are not ours. @default false
   */
  readonly awsSolutionsOnly?: boolean;
}

/** Runs the AwsSolutions pack over a synthesized stack ({@link runAwsSolutions}) and judges its acknowledgements. */
export function auditAwsSolutions(scope: IConstruct, options: NagAuditOptions = {}): NagAudit {
  const run = runAwsSolutions(scope);
  const acknowledgements = acknowledgementsUnder(scope).filter(({ id }) => !options.awsSolutionsOnly || id.startsWith('AwsSolutions-'));
  return {
    findings: run.findings,
    acknowledgements,
    vagueReasons: acknowledgements.filter(({ reason }) => reason.length < MIN_NAG_REASON_LENGTH).map(({ path, id }) => `${path} ${id}`),
    stale: acknowledgements.map(({ path, id }) => `${path}|${id}`).filter((key) => !run.usedAcknowledgements.has(key)),
  };
}

/**
 * The AwsSolutions checks of one stack as a `describe` of three tests (no unacknowledged finding; every
 * acknowledgement has a specific reason, and there is one; none is stale), on a stage synthesized once for them.
 *
 * @param stackOf - synthesizes what the stack needs (`synth.template(name)`, or the whole app) and returns it
 */
export function describeAwsSolutionsAudit(title: string, stackOf: (synth: SynthesizedStage) => IConstruct, timeoutMs = 60_000): void {
  describe(`Stack: ${title}, AwsSolutions pack`, () => {
    let synth: SynthesizedStage;
    let audit: NagAudit;
    beforeAll(() => {
      synth = synthStage();
      audit = auditAwsSolutions(stackOf(synth));
    }, timeoutMs);
    afterAll(() => synth.dispose());

    it('has no unacknowledged finding, error or warning', () => {
      expect(audit.findings).toEqual([]);
    });

    it('gives every acknowledgement a specific reason', () => {
      expect(audit.acknowledgements.length).toBeGreaterThan(0);
      expect(audit.vagueReasons).toEqual([]);
    });

    it('has no stale acknowledgement: each one suppresses a finding', () => {
      expect(audit.stale).toEqual([]);
    });
  });
}
