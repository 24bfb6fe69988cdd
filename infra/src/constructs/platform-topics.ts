import { TOPICS } from '@cur/contracts';
import type { TopicName } from '@cur/contracts';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { PlatformNames } from '../config/platform-names';

/** Properties of {@link PlatformTopics}. */
export interface PlatformTopicsProps {
  readonly names: PlatformNames;
  /** The key that encrypts every message (the lake key: messages are masked). */
  readonly key: kms.IKey;
}

/**
 * The platform's SNS topics, exactly the logical topics of the contracts lib, named so that
 * `CUR_TOPIC_ARN_PREFIX-<logical>` is their ARN; KMS-encrypted, publishing over TLS only.
 */
export class PlatformTopics extends Construct {
  /** Every topic by logical name. */
  public readonly topics: Readonly<Record<TopicName, sns.Topic>>;

  constructor(scope: Construct, id: string, props: PlatformTopicsProps) {
    super(scope, id);
    const topics = {} as Record<TopicName, sns.Topic>;
    for (const [logicalId, spec] of Object.entries(TOPICS)) {
      topics[spec.name] = new sns.Topic(this, logicalId, {
        topicName: props.names.topicName(spec.name),
        displayName: `CUR ${props.names.stage}: ${spec.description}`,
        masterKey: props.key,
        enforceSSL: true,
      });
    }
    this.topics = topics;
  }
}
