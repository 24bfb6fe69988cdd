import { readFile, readdir } from 'node:fs/promises';
import { sampleEvery } from './sample-every';

/** The pids of `pid`'s children, from every thread's `children` file (Linux /proc); none when /proc has no such pid. */
async function childrenOf(pid: number): Promise<number[]> {
  const threads = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  const lists = await Promise.all(threads.map((tid) => readFile(`/proc/${pid}/task/${tid}/children`, 'utf8').catch(() => '')));
  return lists.flatMap((list) => list.split(' ').filter(Boolean).map(Number));
}

/** A process's resident set in bytes (`VmRSS` of /proc/PID/status), 0 once it has gone. */
async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  return kb ? Number(kb) * 1024 : 0;
}

/**
 * The resident memory of a process and all its descendants (a Spark JVM, dynalite, a Python trainer), in bytes.
 * Linux only: elsewhere /proc is missing and this is the process's own RSS.
 */
export async function processTreeRssBytes(rootPid: number = process.pid): Promise<number> {
  const seen = new Set<number>();
  const queue = [rootPid];
  let total = 0;
  while (queue.length > 0) {
    const pid = queue.pop() ?? rootPid;
    if (seen.has(pid)) continue;
    seen.add(pid);
    total += pid === process.pid ? process.memoryUsage.rss() : await rssOf(pid);
    queue.push(...(await childrenOf(pid)));
  }
  return total;
}

/** The largest process-tree RSS seen, overall and while each label was active. */
export interface RssPeaks {
  readonly peakBytes: number;
  readonly byLabel: ReadonlyMap<string, number>;
}

/**
 * Samples {@link processTreeRssBytes} every `everyMs` until stopped, charging each sample to the labels `active()`
 * names at that moment (the step kinds running), so a peak can be traced to the steps that ran when it happened.
 */
export function sampleProcessTreeRss(everyMs: number, active: () => Iterable<string> = () => []): { stop(): Promise<RssPeaks>; peak(): number } {
  let peakBytes = 0;
  const byLabel = new Map<string, number>();
  const sample = async (): Promise<void> => {
    const rss = await processTreeRssBytes();
    peakBytes = Math.max(peakBytes, rss);
    for (const label of active()) byLabel.set(label, Math.max(byLabel.get(label) ?? 0, rss));
  };
  const sampler = sampleEvery(everyMs, sample);
  return {
    async stop() {
      await sampler.stop();
      return { peakBytes, byLabel };
    },
    peak: () => peakBytes,
  };
}
