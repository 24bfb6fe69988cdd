import type { Template } from 'aws-cdk-lib/assertions';

/** A CloudFormation resource as it appears in a template. */
export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

/** An IAM policy statement as it appears in a template. */
export interface StatementJson {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** Every resource of a type, by logical id. */
export function resourcesOfType(template: Template, type: string): Record<string, CfnResourceJson> {
  return template.findResources(type) as Record<string, CfnResourceJson>;
}

/** A property path of a resource, typed loosely for assertions. */
export function props<T = Record<string, unknown>>(resource: CfnResourceJson): T {
  return (resource.Properties ?? {}) as T;
}

/** A statement's actions as an array. */
export function actionsOf(statement: StatementJson): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** A statement's resources as an array. */
export function resourcesOf(statement: StatementJson): unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}

/** Whether an IAM action pattern (with `*`) covers a concrete action. */
export function actionMatches(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return regex.test(action);
}

/** Whether an ARN glob (IAM `ArnLike`) matches an ARN. */
export function arnLike(pattern: string, arn: string): boolean {
  return actionMatches(pattern, arn);
}
