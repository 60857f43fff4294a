import { loadConfig, loadUploadTarget, type Config } from '../config/config.js';
import { GatewatchError } from '../errors.js';
import { checkMetadata } from '../ingest/ingest.js';
import { openRuntime } from '../runtime.js';
import { listOption, switchOption, textOption, type CliIo, type Invocation } from '../command.js';
import {
  checkUrl,
  counted,
  inputOf,
  openInput,
  parseMeta,
  totalSize,
  type Input,
} from './ingest-inputs.js';
import { createIngestReport, type IngestReport } from './ingest-report.js';
import { createProgress, type Progress } from './progress.js';
import { uploadAll } from './upload.js';

/**
 * `gatewatch ingest FILE…`: stores each stream as a run, locally or through a server. Every
 * argument is checked before any input is read; an input that cannot be stored is reported
 * and the others still are; the status is 1 when any was not stored.
 */
export async function ingest(invocation: Invocation): Promise<number> {
  const { args, io } = invocation;
  const values = {
    db: textOption(invocation, 'db'),
    server: textOption(invocation, 'server'),
    token: textOption(invocation, 'token'),
    dstat: textOption(invocation, 'dstat'),
    artifacts: textOption(invocation, 'artifacts'),
  };
  if (values.dstat !== undefined && args.length > 1) {
    throw new GatewatchError('BAD_ARGUMENT', '--dstat belongs to one run: give a single input');
  }
  const stdinReaders = [...args, values.dstat].filter((p) => p === '-').length;
  if (stdinReaders > 1) {
    throw new GatewatchError('BAD_ARGUMENT', 'stdin (-) can be read only once');
  }
  const metadata = checkMetadata(parseMeta(listOption(invocation, 'meta')));
  if (values.server !== undefined) checkUploadArgs(values, metadata);
  else if (values.token !== undefined) {
    throw new GatewatchError('BAD_ARGUMENT', '--token goes with --server (uploads)');
  }
  const artifactsUrl = values.artifacts === undefined ? undefined : checkUrl(values.artifacts);
  // Refused before anything is read: a run stored without its recording would be a duplicate
  // the next time, when the recording is found.
  const dstat = values.dstat === undefined ? undefined : await inputOf(values.dstat);
  const destination =
    values.server === undefined
      ? { config: loadConfig(invocation.options, io.env) }
      : { target: loadUploadTarget({ server: values.server, token: values.token }, io.env) };
  const json = switchOption(invocation, 'json');
  const inputs: Input[] = [];
  const unreadable: [string, unknown][] = [];
  for (const name of args) {
    try {
      inputs.push(await inputOf(name));
    } catch (error) {
      unreadable.push([name, error]);
    }
  }
  const progress = createProgress(io.stderr, totalSize(inputs), inputs.length);
  const report = createIngestReport(io, json, progress, args.length);
  for (const [name, error] of unreadable) report.failed(name, error);
  try {
    if (inputs.length > 0 && destination.target !== undefined) {
      const options = { metadata, artifactsUrl, dstat, io };
      await uploadAll(destination.target, inputs, options, report, progress);
    } else if (inputs.length > 0 && destination.config !== undefined) {
      const options = { metadata, artifactsUrl, dstat: values.dstat, io };
      await ingestLocally(destination.config, inputs, options, report, progress);
    }
  } finally {
    progress.stop();
  }
  return report.finish();
}

interface LocalOptions {
  metadata: Record<string, string>;
  artifactsUrl?: string;
  dstat?: string;
  io: CliIo;
}

async function ingestLocally(
  config: Config,
  inputs: Input[],
  options: LocalOptions,
  report: IngestReport,
  progress: Progress,
): Promise<void> {
  const runtime = await openRuntime(config);
  const { ingest, pool } = runtime.services;
  try {
    const queue = inputs.map((input) => input.name);
    const next = async (): Promise<void> => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        try {
          const summary = await ingest.ingest({
            name,
            source: counted(openInput(name, options.io), progress),
            metadata: options.metadata,
            artifactsUrl: options.artifactsUrl,
            dstat:
              options.dstat === undefined
                ? undefined
                : { name: options.dstat, source: openInput(options.dstat, options.io) },
            onParsed: (results) => progress.parsed(results),
          });
          report.stored(name, summary);
        } catch (error) {
          report.failed(name, error);
        } finally {
          progress.fileDone();
        }
      }
    };
    // As many inputs in flight as the pool has threads: parsing overlaps storing.
    await Promise.all(Array.from({ length: Math.min(pool.threads, queue.length) }, next));
  } finally {
    await runtime.stop();
  }
}

function checkUploadArgs(values: { db?: string }, metadata: Record<string, string>): void {
  if (values.db !== undefined) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      '--db and --server exclude each other: store into a database, or upload to a server',
    );
  }
  // The upload's query string carries the metadata, and `artifacts` there is the URL.
  if ('artifacts' in metadata) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      '--meta artifacts=… cannot be uploaded: the server reads "artifacts" as --artifacts',
    );
  }
}
