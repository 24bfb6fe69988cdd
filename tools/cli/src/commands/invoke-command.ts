import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { NotFoundError, ValidationError } from '@cur/platform';
import type { CliContext } from '../cli-context';

/** The built Lambda bundles, as `nx build <app>` writes them. */
const DIST_APPS = fileURLToPath(new URL('../../../../dist/apps/', import.meta.url));

/** What `cur invoke` passes as the Lambda context: the fields handlers and Powertools read. */
function lambdaContext(service: string): Record<string, unknown> {
  return {
    functionName: `cur-local-${service}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:cur-local-${service}`,
    memoryLimitInMB: '512',
    awsRequestId: crypto.randomUUID(),
    logGroupName: `/aws/lambda/cur-local-${service}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 30_000,
  };
}

/**
 * `cur invoke <service> --event FILE`: runs a service's built Lambda bundle on this machine with a real event, the
 * way Lambda would. It loads the bundle from dist/, so what runs here is byte for byte what deploys.
 */
export function registerInvokeCommand(program: Command, context: () => CliContext): void {
  program
    .command('invoke')
    .description("run a service's built Lambda bundle locally with an event JSON file, as Lambda would")
    .argument('<service>', 'the app name, e.g. retrieval-api (build it first: npx nx build <service>)')
    .requiredOption('-e, --event <file>', 'the event JSON (S3, EventBridge or API Gateway v2 shape)')
    .action(async (service: string, options: { event: string }) => {
      const { output } = context();
      const bundle = `${DIST_APPS}${service}/handler.mjs`;
      if (!/^[a-z][a-z0-9-]*$/.test(service) || !existsSync(bundle)) {
        const built = existsSync(DIST_APPS) ? (await readdir(DIST_APPS)).join(', ') : 'none';
        throw new NotFoundError(`no bundle for service '${service}' at ${bundle}; build it with: npx nx build ${service} (built: ${built})`);
      }
      let event: unknown;
      try {
        event = JSON.parse(await readFile(options.event, 'utf8'));
      } catch (error) {
        throw new ValidationError(`could not read the event file '${options.event}' as JSON`, { cause: error });
      }
      const module = (await import(pathToFileURL(bundle).href)) as { handler?: (event: unknown, context: unknown) => Promise<unknown> };
      if (typeof module.handler !== 'function') throw new ValidationError(`${bundle} exports no handler`);
      const result = await module.handler(event, lambdaContext(service));
      output.line(JSON.stringify(result ?? null, null, 2));
    });
}
