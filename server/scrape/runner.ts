/**
 * Runs one claimed scrape task: fetches the job's artifacts, stores the stream (and its dstat
 * CSV) as a run through the ingest service, and ends the task finished with its run or failed
 * with a message — or queued again after a transient error, or at once when this process stops.
 * Its lease is renewed while it works; downloaded files are always removed.
 */
import { createReadStream } from 'node:fs';
import { GatewatchError } from '../errors.js';
import { logInternal } from '../graphql/errors.js';
import type { Events } from '../graphql/pubsub.js';
import { messageOf } from '../ingest/ingest.js';
import { ParseFailure } from '../ingest/pool.js';
import type { Services } from '../runtime.js';
import type { FetchProgress, JobArtifacts } from './artifacts.js';
import { eventOf, scrapeTaskChanged } from './scrape.topics.js';
import type { HeldTask, Task, TaskStage } from './tasks.js';

/** How the runner reaches a job's artifacts (`fetchJobArtifacts` bound to the settings). */
export interface Fetcher {
  fetch(url: string, onProgress: FetchProgress, signal: AbortSignal): Promise<JobArtifacts>;
  /** Whether a retry may help (network, time-out, 5xx, 429). */
  isTransient(error: unknown): boolean;
}

export interface RunnerDeps {
  readonly services: Services;
  readonly fetcher: Fetcher;
}

/** Progress is written (and published) at most this often. */
const PROGRESS_MS = 250;

/**
 * Runs `task` (held as `held`) to its end. `stopping` aborts a download when the process
 * stops: the task then goes back to the queue, its attempt not counted.
 */
export async function runTask(
  deps: RunnerDeps,
  task: Task,
  held: HeldTask,
  stopping: AbortSignal,
): Promise<void> {
  const { events, config } = deps.services;
  const { lease, maxAttempts, retryDelay } = config.scrape;
  const publish = (written: Task | null) => {
    if (written) events.publish(scrapeTaskChanged, eventOf(written));
  };
  // Aborted when this process stops, or when another took the task (its lease expired here).
  const abort = new AbortController();
  const onStop = () => abort.abort();
  stopping.addEventListener('abort', onStop);
  const renewal = setInterval(() => {
    held.renew(lease).then(
      (kept) => kept || abort.abort(),
      (error: unknown) => logInternal(error),
    );
  }, lease / 3);
  const progress = throttledProgress(held, events);
  try {
    const runId = await scrape(deps, task, progress, abort.signal);
    await progress.flush();
    publish(await held.finish(runId));
  } catch (error) {
    await progress.flush();
    if (stopping.aborted) publish(await held.release());
    else if (abort.signal.aborted) return;
    else if (deps.fetcher.isTransient(error) && task.attempts < maxAttempts) {
      publish(await held.retryLater(messageOf(error), retryDelay * 2 ** (task.attempts - 1)));
    } else {
      publish(await held.fail(failureMessage(error, task.attempts, deps.fetcher)));
    }
  } finally {
    clearInterval(renewal);
    stopping.removeEventListener('abort', onStop);
  }
}

/** The fetch and the ingest; resolves to the stored run's row id. */
async function scrape(
  deps: RunnerDeps,
  task: Task,
  progress: ThrottledProgress,
  signal: AbortSignal,
): Promise<number> {
  const artifacts = await deps.fetcher.fetch(task.url, progress.report, signal);
  try {
    if (artifacts.subunit === null) {
      // A console log alone is a job that ran no subunit-producing tests: nothing to store.
      throw new GatewatchError(
        'NO_ARTIFACTS',
        artifacts.console === null
          ? `no subunit stream or console log under ${task.url}`
          : `no subunit stream under ${task.url} (console log found: ${artifacts.console.url})`,
      );
    }
    progress.report('parsing', artifacts.subunit.bytes + (artifacts.dstat?.bytes ?? 0));
    const { subunit, dstat } = artifacts;
    const summary = await deps.services.ingest
      .ingest({
        name: subunit.name,
        source: createReadStream(subunit.path),
        metadata: metadataOf(task),
        artifactsUrl: task.url,
        dstat:
          dstat === null ? undefined : { name: dstat.name, source: createReadStream(dstat.path) },
      })
      .catch((error: unknown) => {
        throw error instanceof ParseFailure ? error.of(subunit.url) : error;
      });
    const run: { id: number } | undefined = await deps.services.db
      .knex('runs')
      .where('uuid', summary.run)
      .first('id');
    if (!run) throw new Error(`run ${summary.run} vanished once stored`);
    return Number(run.id);
  } finally {
    await artifacts.remove();
  }
}

/** The run's metadata from what the resolution knew of the job. */
function metadataOf(task: Task): Record<string, string> {
  const metadata: Record<string, string> = {};
  const put = (key: string, value: string | number | null) => {
    if (value !== null && String(value).trim() !== '') metadata[key] = String(value);
  };
  put('build_name', task.job);
  put('build_change', task.change);
  put('build_patchset', task.patchSet);
  put('build_queue', task.pipeline);
  put('project', task.project);
  put('ci', task.ci);
  return metadata;
}

function failureMessage(error: unknown, attempts: number, fetcher: Fetcher): string {
  if (!(error instanceof GatewatchError)) {
    logInternal(error);
    return 'internal error while scraping (the server log has the details)';
  }
  return fetcher.isTransient(error)
    ? `${error.message} (gave up after ${attempts} attempts)`
    : error.message;
}

interface ThrottledProgress {
  readonly report: (stage: TaskStage, bytesFetched: number) => void;
  /** Writes what is pending and stops. */
  flush(): Promise<void>;
}

/** Writes the latest stage and byte count at most every {@link PROGRESS_MS}, one write at a time. */
function throttledProgress(held: HeldTask, events: Events): ThrottledProgress {
  let latest: { stage: TaskStage; bytes: number } | null = null;
  let lastWrite = 0;
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  const write = () => {
    timer = undefined;
    const value = latest;
    latest = null;
    if (value === null) return;
    lastWrite = Date.now();
    writing = writing
      .then(() => held.progress(value.stage, value.bytes))
      .then((task) => {
        if (task) events.publish(scrapeTaskChanged, eventOf(task));
      })
      .catch(logInternal);
  };
  return {
    report: (stage, bytes) => {
      latest = { stage, bytes };
      if (timer !== undefined) return;
      timer = setTimeout(write, Math.max(0, lastWrite + PROGRESS_MS - Date.now()));
    },
    async flush() {
      clearTimeout(timer);
      write();
      await writing;
    },
  };
}
