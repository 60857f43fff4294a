// type-graphql reads decorator metadata through it; it must load before any resolver.
import 'reflect-metadata';
import { createApp } from '../app.js';
import { describeDb, loadConfig } from '../config/config.js';
import { hidePassword } from '../config/parsers.js';
import { startCollection } from '../gerrit/collection.js';
import { configuredGerritServers, loadGerritServers } from '../gerrit/options.js';
import { switchOption, type Invocation } from '../command.js';
import { scheduleFlakySweep } from '../insights/flaky/flaky-sweep.js';
import { scheduleInsightPurge } from '../webhooks/retention.js';
import { schedulePurge } from '../scrape/purge.js';
import { scheduleExpiry } from './serve-expiry.js';
import { untilStopSignal } from './signals.js';

/**
 * `gatewatch serve`: runs until SIGINT or SIGTERM, then drains and closes; it runs scrape
 * tasks, purges old scraped runs, expires old runs (`--expire`) and sweeps flaky verdicts
 * fixed by time, looking changes up on the config file's Gerrit servers.
 * With `--collect`, it also collects from the Gerrit servers of the options or the config file.
 */
export async function serve(invocation: Invocation): Promise<number> {
  const { options, io } = invocation;
  const config = loadConfig(options, io.env);
  const collect = switchOption(invocation, 'collect');
  const gerrit = collect
    ? loadGerritServers(options, io.env)
    : configuredGerritServers(options, io.env);
  const app = await createApp(config, { gerrit });
  const log = (message: string) => io.stderr.write(`${new Date().toISOString()} ${message}\n`);
  try {
    await startCollection(app.runtime, collect ? gerrit : [], log);
    schedulePurge(app.runtime, config.scrape.retention, log);
    const { expireAfter, expireBatch, expirePause } = config.retention;
    scheduleExpiry(app.runtime, expireAfter, { batchSize: expireBatch, pauseMs: expirePause }, log);
    app.runtime.add(scheduleFlakySweep(app.runtime.services.db, config.flaky, log));
    scheduleInsightPurge(app.runtime, config.webhooks.retention, log);
  } catch (error) {
    await app.close();
    throw error;
  }
  io.stdout.write(`gatewatch: serving ${describeDb(config.database.target)} at ${app.url}\n`);
  io.stdout.write(
    `  GraphQL ${app.url}/graphql · explorer ${app.url}/graphiql · dashboard ${app.url}/\n`,
  );
  if (config.redis.url !== null) {
    io.stdout.write(
      `  events shared through Redis at ${hidePassword(config.redis.url)} (prefix ${config.redis.prefix})\n`,
    );
  }
  if (collect) {
    io.stdout.write(`  collecting Gerrit events from ${gerrit.map((s) => s.name).join(', ')}\n`);
  }
  const signal = await untilStopSignal();
  io.stdout.write(`gatewatch: ${signal}: draining requests and closing\n`);
  await app.close();
  return 0;
}
