import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { PLATFORM_EVENT_SOURCE } from '@cur/contracts';
import { Construct } from 'constructs';
import type { PlatformNames } from '../config/platform-names';

/** How long platform events are archived for replay (a consumer that was down catches up from the archive). */
export const PLATFORM_EVENT_ARCHIVE_RETENTION = Duration.days(30);

/** Properties of {@link PlatformEventBus}. */
export interface PlatformEventBusProps {
  readonly names: PlatformNames;
}

/**
 * The EventBridge bus of the platform's own events (`cur.platform`: Batch Accepted, Batch Quarantined, Layer
 * Published), named `cur-<stage>` as the runtime's `CUR_EVENT_BUS` default, with an archive of every platform event
 * for replay. AWS service events (Glue Data Quality, SageMaker) stay on the default bus.
 */
export class PlatformEventBus extends Construct {
  public readonly bus: events.EventBus;

  constructor(scope: Construct, id: string, props: PlatformEventBusProps) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: props.names.eventBusName,
      description: `CUR ${props.names.stage}: platform events (${PLATFORM_EVENT_SOURCE})`,
    });
    this.bus.archive('Archive', {
      archiveName: `${props.names.eventBusName}-platform-events`,
      description: 'Every platform event, for replay',
      eventPattern: { source: [PLATFORM_EVENT_SOURCE] },
      retention: PLATFORM_EVENT_ARCHIVE_RETENTION,
    });
    this.bus.applyRemovalPolicy(RemovalPolicy.RETAIN);
  }
}
