/** Runs the compiled `gatewatch` command as a user would (built by `npm test` first). */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const MAIN = fileURLToPath(new URL('../../dist/server/main.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: Buffer;
  stderr: string;
  /** stdout as text. */
  out: string;
}

export function gatewatch(
  args: string[],
  options: { stdin?: Buffer; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      const stdout = Buffer.concat(out);
      resolve({
        code: code ?? -1,
        stdout,
        out: stdout.toString(),
        stderr: Buffer.concat(err).toString(),
      });
    });
    child.stdin.end(options.stdin);
  });
}

/** The `--json` lines of an ingest. */
export function ingestLines(result: CliResult): IngestLine[] {
  return result.out
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as IngestLine);
}

export interface IngestLine {
  run: string;
  tests: number;
  passes: number;
  failures: number;
  skips: number;
  xfails: number;
  uxsuccesses: number;
  incomplete: number;
  parseErrors: number;
  duplicate: boolean;
}
