import type { Writable } from 'node:stream';

/** A one-line progress bar on a terminal; silent when its stream is not a TTY. */
export interface Progress {
  /** Bytes of input read so far. */
  advance(bytes: number): void;
  fileDone(): void;
  /** Erases the bar so a line can be printed; it is drawn again on the next tick. */
  clear(): void;
  stop(): void;
}

/** A bar drawn on `out` (the command's stderr) only when it is a terminal. */
export function createProgress(
  out: Writable & { isTTY?: boolean },
  totalBytes: number,
  files: number,
): Progress {
  if (out.isTTY !== true || totalBytes === 0) {
    return { advance() {}, fileDone() {}, clear() {}, stop() {} };
  }
  let read = 0;
  let done = 0;
  let shown = false;
  const started = Date.now();
  const draw = () => {
    // Short inputs finish before the bar would be worth showing.
    if (!shown && Date.now() - started < 500) return;
    shown = true;
    const ratio = Math.min(1, read / totalBytes);
    const width = 30;
    const filled = Math.round(ratio * width);
    const mb = (n: number) => (n / 1e6).toFixed(1);
    out.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}%` +
        ` ${mb(read)}/${mb(totalBytes)} MB  ${done}/${files} files`,
    );
  };
  const timer = setInterval(draw, 200);
  timer.unref();
  return {
    advance(bytes) {
      read += bytes;
    },
    fileDone() {
      done++;
    },
    clear() {
      if (shown) out.write('\r\x1b[K');
    },
    stop() {
      clearInterval(timer);
      if (shown) out.write('\r\x1b[K');
      shown = false;
    },
  };
}
