// First: the scrape task's state is a GraphQL enum, whose decorators need the polyfill.
import 'reflect-metadata';
import { loadConfig } from '../config/config.js';
import { Run } from '../db/entities/index.js';
import { GatewatchError } from '../errors.js';
import { configuredGerritServers } from '../gerrit/options.js';
import { summaryJson } from '../ingest/summary.js';
import { countsOf } from '../runs/run.service.js';
import { openRuntime, type Runtime } from '../runtime.js';
import { createFetcher } from '../scrape/fetcher.js';
import { startScrapeQueue } from '../scrape/queue.js';
import { resolveChange } from '../scrape/resolve.service.js';
import { chooseJob, JobChoiceNeeded, requestScrape } from '../scrape/scrape.service.js';
import type { Task } from '../scrape/tasks.js';
import { taskUpdates } from '../scrape/updates.js';
import { switchOption, textOption, type CliIo, type Invocation } from '../command.js';
import { describeSummary } from './ingest-report.js';

/**
 * `gatewatch scrape INPUT [--job NAME] [--json]`: resolves the input, queues its job and runs
 * the queue in this process until that task ends; prints the stored run. Exit status 1 when
 * the task failed, 2 when the job is to be chosen (the jobs are listed).
 */
export async function scrape(invocation: Invocation): Promise<number> {
  const { options, io } = invocation;
  const input = invocation.args[0]!;
  const config = loadConfig(options, io.env);
  // Changes unknown to the database are looked up on the config file's Gerrit servers.
  const gerrit = configuredGerritServers(options, io.env);
  const runtime = await openRuntime(config, { gerrit });
  try {
    const { db, events } = runtime.services;
    const resolution = await resolveChange(db, gerrit, input);
    let job;
    try {
      job = chooseJob(resolution, textOption(invocation, 'job') ?? null);
    } catch (error) {
      if (!(error instanceof JobChoiceNeeded)) throw error;
      listJobs(io, input, error);
      return 2;
    }
    const { task: asked, created } = await requestScrape(db, events, resolution, job);
    if (asked.state !== 'finished' && asked.state !== 'failed') {
      startScrapeQueue(runtime, createFetcher(runtime.services));
    }
    let task: Task = asked;
    for await (const update of taskUpdates(db, events, asked.uuid)) task = update;
    if (task.state === 'failed' || task.runId === null) {
      io.stderr.write(`gatewatch scrape: ${task.url}: ${task.error ?? 'its run is gone'}\n`);
      return 1;
    }
    await report(runtime, io, task, !created, switchOption(invocation, 'json'));
    return 0;
  } finally {
    await runtime.stop();
  }
}

function listJobs(io: CliIo, input: string, choice: JobChoiceNeeded): void {
  const width = Math.max(...choice.jobs.map((j) => j.name.length));
  io.stderr.write(`gatewatch scrape: ${input} has ${choice.jobs.length} jobs; give --job NAME:\n`);
  for (const job of choice.jobs) {
    io.stderr.write(`  ${job.name.padEnd(width)}  ${job.result ?? '-'}  ${job.logUrl}\n`);
  }
}

async function report(
  runtime: Runtime,
  io: CliIo,
  task: Task,
  duplicate: boolean,
  json: boolean,
): Promise<void> {
  const run = await runtime.services.db.em().findOne(Run, { id: task.runId! });
  if (!run) throw new GatewatchError('RUN_NOT_FOUND', `the run of task ${task.uuid} is gone`);
  const summary = {
    run: run.uuid,
    tests: run.tests,
    ...countsOf(run),
    parseErrors: run.parseErrors,
    duplicate,
    warnings: [],
  };
  io.stdout.write(
    json
      ? `${JSON.stringify({ ...summaryJson(summary), task: task.uuid, url: task.url })}\n`
      : `${task.url}: ${describeSummary(summary)} (task ${task.uuid})\n`,
  );
}
