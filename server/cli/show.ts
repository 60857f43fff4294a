import { summarizeRun, type RunSummary } from '../runs/run.service.js';
import { switchOption, textOption, type Invocation } from '../command.js';
import { withDatabase } from './database.js';
import { resolveRun } from './run-ref.js';

/** `gatewatch show RUN|last [--job J]`: the run's summary, as text or JSON. */
export async function show(invocation: Invocation): Promise<number> {
  return withDatabase(invocation, async (db) => {
    const run = await resolveRun(db, invocation.args[0]!, textOption(invocation, 'job'));
    const summary = await summarizeRun(db.em(), run);
    const json = switchOption(invocation, 'json');
    invocation.io.stdout.write(
      `${json ? JSON.stringify(summary, null, 2) : formatSummary(summary)}\n`,
    );
    return 0;
  });
}

function formatSummary(s: RunSummary): string {
  const seconds = (n: number | null) => (n === null ? '-' : `${n.toFixed(3)} s`);
  const c = s.counts;
  const lines = [
    `run        ${s.run}`,
    `at         ${s.runAt} (subunit ${s.format})`,
    ...Object.entries(s.metadata).map(([k, v]) => `  ${k} = ${v}`),
    ...(s.artifactsUrl ? [`artifacts  ${s.artifactsUrl}`] : []),
    `tests      ${s.tests}: ${c.passes} passed, ${c.failures} failed, ${c.skips} skipped, ` +
      `${c.xfails} xfail, ${c.uxsuccesses} uxsuccess, ${c.incomplete} incomplete`,
    ...(s.parseErrors ? [`damage     ${s.parseErrors} unreadable packets`] : []),
    `duration   ${seconds(s.wallTime)} wall, ${seconds(s.summedTime)} summed, ${s.workers} workers`,
  ];
  if (s.slowest.length > 0) {
    lines.push('', 'slowest tests:');
    for (const t of s.slowest) lines.push(`  ${t.duration.toFixed(3).padStart(9)} s  ${t.testId}`);
  }
  if (s.failures.length > 0) {
    lines.push('', 'failures:');
    for (const f of s.failures) {
      lines.push(`  ${f.testId}${f.status === 'fail' ? '' : ` (${f.status})`}`);
      if (f.lastLine) lines.push(`      ${f.lastLine}`);
    }
  }
  if (s.dstat) {
    lines.push(
      '',
      `dstat      ${s.dstat.samples} samples of ${s.dstat.columns} columns, ${s.dstat.start ?? '?'} → ${s.dstat.stop ?? '?'}`,
    );
  }
  for (const a of s.artifacts) {
    lines.push(
      `artifact   ${a.kind} ${a.name}: ${a.size} bytes (${a.storedSize} gzip), sha256 ${a.sha256}`,
    );
  }
  return lines.join('\n');
}
