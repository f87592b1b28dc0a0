import type { Response } from 'express';

/**
 * Written in slices this size: a write completes (counts as progress) only once the kernel has
 * taken all of it, so a whole page in one write could look stalled while the client reads.
 */
const SLICE_BYTES = 64 * 1024;

/**
 * Writes a long response with backpressure, and cuts it when the client has taken no data for
 * `stallMs`.
 *
 * Progress is a write the socket has completed (the kernel took the bytes, so the client made
 * room for them), not activity on the socket: Node's socket timeout also counts bytes the
 * client sends, so a client could keep an export alive without ever reading. The kernel's send
 * buffer (up to a few MB) hides the client's reading from the process: a full socket turns
 * writable again only once about a third of it has drained. So a client reading steadily but
 * very slowly (below roughly 1.3 MB per timeout on Linux defaults) can look stalled; that is the
 * price of the process having no finer signal, and why the timeout is a setting.
 */
export class ResponseWriter {
  /** True once the writer cut a client that stopped reading. */
  stalled = false;
  private lastProgress = Date.now();
  private readonly progress = (): void => {
    this.lastProgress = Date.now();
  };

  constructor(
    private readonly res: Response,
    private readonly stallMs: number,
  ) {}

  /** False once the response is gone: cut, or closed by the client. */
  get open(): boolean {
    // After a reset, res.destroyed turns true only when the socket's close event arrives.
    return !this.stalled && !this.res.destroyed;
  }

  /** Resolves true when the client has room for more, false when the response is gone. */
  async write(data: Buffer): Promise<boolean> {
    for (let at = 0; at < data.length; at += SLICE_BYTES) {
      if (!this.open) return false;
      if (!this.res.write(data.subarray(at, at + SLICE_BYTES), this.progress) && !(await this.wait('drain')))
        return false;
    }
    return this.open;
  }

  /** Ends the response; resolves true once the client has taken the last bytes. */
  async end(): Promise<boolean> {
    if (!this.open) return false;
    this.res.end();
    return this.res.writableFinished || this.wait('finish');
  }

  /** Waits for the event while the client keeps taking data; false if the response goes first. */
  private wait(event: 'drain' | 'finish'): Promise<boolean> {
    const res = this.res;
    // The clock starts with the wait: the client cannot be late for data not yet written.
    this.lastProgress = Date.now();
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = (ok: boolean) => {
        clearTimeout(timer);
        res.off(event, onEvent);
        res.off('close', onClose);
        resolve(ok);
      };
      const onEvent = () => settle(true);
      const onClose = () => settle(false);
      const check = () => {
        const idle = Date.now() - this.lastProgress;
        if (idle < this.stallMs) {
          timer = setTimeout(check, this.stallMs - idle);
          return;
        }
        this.stalled = true;
        reset(res);
        settle(false);
      };
      res.once(event, onEvent);
      res.once('close', onClose);
      timer = setTimeout(check, this.stallMs);
    });
  }
}

/**
 * Drops the connection with a TCP reset: the unsent rest is discarded at once, so the kernel
 * frees the buffers it held for this client, and a client that reads again gets an error
 * rather than the first part of a file.
 */
function reset(res: Response): void {
  try {
    if (res.socket && !res.socket.destroyed) {
      res.socket.resetAndDestroy();
      return;
    }
  } catch {
    // not a TCP socket: an ordinary close below
  }
  res.destroy();
}
