import type { LambdaContext } from '../lambda/instrument-handler';

/**
 * A Lambda context object with the fields and values Lambda's Node.js runtime passes (a real invocation's shape,
 * `awsRequestId` as Lambda formats it).
 */
export function lambdaContext(awsRequestId = 'c6af9ac6-7b61-11e6-9a41-93e812345678', functionName = 'cur-dev-ingestion-controller'): LambdaContext & Record<string, unknown> {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:ap-northeast-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/12/07/[$LATEST]2f1e2d3c4b5a69788796a5b4c3d2e1f0',
    getRemainingTimeInMillis: () => 29_000,
  };
}
