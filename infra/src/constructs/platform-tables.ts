import { TABLES } from '@cur/contracts';
import type { TableName } from '@cur/contracts';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { KeyPurpose, PlatformNames } from '../config/platform-names';
import { TABLE_KEYS } from '../config/platform-names';

/** The key schema every platform table shares (libs/contracts `stores.ts`). */
export const TABLE_KEY_SCHEMA = {
  partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
} as const;

/** Properties of {@link PlatformTables}. */
export interface PlatformTablesProps {
  readonly names: PlatformNames;
  /** The key of each purpose; each table uses the key {@link TABLE_KEYS} names. */
  readonly keys: Readonly<Record<KeyPurpose, kms.IKey>>;
  /**
   * Removal policy of every table.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The platform's DynamoDB tables, exactly the logical tables of the contracts lib, named `<tablePrefix>-<logical>`:
 * on-demand, keyed `pk`/`sk` strings, encrypted with a customer-managed key, point-in-time recovery and deletion
 * protection on.
 */
export class PlatformTables extends Construct {
  /** Every table by logical name. */
  public readonly tables: Readonly<Record<TableName, dynamodb.Table>>;

  constructor(scope: Construct, id: string, props: PlatformTablesProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const tables = {} as Record<TableName, dynamodb.Table>;
    for (const [logicalId, spec] of Object.entries(TABLES)) {
      tables[spec.name] = new dynamodb.Table(this, logicalId, {
        tableName: props.names.tableName(spec.name),
        ...TABLE_KEY_SCHEMA,
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: props.keys[TABLE_KEYS[spec.name]],
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: true,
        removalPolicy,
      });
    }
    this.tables = tables;
  }
}
