import { describe, expect, it } from 'vitest';
import { OpenedResources } from '../../src/opened-resources';

describe('OpenedResources', () => {
  it('closes what is still open newest first, a released one not again, and goes on past a failing close', async () => {
    const closed: string[] = [];
    const resource = (name: string, fails = false) => ({
      close: () => {
        closed.push(name);
        return fails ? Promise.reject(new Error(`${name} would not close`)) : Promise.resolve();
      },
    });
    const opened = new OpenedResources();
    const runtime = resource('runtime');
    expect(opened.add(runtime)).toBe(runtime);
    opened.add(resource('engine', true));
    const floor = opened.add(resource('floor'));

    await opened.release(floor);
    await opened.closeAll();
    await opened.closeAll();

    expect(closed).toEqual(['floor', 'engine', 'runtime']);
  });
});
