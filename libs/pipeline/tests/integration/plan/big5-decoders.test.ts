import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findWorkspacePython } from '../../../src/steps/one-shot-spark-mask-job';

const run = promisify(execFile);

/**
 * Big5 is decoded by two implementations: iconv-lite's `cp950` (ingestion's checks and the DuckDB mask step) and the
 * JVM's charset the Spark mask job names for big5 (`x-windows-950`, its CSV reader's). Tokens can only be byte-identical if both read every byte
 * sequence to the same text, so every single byte and every double-byte code CP950 can hold is decoded by both.
 */
const JAVA_TABLE = `
import java.nio.ByteBuffer;
import java.nio.charset.*;
public class Cp950Table {
  public static void main(String[] args) {
    Charset charset = Charset.forName(args[0]);
    StringBuilder out = new StringBuilder();
    for (int lead = 0; lead <= 0xFE; lead++) {
      for (int trail = lead < 0x81 ? -1 : 0x40; trail <= (lead < 0x81 ? -1 : 0xFE); trail++) {
        if (trail > 0x7E && trail < 0xA1) continue;
        byte[] bytes = trail < 0 ? new byte[] { (byte) lead } : new byte[] { (byte) lead, (byte) trail };
        String text;
        try {
          text = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
          text = null;
        }
        out.append(String.format("%02X%s %s%n", lead, trail < 0 ? "" : String.format("%02X", trail), text == null ? "-" : text.codePoints().mapToObj(c -> String.format("%04X", c)).reduce((a, b) -> a + "+" + b).orElse("")));
      }
    }
    System.out.print(out);
  }
}
`;

function nodeTable(): Map<string, string> {
  const table = new Map<string, string>();
  const hex = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');
  const add = (bytes: number[]): void => {
    const text = iconv.decode(Buffer.from(bytes), 'cp950');
    table.set(bytes.map(hex).join(''), text.includes('\uFFFD') ? '-' : [...text].map((c) => (c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')).join('+'));
  };
  for (let lead = 0; lead <= 0x80; lead += 1) add([lead]);
  for (let lead = 0x81; lead <= 0xfe; lead += 1) for (let trail = 0x40; trail <= 0xfe; trail += 1) if (trail <= 0x7e || trail >= 0xa1) add([lead, trail]);
  return table;
}

let work: string;
let java: Map<string, string>;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'cur-cp950-'));
  await writeFile(join(work, 'Cp950Table.java'), JAVA_TABLE);
  // The Java Spark runs on (the one cur_spark's session picks) and the charset name the mask job gives Spark for big5.
  const probe = 'from cur_spark.session import find_java_home; from cur_spark.mask import SPARK_ENCODINGS; print(find_java_home()); print(SPARK_ENCODINGS["big5"])';
  const [home = '', charset = ''] = (await run(findWorkspacePython(), ['-c', probe])).stdout.trim().split('\n');
  const { stdout } = await run(join(home, 'bin', 'java'), [join(work, 'Cp950Table.java'), charset], { maxBuffer: 16 * 1024 * 1024 });
  java = new Map(stdout.trim().split('\n').map((line) => line.split(' ') as [string, string]));
}, 120_000);
afterAll(() => rm(work, { recursive: true, force: true }));

describe('Big5 (CP950) on both engines', () => {
  it('decodes every byte sequence ingestion accepts to the same text in Java as in iconv-lite', () => {
    const node = nodeTable();
    const accepted = [...node].filter(([, text]) => text !== '-');
    const differing = accepted.filter(([bytes, text]) => java.get(bytes) !== text).map(([bytes]) => bytes);

    expect(accepted.length).toBeGreaterThan(13_000);
    expect(differing).toEqual([]);
  });

  it('accepts in Java only the user-defined area beyond that, which ingestion refuses before masking', () => {
    const node = nodeTable();
    const javaOnly = [...java].filter(([bytes, text]) => text !== '-' && node.get(bytes) === '-');

    expect(javaOnly.every(([, text]) => Number.parseInt(text, 16) >= 0xe000 && Number.parseInt(text, 16) <= 0xf8ff)).toBe(true);
  });
});
