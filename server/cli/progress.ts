import type { Writable } from 'node:stream';

/** A one-line progress bar on a terminal; silent when its stream is not a TTY. */
export interface Progress {
  /** Bytes of input read so far. */
  advance(bytes: number): void;
  /** Test results parsed and handed to the database. */
  parsed(results: number): void;
  /** An input is over: stored, or failed. */
  fileDone(): void;
  /** Draws the bar now (a timer calls it five times a second). */
  draw(): void;
  /** Erases the bar so a line can be printed; it is drawn again on the next tick. */
  clear(): void;
  stop(): void;
}

/** What the bar shows. */
export interface ProgressState {
  /** Bytes read. */
  read: number;
  /** Bytes to read; null when an input's size is not known ahead (stdin, a pipe). */
  total: number | null;
  /** Test results parsed. */
  tests: number;
  files: number;
  /** Inputs over. */
  done: number;
  elapsedMs: number;
}

const WIDTH = 30;

/**
 * The bar's text: bytes read (a bar and a percentage when the total is known), tests parsed
 * and their rate, the ETA, inputs done. It never claims more than is done: it stays below
 * 100 % and says "storing" once every byte is read but the runs are still being written.
 */
export function renderProgress(s: ProgressState): string {
  const seconds = s.elapsedMs / 1000;
  const mb = (n: number) => (n / 1e6).toFixed(1);
  const parts: string[] = [];
  const finished = s.done >= s.files;
  if (s.total !== null && s.total > 0) {
    const ratio = Math.min(1, s.read / s.total);
    // Reading is not storing: 100 % only once the last input is stored.
    const percent = finished ? 100 : Math.min(99, Math.floor(ratio * 100));
    const filled = Math.round((percent / 100) * WIDTH);
    parts.push(
      `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${String(percent).padStart(3)}%`,
      `${mb(s.read)}/${mb(s.total)} MB`,
    );
  } else {
    parts.push(`${mb(s.read)} MB`);
  }
  parts.push(`${s.tests.toLocaleString('en-US')} tests`);
  if (seconds > 0) parts.push(`${Math.round(s.tests / seconds).toLocaleString('en-US')} tests/s`);
  if (!finished) {
    const eta = etaSeconds(s);
    if (s.total !== null && s.read >= s.total) parts.push('storing');
    else if (eta !== null) parts.push(`ETA ${clock(eta)}`);
  }
  parts.push(`${s.done}/${s.files} files`);
  return parts.join('  ');
}

/** Seconds left at the byte rate so far; null when it cannot be told yet. */
function etaSeconds(s: ProgressState): number | null {
  if (s.total === null || s.read === 0 || s.elapsedMs === 0) return null;
  const rate = s.read / s.elapsedMs;
  return Math.ceil(Math.max(0, s.total - s.read) / rate / 1000);
}

function clock(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Short inputs finish before a bar would be worth showing. */
const FIRST_DRAW_MS = 500;

/**
 * A bar drawn on `out` (the command's stderr) only when it is a terminal. `totalBytes` is null
 * when some input's size is not known ahead. `now` is the clock (tests pass their own).
 */
export function createProgress(
  out: Writable & { isTTY?: boolean },
  totalBytes: number | null,
  files: number,
  now: () => number = Date.now,
): Progress {
  if (out.isTTY !== true) {
    return { advance() {}, parsed() {}, fileDone() {}, draw() {}, clear() {}, stop() {} };
  }
  const state: ProgressState = {
    read: 0,
    total: totalBytes,
    tests: 0,
    files,
    done: 0,
    elapsedMs: 0,
  };
  const started = now();
  let shown = false;
  let stopped = false;
  const draw = () => {
    state.elapsedMs = now() - started;
    if (stopped || (!shown && state.elapsedMs < FIRST_DRAW_MS)) return;
    shown = true;
    out.write(`\r\x1b[K${renderProgress(state)}`);
  };
  const timer = setInterval(draw, 200);
  timer.unref();
  return {
    advance(bytes) {
      state.read += bytes;
    },
    parsed(results) {
      state.tests += results;
    },
    fileDone() {
      state.done++;
    },
    draw,
    clear() {
      if (shown) out.write('\r\x1b[K');
    },
    stop() {
      clearInterval(timer);
      stopped = true;
      if (shown) out.write('\r\x1b[K');
      shown = false;
    },
  };
}
