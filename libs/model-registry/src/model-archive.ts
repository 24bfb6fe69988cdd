import { gunzipSync } from 'node:zlib';

const BLOCK = 512;

/**
 * One file of a gzipped tar archive, as SageMaker packs `SM_MODEL_DIR` into `model.tar.gz` (Python's `tarfile`:
 * ustar or PAX headers, names relative to the folder, perhaps with a leading `./`). Returns `undefined` when the
 * archive has no such regular file.
 *
 * @param archive - the `.tar.gz` bytes
 * @param name - the file's name in the archive, e.g. `model.json`
 * @internal
 */
export function readArchiveFile(archive: Uint8Array, name: string): Uint8Array | undefined {
  const tar = gunzipSync(archive);
  let offset = 0;
  let paxPath: string | undefined;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) return undefined;
    const size = Number.parseInt(text(header.subarray(124, 136)).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const body = tar.subarray(offset + BLOCK, offset + BLOCK + size);
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      paxPath = paxRecord(body, 'path');
      continue;
    }
    const prefix = text(header.subarray(345, 500));
    const path = paxPath ?? (prefix === '' ? text(header.subarray(0, 100)) : `${prefix}/${text(header.subarray(0, 100))}`);
    paxPath = undefined;
    if ((type === '0' || type === '\0') && path.replace(/^\.\//, '') === name) return body;
  }
  return undefined;
}

function text(field: Uint8Array): string {
  const end = field.indexOf(0);
  return Buffer.from(end === -1 ? field : field.subarray(0, end)).toString('utf8');
}

/** A PAX extended header's record (`<length> <key>=<value>\n` each). */
function paxRecord(body: Uint8Array, key: string): string | undefined {
  for (const line of Buffer.from(body).toString('utf8').split('\n')) {
    const record = line.slice(line.indexOf(' ') + 1);
    if (record.startsWith(`${key}=`)) return record.slice(key.length + 1);
  }
  return undefined;
}
