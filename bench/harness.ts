/**
 * What a benchmark is, what it is given, and how it reports: figures as aligned tables, and
 * targets each judged `met` or `NOT met` against figures measured in the same run.
 */

export interface Benchmark {
  /** The word that selects it on the command line. */
  name: string;
  /** One line: what it measures. */
  summary: string;
  run(context: BenchContext): Promise<void>;
}

export interface BenchContext {
  /** Smaller inputs and fewer repetitions (a smoke run, figures only indicative). */
  quick: boolean;
  /** A private directory, removed when the run ends. */
  tmp: string;
  /** A MariaDB/MySQL server URL ending in `/`; benchmarks add a database name. */
  mysqlServer: string;
  report: Report;
}

export type Verdict = 'met' | 'NOT met' | 'skipped';

export interface TargetOutcome {
  benchmark: string;
  goal: string;
  measured: string;
  verdict: Verdict;
}

/** Prints as it goes and keeps every target for the closing summary. */
export class Report {
  readonly targets: TargetOutcome[] = [];
  /** Sanity checks that failed: the figures next to them are suspect. */
  readonly warnings: string[] = [];
  private current = '';

  constructor(private readonly print: (line: string) => void = (line) => console.log(line)) {}

  section(benchmark: Benchmark): void {
    this.current = benchmark.name;
    this.print('');
    this.print(`== ${benchmark.name}: ${benchmark.summary}`);
  }

  line(text = ''): void {
    this.print(text);
  }

  /** Columns padded to their widest cell; figures (cells starting with a digit) right-aligned. */
  table(header: string[], rows: string[][]): void {
    const all = [header, ...rows];
    const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
    const format = (row: string[]) =>
      row
        .map((cell, i) =>
          i > 0 && /^[+\d]/.test(cell) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!),
        )
        .join('  ')
        .trimEnd();
    this.print(`  ${format(header)}`);
    for (const row of rows) this.print(`  ${format(row)}`);
  }

  target(goal: string, measured: string, met: boolean): void {
    this.record({ benchmark: this.current, goal, measured, verdict: met ? 'met' : 'NOT met' });
  }

  skipped(goal: string, why: string): void {
    this.record({ benchmark: this.current, goal, measured: why, verdict: 'skipped' });
  }

  /** Prints a warning when `ok` is false; the run goes on. */
  check(ok: boolean, message: string): void {
    if (ok) return;
    const warning = `${this.current}: ${message}`;
    this.warnings.push(warning);
    this.print(`  WARNING: ${message}`);
  }

  /** The closing summary: one line per target. */
  summary(): void {
    this.print('');
    this.print('== targets');
    if (this.targets.length === 0) this.print('  (none measured)');
    for (const t of this.targets) this.print(`  ${targetLine(t)}`);
    for (const warning of this.warnings) this.print(`  WARNING: ${warning}`);
  }

  private record(outcome: TargetOutcome): void {
    this.targets.push(outcome);
    this.print(`  target ${targetLine(outcome)}`);
  }
}

function targetLine(t: TargetOutcome): string {
  return `${t.verdict.padEnd(7)}  ${t.benchmark}: ${t.goal} — ${t.measured}`;
}
