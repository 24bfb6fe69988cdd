/**
 * Where generated landing files go: a folder for the CLI, a temp folder in tests, or an upload to the landing zone.
 *
 * The generator calls `write` once per file, data file first and its control file after it, and waits for each
 * call to settle before it starts the next. Chunks are produced on demand (pull), so a slow sink slows the generator
 * down instead of filling memory.
 *
 * @example
 * const memory = new Map<string, Buffer>();
 * const sink: LandingSink = {
 *   async write(fileName, chunks) {
 *     const parts: Uint8Array[] = [];
 *     for await (const chunk of chunks) parts.push(chunk);
 *     memory.set(fileName, Buffer.concat(parts));
 *   },
 * };
 */
export interface LandingSink {
  /**
   * Stores one file. Must read `chunks` to the end (the generator checks) and resolve only when the file is
   * complete; reject on failure.
   *
   * @param fileName - a landing file name (`<dataset>_<YYYYMMDD>.csv`, `.csv.gz` or `.ctl`), no folders
   * @param chunks - the file's bytes, in order
   */
  write(fileName: string, chunks: AsyncIterable<Uint8Array>): Promise<void>;
}
