/**
 * Runs `gatewatch` as a test needs it: in-process through `runCli` (most cases), or by
 * spawning the built `dist/server/main.js` (the real entry: shebang, exit status, signals).
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../server/program.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const MAIN = join(ROOT, 'dist/server/main.js');

export interface CliResult {
  code: number;
  stdout: Buffer;
  stderr: string;
  /** stdout as text. */
  out: string;
}

export interface CliOptions {
  stdin?: Buffer;
  /** The whole environment in-process; added to the test's own when spawning. */
  env?: Record<string, string>;
}

/** `gatewatch ARGS…` in this process: stdout and stderr captured, stdin fed, env given. */
export async function gatewatch(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const stdout = collect();
  const stderr = collect();
  const code = await runCli(args, {
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
    stdout: stdout.stream,
    stderr: stderr.stream,
    env: options.env ?? {},
  });
  const out = stdout.bytes();
  return { code, stdout: out, out: out.toString(), stderr: stderr.bytes().toString() };
}

function collect(): { stream: PassThrough; bytes(): Buffer } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, bytes: () => Buffer.concat(chunks) };
}

/** `gatewatch ARGS…` as a user runs it: the built command in a child process. */
export function spawnGatewatch(args: string[], options: CliOptions = {}): Promise<CliResult> {
  checkBuilt();
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

/** Fails when `dist/` is missing or older than a source it is built from. */
export function checkBuilt(): void {
  let built: number;
  try {
    built = statSync(MAIN).mtimeMs;
  } catch {
    throw new Error(`${MAIN} is missing: run npm run build`);
  }
  const newer = ['server', 'workers'].flatMap((dir) => newerFiles(join(ROOT, dir), built));
  if (newer.length > 0) {
    throw new Error(`dist/ is stale: run npm run build (${newer[0]} is newer than dist/)`);
  }
}

function newerFiles(dir: string, than: number): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => statSync(path).mtimeMs > than);
}

/** The `--json` lines of an ingest. */
export function ingestLines(result: CliResult): IngestLine[] {
  return result.out
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as IngestLine);
}

export interface IngestLine {
  /** The input as named on the command line. */
  input: string;
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
