/**
 * What the signature tables should hold for a set of streams, worked out apart from the
 * database: each stream parsed and its failures normalised here, then counted in memory.
 */
import { readFileSync } from 'node:fs';
import { signatureOf } from '../../workers/signatures/normalise.js';
import { createSubunitParser } from '../../workers/subunit/parser.js';
import { FIXTURES } from './server.js';

export interface OracleFailure {
  /** Index of its run in the list given. */
  run: number;
  job: string;
  testId: string;
  fingerprint: string;
  summary: string;
  message: string;
}

/** The failing results with a traceback of each stream (under test/fixtures), in order. */
export function failuresOf(runs: readonly { file: string; job: string }[]): OracleFailure[] {
  const failures: OracleFailure[] = [];
  runs.forEach(({ file, job }, run) => {
    const parser = createSubunitParser({
      result(result) {
        const traceback = result.attachments.find((a) => a.name === 'traceback');
        if (!['fail', 'uxsuccess'].includes(result.status) || !traceback) return;
        const s = signatureOf(Buffer.from(traceback.bytes).toString('utf8'))!;
        failures.push({ run, job, testId: result.testId, ...s });
      },
      runAttachment() {},
      parseError() {},
    });
    parser.write(readFileSync(`${FIXTURES}${file}`));
    parser.end();
  });
  return failures;
}

export interface OracleSignature {
  fingerprint: string;
  summary: string;
  failures: number;
  runs: number;
  /** Failures by test id and by job, sorted by name. */
  tests: { name: string; failures: number }[];
  jobs: { name: string; failures: number }[];
  /** The run (index) that saw it first. */
  firstRun: number;
}

export function signaturesOf(failures: readonly OracleFailure[]): Map<string, OracleSignature> {
  const found = new Map<string, OracleSignature>();
  const runSets = new Map<string, Set<number>>();
  const bump = (list: { name: string; failures: number }[], name: string) => {
    const entry = list.find((e) => e.name === name);
    if (entry) entry.failures++;
    else list.push({ name, failures: 1 });
  };
  for (const f of failures) {
    let s = found.get(f.fingerprint);
    if (!s) {
      s = {
        fingerprint: f.fingerprint,
        summary: f.summary,
        failures: 0,
        runs: 0,
        tests: [],
        jobs: [],
        firstRun: f.run,
      };
      found.set(f.fingerprint, s);
      runSets.set(f.fingerprint, new Set());
    }
    const runs = runSets.get(f.fingerprint)!.add(f.run);
    s.failures++;
    s.runs = runs.size;
    bump(s.tests, f.testId);
    bump(s.jobs, f.job);
  }
  // As the API ranks them: most failures first, then by name.
  const byShare = (a: { name: string; failures: number }, b: { name: string; failures: number }) =>
    b.failures - a.failures || (a.name < b.name ? -1 : 1);
  for (const s of found.values()) {
    s.tests.sort(byShare);
    s.jobs.sort(byShare);
  }
  return found;
}
