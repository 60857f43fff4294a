import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { loadConfig } from '../config.js';
import { openDatabase, type Database } from '../db/orm.js';
import { GatewatchError } from '../errors.js';
import { checkMetadata, ingestRun, messageOf, type IngestSummary } from '../ingest/ingest.js';
import { createParserPool, type ParserPool } from '../ingest/pool.js';
import { dbOption, parseCommandArgs, type Command } from './command.js';
import { createProgress, type Progress } from './progress.js';

export const ingest: Command = {
  name: 'ingest',
  summary: 'store subunit streams (v1/v2, gzip or not, - for stdin) as runs',
  usage:
    'gatewatch ingest [--db URL] [--meta key=value]… [--dstat FILE] [--artifacts URL] [--json] FILE|-…',
  async run(argv) {
    const { values, positionals } = parseCommandArgs('ingest', argv, {
      ...dbOption,
      meta: { type: 'string', multiple: true },
      dstat: { type: 'string' },
      artifacts: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (positionals.length === 0) {
      throw new GatewatchError('BAD_ARGUMENT', 'no input: name subunit files, or - for stdin');
    }
    if (values.dstat !== undefined && positionals.length > 1) {
      throw new GatewatchError('BAD_ARGUMENT', '--dstat belongs to one run: give a single input');
    }
    if (positionals.filter((p) => p === '-').length > 1) {
      throw new GatewatchError('BAD_ARGUMENT', 'stdin (-) can be read only once');
    }
    const metadata = checkMetadata(parseMeta(values.meta ?? []));
    const artifactsUrl = values.artifacts === undefined ? undefined : checkUrl(values.artifacts);
    if (values.dstat !== undefined) await inputSize(values.dstat);
    const config = loadConfig({ db: values.db });
    // An unreadable input is reported and skipped; the others are still stored.
    const inputs: { name: string; size: number }[] = [];
    for (const name of positionals) {
      try {
        inputs.push({ name, size: await inputSize(name) });
      } catch (error) {
        console.error(`gatewatch ingest: ${messageOf(error)}`);
      }
    }
    if (inputs.length === 0) return 1;

    const db = await openDatabase(config.db);
    const pool = createParserPool();
    const progress = createProgress(
      inputs.reduce((total, input) => total + input.size, 0),
      inputs.length,
    );
    let stored = 0;
    try {
      const queue = inputs.map((input) => input.name);
      const next = async (): Promise<void> => {
        for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
          const outcome = await ingestOne(db, pool, progress, name, {
            metadata,
            artifactsUrl,
            dstat: values.dstat,
          });
          progress.fileDone();
          if (outcome === null) continue;
          stored++;
          report(name, outcome, values.json === true, progress);
        }
      };
      // As many inputs in flight as the pool has threads: parsing overlaps storing.
      await Promise.all(Array.from({ length: Math.min(pool.threads, queue.length) }, next));
    } finally {
      progress.stop();
      await pool.close();
      await db.close();
    }
    return stored > 0 ? 0 : 1;
  },
};

async function ingestOne(
  db: Database,
  pool: ParserPool,
  progress: Progress,
  name: string,
  options: { metadata: Record<string, string>; artifactsUrl?: string; dstat?: string },
): Promise<IngestSummary | null> {
  try {
    return await ingestRun(db, pool, {
      name,
      source: counted(openInput(name), progress),
      metadata: options.metadata,
      artifactsUrl: options.artifactsUrl,
      dstat:
        options.dstat === undefined
          ? undefined
          : { name: options.dstat, source: openInput(options.dstat) },
    });
  } catch (error) {
    progress.clear();
    console.error(`gatewatch ingest: ${name}: ${messageOf(error)}`);
    return null;
  }
}

function report(name: string, s: IngestSummary, json: boolean, progress: Progress): void {
  progress.clear();
  for (const warning of s.warnings) console.error(`gatewatch ingest: ${name}: ${warning}`);
  if (json) {
    const { run, tests, passes, failures, skips, xfails, uxsuccesses, incomplete } = s;
    const line = { run, tests, passes, failures, skips, xfails, uxsuccesses, incomplete };
    console.log(JSON.stringify({ ...line, parseErrors: s.parseErrors, duplicate: s.duplicate }));
    return;
  }
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
  console.log(
    `${name}: ${what} ${s.run}: ${s.tests} ${s.tests === 1 ? 'test' : 'tests'} (${parts.join(', ')})`,
  );
}

function openInput(name: string): AsyncIterable<Uint8Array> {
  return name === '-' ? process.stdin : createReadStream(name, { highWaterMark: 1 << 20 });
}

async function* counted(
  source: AsyncIterable<Uint8Array>,
  progress: Progress,
): AsyncIterable<Uint8Array> {
  for await (const chunk of source) {
    progress.advance(chunk.length);
    yield chunk;
  }
}

/** The size of a readable input (0 for stdin); a missing or unreadable file is named. */
async function inputSize(name: string): Promise<number> {
  if (name === '-') return 0;
  try {
    const info = await stat(name);
    if (!info.isFile()) throw new Error('not a regular file');
    return info.size;
  } catch (error) {
    throw new GatewatchError('INPUT_UNREADABLE', `cannot read ${name}: ${messageOf(error)}`);
  }
}

function parseMeta(pairs: string[]): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      throw new GatewatchError('BAD_ARGUMENT', `--meta "${pair}": expected key=value`);
    }
    metadata[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return metadata;
}

function checkUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return url;
  } catch {
    // reported below
  }
  throw new GatewatchError('BAD_ARGUMENT', `--artifacts "${url}": expected an http(s) URL`);
}
