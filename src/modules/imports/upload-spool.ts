import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
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
 * a retried database transaction can read the file again. Past `maxBytes` it keeps reading but
 * stores nothing more, then throws UploadTooLarge: the client, having sent its body, reads the
 * 413 (cutting the socket instead would leave it with a reset). HTTP_REQUEST_TIMEOUT still bounds
 * how long a body may take.
 */
export async function spoolUpload(body: Readable, maxBytes: number): Promise<SpooledUpload> {
  const directory = await mkdtemp(join(tmpdir(), 'ledgerline-import-'));
  const path = join(directory, 'upload');
  const discard = () => rm(directory, { recursive: true, force: true });
  const hash = createHash('sha256');
  const file = createWriteStream(path);
  let bytes = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > maxBytes) continue;
      hash.update(chunk);
      if (!file.write(chunk)) await once(file, 'drain');
    }
    file.end();
    await finished(file);
  } catch (error) {
    file.destroy();
    await discard();
    throw error;
  }
  if (bytes > maxBytes) {
    await discard();
    throw new UploadTooLarge();
  }
  const sha256 = hash.digest('hex');
  return {
    bytes,
    discard,
    source: { sha256, open: () => createReadStream(path, { highWaterMark: 64 * 1024 }) },
  };
}
