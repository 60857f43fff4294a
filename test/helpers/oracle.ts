/**
 * The reference reader: Debian's python-subunit + testtools (test/oracle/subunit_oracle.py)
 * and `subunit-stats`. Under CI=true they must be installed; by hand their tests skip.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../oracle/subunit_oracle.py', import.meta.url));
const PYTHON = '/usr/bin/python3';

export interface OracleRow {
  id: string;
  status: string;
  start: number | null;
  stop: number | null;
  tags: string[];
  attachments: string[];
}

export interface OracleReport {
  format: 'v1' | 'v2';
  rows: OracleRow[];
  counts: Record<string, number>;
  parser_errors: number;
  run_files: Record<string, number>;
}

export const oracleAvailable: boolean = (() => {
  const probe = spawnSync(PYTHON, ['-c', 'import subunit, testtools'], { stdio: 'ignore' });
  const ok =
    probe.status === 0 && spawnSync('subunit-stats', ['--help'], { stdio: 'ignore' }).status === 0;
  if (!ok && process.env.CI === 'true') {
    throw new Error('CI: python3-subunit and subunit (subunit-stats) must be installed');
  }
  return ok;
})();

/** Debian's stestr (python3-stestr): the timings and exclude-list tests run it. */
export const STESTR = '/usr/bin/stestr';

/** Its tests skip when run by hand without it; under CI=true it must be installed. */
export const stestrMissing: boolean = (() => {
  const missing = spawnSync(STESTR, ['--version'], { stdio: 'ignore' }).status !== 0;
  if (missing && process.env.CI === 'true') {
    throw new Error('CI: python3-stestr (/usr/bin/stestr) must be installed');
  }
  return missing;
})();

/** What python-subunit reads from a file (decompressed, v1 or v2). */
export function oracle(path: string, options: { v1?: boolean } = {}): OracleReport {
  const args = [SCRIPT, ...(options.v1 ? ['--v1'] : []), path];
  return JSON.parse(
    execFileSync(PYTHON, args, { maxBuffer: 256 << 20 }).toString(),
  ) as OracleReport;
}

/** `subunit-stats` counts of a v2 stream given on stdin (it exits 1 when a test failed). */
export function subunitStats(stream: Buffer): Record<string, number> {
  const run = spawnSync('subunit-stats', ['--no-passthrough'], { input: stream });
  if (run.status !== 0 && run.status !== 1)
    throw new Error(`subunit-stats: ${run.stderr.toString()}`);
  const text = run.stdout.toString();
  const counts: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z ]+?)\s*(?:tests)?\s*:\s*(\d+)/.exec(line.trim());
    if (match) counts[match[1]!.toLowerCase()] = Number(match[2]);
  }
  return counts;
}

/** A row as comparable text; sorted lists of these are compared as multisets. */
export function rowKey(row: Pick<OracleRow, 'id' | 'status' | 'start' | 'stop' | 'tags'>): string {
  return JSON.stringify([row.id, row.status, row.start, row.stop, [...row.tags].sort()]);
}
