/**
 * Runs a command as a child process and measures its peak resident set size: with GNU time
 * (`/usr/bin/time -v`, the kernel's `ru_maxrss`) when it is there, else by polling the child's
 * `VmHWM` in /proc (the kernel's high-water mark, read every few milliseconds).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const GNU_TIME = '/usr/bin/time';
const POLL_MS = 5;

export interface MeasuredRun {
  code: number;
  stdout: string;
  /** The command's own stderr (GNU time's report removed). */
  stderr: string;
  seconds: number;
  peakRssBytes: number;
  /** How the peak was measured, for the report. */
  method: string;
}

export async function runMeasured(command: string, args: string[]): Promise<MeasuredRun> {
  return existsSync(GNU_TIME) ? withGnuTime(command, args) : withProcPolling(command, args);
}

async function withGnuTime(command: string, args: string[]): Promise<MeasuredRun> {
  const run = await spawnCollect(GNU_TIME, ['-v', command, ...args]);
  // GNU time appends its report to the command's stderr, starting at "Command being timed".
  const at = run.stderr.lastIndexOf('\tCommand being timed:');
  const timeReport = at < 0 ? '' : run.stderr.slice(at);
  const kib = /Maximum resident set size \(kbytes\): (\d+)/.exec(timeReport)?.[1];
  if (kib === undefined) throw new Error(`${GNU_TIME} -v printed no maximum RSS:\n${run.stderr}`);
  const stderr = (at < 0 ? run.stderr : run.stderr.slice(0, at)).replace(
    /Command exited with non-zero status \d+\n$/,
    '',
  );
  return { ...run, stderr, peakRssBytes: Number(kib) * 1024, method: `${GNU_TIME} -v` };
}

async function withProcPolling(command: string, args: string[]): Promise<MeasuredRun> {
  let peak = 0;
  const run = await spawnCollect(command, args, (pid) => {
    const timer = setInterval(() => {
      try {
        const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1];
        if (kib !== undefined) peak = Math.max(peak, Number(kib) * 1024);
      } catch {
        // the child has exited; its last high-water mark was read on the previous tick
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  });
  return { ...run, peakRssBytes: peak, method: `VmHWM polled every ${POLL_MS} ms` };
}

function spawnCollect(
  command: string,
  args: string[],
  watch?: (pid: number) => () => void,
): Promise<Omit<MeasuredRun, 'peakRssBytes' | 'method'>> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const stopWatching = child.pid === undefined ? undefined : watch?.(child.pid);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (error) => {
      stopWatching?.();
      reject(error);
    });
    child.on('close', (code) => {
      stopWatching?.();
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
        seconds: (performance.now() - started) / 1000,
      });
    });
  });
}
