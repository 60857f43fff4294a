/**
 * The ingest progress bar: tests parsed, their rate and the ETA, and never more than is done
 * (reading every byte is not storing the runs). Drawn on a stream that says it is a terminal,
 * with the clock given.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress, renderProgress } from '../../server/cli/progress.js';

describe('renderProgress', () => {
  it('shows bytes, tests parsed, their rate, the ETA and the inputs done', () => {
    const line = renderProgress({
      read: 25e6,
      total: 100e6,
      tests: 12_345,
      files: 4,
      done: 1,
      elapsedMs: 10_000,
    });
    expect(line).toBe(
      `[${'#'.repeat(8)}${'.'.repeat(22)}]  25%  25.0/100.0 MB  12,345 tests  1,235 tests/s  ETA 0:30  1/4 files`,
    );
  });

  it('stays below 100 % while the last runs are written, and says so', () => {
    const storing = renderProgress({
      read: 100e6,
      total: 100e6,
      tests: 50_000,
      files: 2,
      done: 1,
      elapsedMs: 20_000,
    });
    expect(storing).toContain(' 99%');
    expect(storing).toContain('storing');
    expect(storing).not.toContain('ETA');
    const done = renderProgress({
      read: 100e6,
      total: 100e6,
      tests: 50_000,
      files: 2,
      done: 2,
      elapsedMs: 25_000,
    });
    expect(done).toBe(
      `[${'#'.repeat(30)}] 100%  100.0/100.0 MB  50,000 tests  2,000 tests/s  2/2 files`,
    );
  });

  it('shows what it knows when a size is not known ahead (stdin, a pipe)', () => {
    expect(
      renderProgress({ read: 3.5e6, total: null, tests: 700, files: 1, done: 0, elapsedMs: 2000 }),
    ).toBe('3.5 MB  700 tests  350 tests/s  0/1 files');
  });

  it('gives hours to a long ETA', () => {
    expect(
      renderProgress({ read: 1e6, total: 5e9, tests: 0, files: 1, done: 0, elapsedMs: 1000 }),
    ).toContain('ETA 1:23:19');
  });
});

describe('createProgress', () => {
  function terminal() {
    const stream = Object.assign(new PassThrough(), { isTTY: true });
    let written = '';
    stream.on('data', (chunk: Buffer) => (written += chunk.toString()));
    return { stream, written: () => written };
  }

  it('draws on a terminal once an ingest lasts, from what it is told', () => {
    let now = 1_000_000;
    const out = terminal();
    const progress = createProgress(out.stream, 1000, 1, () => now);
    progress.advance(400);
    progress.parsed(40);
    progress.draw();
    // Short ingests end before a bar is worth drawing.
    expect(out.written()).toBe('');
    now += 2000;
    progress.draw();
    expect(out.written()).toBe(
      `\r\x1b[K[${'#'.repeat(12)}${'.'.repeat(18)}]  40%  0.0/0.0 MB  40 tests  20 tests/s  ETA 0:03  0/1 files`,
    );
    progress.fileDone();
    progress.stop();
    expect(out.written().endsWith('\r\x1b[K')).toBe(true);
    const before = out.written();
    progress.draw();
    expect(out.written()).toBe(before);
  });

  it('writes nothing where stderr is not a terminal', () => {
    const stream = new PassThrough();
    let written = '';
    stream.on('data', (chunk: Buffer) => (written += chunk.toString()));
    const progress = createProgress(stream, 1000, 1, () => 0);
    progress.advance(1000);
    progress.draw();
    progress.stop();
    expect(written).toBe('');
  });
});
