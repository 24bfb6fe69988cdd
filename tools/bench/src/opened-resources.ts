/** Something a profiler opens and must close: a runtime (its local DynamoDB server keeps the process alive), an engine. */
export interface Closable {
  close(): Promise<void>;
}

/**
 * What a bench tool has opened, closed whether it succeeds or fails: a tool that fails with a runtime still open
 * prints its error and then never exits. Close one early with {@link release}; {@link closeAll} closes the rest,
 * newest first, in a `finally`.
 */
export class OpenedResources {
  readonly #open: Closable[] = [];

  /** Registers `resource` and returns it. */
  add<T extends Closable>(resource: T): T {
    this.#open.push(resource);
    return resource;
  }

  /** Closes one resource now (an engine before the next opens). */
  async release(resource: Closable): Promise<void> {
    const index = this.#open.indexOf(resource);
    if (index >= 0) this.#open.splice(index, 1);
    await resource.close();
  }

  /** Closes what is still open, newest first; a failing close does not stop the others. */
  async closeAll(): Promise<void> {
    for (const resource of this.#open.splice(0).reverse()) await resource.close().catch(() => undefined);
  }
}
