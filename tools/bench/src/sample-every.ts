/**
 * Runs `sample` now and every `everyMs` after, one at a time (a slow sample delays the next rather than overlapping
 * it), until `stop()`, which waits for the sample in flight and takes a last one so the end of the work is seen.
 */
export function sampleEvery(everyMs: number, sample: () => Promise<void>): { stop(): Promise<void> } {
  let pending = sample();
  const timer = setInterval(() => (pending = pending.then(sample)), everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await pending;
      await sample();
    },
  };
}
