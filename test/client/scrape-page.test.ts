/**
 * How the scrape page reads: a task's progress by stage, its bytes, and the command line that
 * scrapes the same job (quoted so a shell reads back exactly the input). A job's result reads
 * as everywhere (lib/verdicts.ts, tested with the CI pages).
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../client/src/lib/format.js';
import { progressOf, STAGES } from '../../client/src/pages/scrape/progress.js';
import { scrapeCommand } from '../../client/src/pages/scrape/command.js';

describe('the scrape page', () => {
  it('steps the progress bar through the stages, in order, never full before the run opens', () => {
    const values = STAGES.map((stage) => progressOf(stage)!.value);
    expect([...values].sort((a, b) => a - b)).toEqual(values);
    expect(values[0]).toBeGreaterThan(0);
    expect(values.at(-1)).toBeLessThan(1);
    expect(progressOf('downloading')!.text).toBe(`downloading: step 2 of ${STAGES.length}`);
    expect(progressOf(null)).toBeNull();
    expect(progressOf('dreaming')).toBeNull();
  });

  it('reads bytes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(12.34 * 1024 * 1024)).toBe('12.3 MiB');
    expect(formatBytes(64 * 1024 ** 3)).toBe('64.0 GiB');
    expect(formatBytes(null)).toBe('–');
  });

  it('gives the command that scrapes the same job, which a shell reads back word for word', () => {
    const input = "https://logs.example.org/a b/it's#frag";
    const job = 'tempest full';
    const line = scrapeCommand(input, job);
    expect(line.startsWith('npx gatewatch scrape --job ')).toBe(true);
    // The shell's own reading of the line: one argument per line after the command.
    const words = execFileSync('sh', ['-c', `printf '%s\\n' ${line.slice('npx '.length)}`], {
      encoding: 'utf8',
    });
    expect(words.split('\n').slice(0, -1)).toEqual(['gatewatch', 'scrape', '--job', job, input]);
    expect(scrapeCommand('271726', null)).toBe('npx gatewatch scrape 271726');
  });
});
