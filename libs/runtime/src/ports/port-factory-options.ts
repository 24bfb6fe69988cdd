/** Options every per-port factory takes. */
export interface PortFactoryOptions {
  /**
   * Called with each AWS SDK client the factory creates, before an adapter gets it; returns the client to use. A
   * Lambda passes its tracer's `captureAWSv3Client`, so every S3, DynamoDB, SNS, EventBridge and KMS call is an
   * X-Ray subsegment.
   * @default - the client as created
   */
  readonly captureClient?: <C extends object>(client: C) => C;
}

/** @internal */
export function captured<C extends object>(options: PortFactoryOptions, client: C): C {
  return options.captureClient ? options.captureClient(client) : client;
}
