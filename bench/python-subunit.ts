/**
 * The baseline: Debian's python-subunit (`/usr/bin/python3`) reading a stream with
 * `ByteStreamToStreamResult` into testtools' `StreamToDict`, timed inside Python
 * (interpreter start-up and the file read are not counted; see python-subunit.py).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PYTHON_BASELINE } from './paths.js';

const run = promisify(execFile);

/** Debian's interpreter, where `python3-subunit` installs; not whatever is first on PATH. */
export const PYTHON = '/usr/bin/python3';

export interface PythonParse {
  /** Seconds of each run. */
  seconds: number[];
  tests: number;
  statuses: Record<string, number>;
  bytes: number;
}

let available: Promise<string | null> | undefined;

/** Null when the baseline can run, else why not (said once per run, reused after). */
export function pythonSubunitUnavailable(): Promise<string | null> {
  available ??= run(PYTHON, ['-c', 'import subunit, testtools']).then(
    () => null,
    (error: unknown) =>
      `python-subunit baseline unavailable (${PYTHON} -c 'import subunit, testtools' failed: ` +
      `${firstLine(error)}); install Debian's python3-subunit`,
  );
  return available;
}

/** Parses the subunit v2 file at `path` with python-subunit `runs` times, timing each. */
export async function pythonSubunitParse(path: string, runs: number): Promise<PythonParse> {
  const { stdout } = await run(PYTHON, [PYTHON_BASELINE, path, String(runs)], {
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout) as PythonParse;
}

function firstLine(error: unknown): string {
  const text =
    (error as { stderr?: string }).stderr?.trim() ||
    (error instanceof Error ? error.message : String(error));
  return text.split('\n').at(-1) ?? text;
}
