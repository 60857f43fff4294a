import type { Writable } from 'node:stream';

/**
 * A command's stdout for output that may be cut short: when its reader goes away
 * (`gatewatch export RUN | head`), writes stop quietly instead of failing with `write EPIPE`.
 */
export interface Output {
  /**
   * Writes `chunk`, waiting for the reader when the stream is full. Resolves to false once the
   * reader has gone: the command should stop producing and end with status 0.
   */
  write(chunk: Uint8Array | string): Promise<boolean>;
}

/** Wraps `stream`; any error other than a closed pipe is thrown by the next `write`. */
export function createOutput(stream: Writable): Output {
  let closed = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  // Kept for the stream's life: an 'error' without a listener would end the process.
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') closed = true;
    else failure ??= error;
    wake?.();
  });
  stream.on('close', () => {
    closed = true;
    wake?.();
  });
  const waitForDrain = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
      stream.once('drain', resolve);
    }).finally(() => {
      wake = null;
    });
  return {
    async write(chunk) {
      if (failure) throw failure;
      if (closed) return false;
      if (!stream.write(chunk)) await waitForDrain();
      if (failure) throw failure;
      return !closed;
    },
  };
}
