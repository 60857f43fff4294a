/** How `gatewatch ingest` tells what became of each input, for a person and for a CI script. */
import { errorCatalogue, GatewatchError, type AnyErrorCode } from '../errors.js';
import { messageOf, type IngestSummary } from '../ingest/ingest.js';
import { summaryJson } from '../ingest/summary.js';
import type { CliIo } from '../command.js';
import type { Progress } from './progress.js';

export interface IngestReport {
  /** An input stored as a run (or found already stored). */
  stored(input: string, summary: IngestSummary): void;
  /** An input not stored, and why. */
  failed(input: string, error: unknown): void;
  /**
   * Says what was stored and what was not when an input failed; resolves to the exit status:
   * 0 when every input was stored, else 1.
   */
  finish(): number;
}

/** A `--json` line of an input that was not stored. */
interface IngestErrorJson {
  input: string;
  error: { code: AnyErrorCode; message: string };
}

/**
 * A report on the command's streams: per input a line on stdout (text, or one JSON object
 * naming its `input` under `--json`, errors included), messages and warnings on stderr.
 */
export function createIngestReport(
  io: CliIo,
  json: boolean,
  progress: Progress,
  inputs: number,
): IngestReport {
  const stored: string[] = [];
  const notStored: string[] = [];
  return {
    stored(input, s) {
      stored.push(input);
      progress.clear();
      for (const warning of s.warnings) io.stderr.write(`gatewatch ingest: ${input}: ${warning}\n`);
      if (json) {
        io.stdout.write(`${JSON.stringify({ input, ...summaryJson(s) })}\n`);
        return;
      }
      io.stdout.write(`${input}: ${describeSummary(s)}\n`);
    },
    failed(input, error) {
      notStored.push(input);
      progress.clear();
      const message = withoutName(input, messageOf(error));
      io.stderr.write(`gatewatch ingest: ${input}: ${message}\n`);
      if (json) {
        const line: IngestErrorJson = { input, error: { code: codeOf(error), message } };
        io.stdout.write(`${JSON.stringify(line)}\n`);
      }
    },
    finish() {
      if (notStored.length === 0) return 0;
      progress.clear();
      io.stderr.write(
        `gatewatch ingest: stored ${stored.length} of ${inputs} ${inputs === 1 ? 'input' : 'inputs'}` +
          `${stored.length > 0 ? ` (${stored.join(', ')})` : ''}; not stored: ${notStored.join(', ')}\n`,
      );
      return 1;
    },
  };
}

/** A stored run in words, as `gatewatch ingest` prints it. */
export function describeSummary(s: IngestSummary): string {
  const parts = [
    `${s.passes} passed`,
    `${s.failures} failed`,
    `${s.skips} skipped`,
    s.xfails ? `${s.xfails} xfail` : '',
    s.uxsuccesses ? `${s.uxsuccesses} uxsuccess` : '',
    s.incomplete ? `${s.incomplete} incomplete` : '',
    s.parseErrors ? `${s.parseErrors} parse errors` : '',
  ].filter(Boolean);
  const what = s.duplicate ? 'already stored as run' : 'run';
  return `${what} ${s.run}: ${s.tests} ${s.tests === 1 ? 'test' : 'tests'} (${parts.join(', ')})`;
}

/** The error's catalogue code: its own, the server's for an upload, else internal. */
function codeOf(error: unknown): AnyErrorCode {
  if (error instanceof GatewatchError) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && Object.hasOwn(errorCatalogue, code)
    ? (code as AnyErrorCode)
    : 'INTERNAL_SERVER_ERROR';
}

/** Messages of the ingest may start with the input's name: it is said once already. */
function withoutName(input: string, message: string): string {
  return message.startsWith(`${input}: `) ? message.slice(input.length + 2) : message;
}
