import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One example of the shared DQDL fixture. */
export interface DqdlExample {
  readonly id: string;
  readonly kind: 'ruleset' | 'rule' | 'invalid';
  readonly source: string;
  readonly text: string;
  /** The text as a whole document: rules are wrapped as `Rules = [ <rule> ]`, on lines of their own (a rule may end in a comment). */
  readonly document: string;
}

/** The repository root (libs/dq/tests/helpers -> four levels up). */
const REPO_ROOT = new URL('../../../../', import.meta.url);

/** `../shared/reference/dqdl/dqdl-examples.txt` next to the repository: present in the team's workspace, absent on a fresh clone. */
export const DQDL_EXAMPLES_PATH = fileURLToPath(new URL('../shared/reference/dqdl/dqdl-examples.txt', REPO_ROOT));

/**
 * Reads the fixture: `[NN] kind | source | note` headers, each followed by its DQDL text up to the next header.
 * Lines starting with '#' before the first header describe the file.
 */
export function readDqdlExamples(path = DQDL_EXAMPLES_PATH): DqdlExample[] | undefined {
  if (!existsSync(path)) return undefined;
  const examples: DqdlExample[] = [];
  let current: { id: string; kind: DqdlExample['kind']; source: string; lines: string[] } | undefined;
  const flush = (): void => {
    if (!current) return;
    const text = current.lines.join('\n').trim();
    examples.push({ id: current.id, kind: current.kind, source: current.source, text, document: current.kind === 'rule' ? `Rules = [\n${text}\n]` : text });
  };
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const header = /^\[(\d+)\] (ruleset|rule|invalid) \| (.*)$/.exec(line);
    if (header) {
      flush();
      current = { id: header[1] ?? '', kind: header[2] as DqdlExample['kind'], source: header[3] ?? '', lines: [] };
    } else if (current) {
      current.lines.push(line);
    }
  }
  flush();
  return examples;
}
