import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** Where Debian's `chromium` package puts the browser; `CHROMIUM_BIN` overrides. */
const CANDIDATES = [process.env['CHROMIUM_BIN'], '/usr/bin/chromium', '/usr/bin/chromium-browser'];

/**
 * The headless Chromium the page tests drive, or `undefined` when none is installed. CI installs Debian's `chromium`
 * (`.ci/run`), and there a missing browser is an error rather than a skip, so the checks cannot silently vanish.
 */
export function findChromium(): string | undefined {
  const found = CANDIDATES.find((candidate): candidate is string => candidate !== undefined && candidate !== '' && existsSync(candidate));
  if (found === undefined && process.env['CI'] === 'true') throw new Error('CI must have Chromium for the page tests: .ci/run installs Debian\'s chromium package');
  if (found === undefined) console.warn('skipping the headless Chromium checks: no chromium here (apt-get install chromium, or set CHROMIUM_BIN)');
  return found;
}

/**
 * The DOM of a page after its scripts ran, as headless Chromium renders it (`--dump-dom`), with a virtual time
 * budget for the page's own requests. No sandbox: CI containers run as root.
 */
export async function renderedDom(chromium: string, url: string, budgetMs = 15_000): Promise<string> {
  const { stdout } = await exec(
    chromium,
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--user-data-dir=/tmp/cur-chromium-profile', `--virtual-time-budget=${budgetMs}`, '--dump-dom', url],
    { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}
