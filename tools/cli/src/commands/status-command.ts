import { join } from 'node:path';
import type { Command } from 'commander';
import { TOPIC_NAMES } from '@cur/contracts';
import { OutboxNotifier } from '@cur/adapters-local';
import { BUCKET_NAMES } from '@cur/runtime';
import type { CliContext } from '../cli-context';
import { renderTable } from '../output/render-table';

/** `cur status`: what is in the local state folder: objects per bucket, notifications per topic. */
export function registerStatusCommand(program: Command, context: () => CliContext): void {
  program
    .command('status')
    .description('show the local platform state: objects and bytes per zone, notifications per topic')
    .action(async () => {
      const ctx = context();
      const { output, config } = ctx;
      output.line(`state folder: ${config.home} (mode ${config.mode}, stage ${config.stage})`);
      const rows = await ctx.withRuntime(async (runtime) => {
        const counted: string[][] = [];
        for (const bucket of BUCKET_NAMES) {
          let objects = 0;
          let bytes = 0;
          for await (const info of runtime.blobStore(bucket).list()) {
            objects += 1;
            bytes += info.size;
          }
          counted.push([bucket, String(objects), formatBytes(bytes)]);
        }
        return counted;
      });
      output.line();
      output.line(renderTable(['bucket', 'objects', 'size'], rows));
      output.line();
      // The outbox is the local SNS; in AWS mode the topics' subscribers hold the notifications.
      const outbox = new OutboxNotifier(join(config.home, 'outbox'));
      const topicRows = await Promise.all(
        TOPIC_NAMES.map(async (topic) => [topic, String((await outbox.read(topic)).length), outbox.outboxFile(topic)]),
      );
      output.line(renderTable(['topic', 'notifications', 'outbox file'], topicRows));
    });
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
