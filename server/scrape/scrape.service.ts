/**
 * Asking for a scrape: which job of a resolved input, and its task (queued, or the one that
 * answers already). The `scrape` mutation and `gatewatch scrape` both come through here.
 */
import type { Database } from '../db/orm.js';
import { GatewatchError } from '../errors.js';
import type { Events } from '../graphql/pubsub.js';
import { eventOf, scrapeTaskChanged } from './scrape.topics.js';
import type { ChangeResolution, ScrapeJob } from './scrape.type.js';
import { enqueue, type Task } from './tasks.js';

/** The input has several jobs and none was named: the caller lists them and asks for one. */
export class JobChoiceNeeded extends GatewatchError {
  constructor(readonly jobs: readonly ScrapeJob[]) {
    super(
      'BAD_ARGUMENT',
      `${jobs.length} jobs: name the one to scrape (${jobs.map((j) => j.name).join(', ')})`,
    );
    this.name = 'JobChoiceNeeded';
  }
}

/** The job named `name`, or the only one; throws naming the jobs there are. */
export function chooseJob(resolution: ChangeResolution, name: string | null): ScrapeJob {
  const { jobs } = resolution;
  if (name !== null) {
    const named = jobs.find((job) => job.name === name);
    if (named) return named;
    throw new GatewatchError(
      'BAD_ARGUMENT',
      jobs.length === 0
        ? `no job named ${name}: ${resolution.input} has no CI results`
        : `no job named ${name}; the jobs are ${jobs.map((j) => j.name).join(', ')}`,
    );
  }
  if (jobs.length === 1) return jobs[0]!;
  if (jobs.length === 0) {
    throw new GatewatchError('BAD_ARGUMENT', `${resolution.input} has no CI results to scrape`);
  }
  throw new JobChoiceNeeded(jobs);
}

/**
 * The task of `job` ({@link enqueue}; `created` when queued now); a new one is announced, so
 * that queues claim it.
 */
export async function requestScrape(
  db: Database,
  events: Events,
  resolution: ChangeResolution,
  job: ScrapeJob,
): Promise<{ task: Task; created: boolean }> {
  const { task, created } = await enqueue(db, {
    url: job.logUrl,
    job: job.name,
    input: resolution.input,
    change: job.change ?? resolution.change,
    patchSet: job.patchSet ?? resolution.patchSet,
    pipeline: job.pipeline,
    project: job.project ?? resolution.project,
    ci: job.ci,
  });
  if (created) events.publish(scrapeTaskChanged, eventOf(task));
  return { task, created };
}
