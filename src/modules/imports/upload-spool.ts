import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ImportSource } from './import.service.js';

/** A request body written to a temporary file: the import reads it from there, as often as it needs. */
export interface SpooledUpload {
  source: ImportSource;
  bytes: number;
  /** Deletes the file. */
  discard(): Promise<void>;
}

export class UploadTooLarge extends Error {}

/**
 * Receives the whole body into a temporary file (hashing it on the way) before any database
 * work, so a client sending slowly holds a socket but never an account lock or a connection, and
 * a retried database transaction can read the file again. Above `maxBytes` it stops reading and
 * throws UploadTooLarge.
 */
export async function spoolUpload(body: Readable, maxBytes: number): Promise<SpooledUpload> {
  const directory = await mkdtemp(join(tmpdir(), 'ledgerline-import-'));
  const path = join(directory, 'upload');
  const discard = () => rm(directory, { recursive: true, force: true });
  const hash = createHash('sha256');
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) return done(new UploadTooLarge());
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(body, counter, createWriteStream(path));
  } catch (error) {
    await discard();
    throw error;
  }
  const sha256 = hash.digest('hex');
  return {
    bytes,
    discard,
    source: { sha256, open: () => createReadStream(path, { highWaterMark: 64 * 1024 }) },
  };
}
