import { randomUUID } from 'node:crypto';
import { link, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { PRIVATE_FILE_MODE } from './private-files';

/**
 * What a lock file in the state folder holds: the PID of the process that holds it and, for the local DynamoDB, the
 * loopback port it serves on and the token other `cur` processes must send. The file is 0600, so only the folder's
 * owner learns the token.
 */
export const lockRecordSchema = z.object({
  pid: z.number().int().positive(),
  port: z.number().int().min(1).max(65_535).optional(),
  token: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});

/** One lock file's content. */
export type LockRecord = z.infer<typeof lockRecordSchema>;

/** How {@link claimPidLock} ended: the lock is ours now, or a live process holds it. */
export type ClaimResult = { readonly claimed: true } | { readonly claimed: false; readonly holder: LockRecord };

/**
 * Parses a lock file's text: the JSON record, or the bare PID older versions wrote. `undefined` when it is neither
 * (a file being written by an older version, or garbage), which callers treat as stale.
 * @internal
 */
export function parseLockRecord(text: string): LockRecord | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return lockRecordSchema.safeParse({ pid: Number(trimmed) }).data;
  try {
    return lockRecordSchema.safeParse(JSON.parse(trimmed)).data;
  } catch {
    return undefined;
  }
}

/** The record in a lock file, or `undefined` when there is none or it cannot be read as one. @internal */
export async function readLockRecord(file: string): Promise<LockRecord | undefined> {
  try {
    return parseLockRecord(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** True while process `pid` exists (EPERM: it exists but belongs to another user). @internal */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims a lock file for this process: created exclusively (`wx`, 0600) with `record`. When the file exists and
 * names a live process, that process's record is returned; a file left by a process that no longer runs is taken
 * over safely: it is renamed aside (atomic), and only when the file renamed is the stale one it was judged by is it
 * deleted and the claim retried; a fresh lock renamed by mistake in a race is linked back.
 *
 * @throws the file system's error (EACCES on a read-only state folder) unchanged, for the caller to word
 * @internal
 */
export async function claimPidLock(file: string, record: LockRecord): Promise<ClaimResult> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      await writeFile(file, JSON.stringify(record), { flag: 'wx', mode: PRIVATE_FILE_MODE });
      return { claimed: true };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let seen: string;
    try {
      seen = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const holder = parseLockRecord(seen);
    if (holder !== undefined && isProcessRunning(holder.pid)) return { claimed: false, holder };
    await removeIfUnchanged(file, seen);
  }
  throw new Error(`could not claim ${file}: other processes kept taking it over`);
}

/** Replaces the record of a lock this process holds (temp file + rename, so readers never see half a record). @internal */
export async function updatePidLock(file: string, record: LockRecord): Promise<void> {
  const temp = `${file}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  await writeFile(temp, JSON.stringify(record), { mode: PRIVATE_FILE_MODE });
  await rename(temp, file);
}

/** Deletes a lock file if, and only if, it names this process. @internal */
export async function releasePidLock(file: string): Promise<void> {
  const holder = await readLockRecord(file).catch(() => undefined);
  if (holder?.pid === process.pid) await rm(file, { force: true });
}

/**
 * The synchronous claim, for a lock held until released ({@link releasePidLockSync}) or the process exits (the SYSTEM
 * scratch area): re-entrant within one process, an `exit` handler as backstop; a stale file (dead holder) is taken
 * over as {@link claimPidLock} does.
 * @internal
 */
export function claimPidLockUntilExit(file: string): ClaimResult {
  const record: LockRecord = { pid: process.pid };
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      writeFileSync(file, JSON.stringify(record), { flag: 'wx', mode: PRIVATE_FILE_MODE });
      releaseAtExit(file);
      return { claimed: true };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let seen: string;
    try {
      seen = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const holder = parseLockRecord(seen);
    if (holder?.pid === process.pid) return { claimed: true };
    if (holder !== undefined && isProcessRunning(holder.pid)) return { claimed: false, holder };
    const aside = `${file}.stale.${process.pid}.${randomUUID().slice(0, 8)}`;
    try {
      renameSyncAside(file, aside, seen);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new Error(`could not claim ${file}: other processes kept taking it over`);
}

/** Deletes a lock file now if, and only if, it names this process (the early release of {@link claimPidLockUntilExit}). @internal */
export function releasePidLockSync(file: string): void {
  let holder: LockRecord | undefined;
  try {
    holder = parseLockRecord(readFileSync(file, 'utf8'));
  } catch {
    return;
  }
  if (holder?.pid === process.pid) rmSync(file, { force: true });
}

/** Files whose release at exit is registered already: one `exit` listener per file, however often it is claimed. */
const releasedAtExit = new Set<string>();

function releaseAtExit(file: string): void {
  if (releasedAtExit.has(file)) return;
  releasedAtExit.add(file);
  process.once('exit', () => releasePidLockSync(file));
}

async function removeIfUnchanged(file: string, seen: string): Promise<void> {
  const aside = `${file}.stale.${process.pid}.${randomUUID().slice(0, 8)}`;
  try {
    await rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await readFile(aside, 'utf8');
  // Another process replaced the stale file between our read and our rename: put its fresh lock back.
  if (moved !== seen) await link(aside, file).catch(() => undefined);
  await rm(aside, { force: true });
}

function renameSyncAside(file: string, aside: string, seen: string): void {
  renameSync(file, aside);
  const moved = readFileSync(aside, 'utf8');
  if (moved !== seen) {
    try {
      linkSync(aside, file);
    } catch {
      // A third process claimed meanwhile: its lock stands.
    }
  }
  rmSync(aside, { force: true });
}
