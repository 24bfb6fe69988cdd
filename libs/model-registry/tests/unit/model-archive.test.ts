import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readArchiveFile } from '../../src/model-archive';

async function packed(files: Record<string, string>, pack: (folder: string, out: string) => void): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'cur-model-archive-'));
  try {
    const folder = join(dir, 'model');
    await mkdir(folder);
    for (const [name, body] of Object.entries(files)) await writeFile(join(folder, name), body);
    pack(folder, join(dir, 'model.tar.gz'));
    return await readFile(join(dir, 'model.tar.gz'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('readArchiveFile', () => {
  const files = { 'model.joblib': 'x'.repeat(1500), 'model.json': '{"score_distribution":{"holdout_counts":[1,2]}}' };

  it("finds a file in an archive packed by Python's tarfile (PAX, as SageMaker's Python side packs SM_MODEL_DIR)", async () => {
    const script = 'import sys, tarfile, os\nwith tarfile.open(sys.argv[2], "w:gz") as t:\n    [t.add(os.path.join(sys.argv[1], f), arcname=f) for f in sorted(os.listdir(sys.argv[1]))]';
    const archive = await packed(files, (folder, out) => execFileSync('python3', ['-c', script, folder, out]));
    expect(Buffer.from(readArchiveFile(archive, 'model.json') ?? []).toString('utf8')).toBe(files['model.json']);
    expect(readArchiveFile(archive, 'model.joblib')?.length).toBe(1500);
  });

  it('finds a file named ./model.json (GNU tar of the folder) and returns undefined for a missing one', async () => {
    const archive = await packed(files, (folder, out) => execFileSync('tar', ['-czf', out, '-C', folder, '.']));
    expect(Buffer.from(readArchiveFile(archive, 'model.json') ?? []).toString('utf8')).toBe(files['model.json']);
    expect(readArchiveFile(archive, 'metrics.json')).toBeUndefined();
  });

  it('reads a long name from its PAX path record', async () => {
    const long = `${'n'.repeat(120)}.json`;
    const script = 'import sys, tarfile, os\nwith tarfile.open(sys.argv[2], "w:gz", format=tarfile.PAX_FORMAT) as t:\n    [t.add(os.path.join(sys.argv[1], f), arcname=f) for f in sorted(os.listdir(sys.argv[1]))]';
    const archive = await packed({ [long]: 'long', 'model.json': '{}' }, (folder, out) => execFileSync('python3', ['-c', script, folder, out]));
    expect(Buffer.from(readArchiveFile(archive, long) ?? []).toString('utf8')).toBe('long');
    expect(Buffer.from(readArchiveFile(archive, 'model.json') ?? []).toString('utf8')).toBe('{}');
  });
});
