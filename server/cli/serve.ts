// type-graphql reads decorator metadata through it; it must load before any resolver.
import 'reflect-metadata';
import { createApp } from '../app.js';
import { describeDb, loadConfig } from '../config/config.js';
import { hidePassword } from '../config/parsers.js';
import { startCollection } from '../gerrit/collection.js';
import { loadGerritServers } from '../gerrit/options.js';
import { switchOption, type Invocation } from '../command.js';
import { untilStopSignal } from './signals.js';

/**
 * `gatewatch serve`: runs until SIGINT or SIGTERM, then drains and closes. With `--collect`,
 * it also collects from the Gerrit servers of the options or the config file.
 */
export async function serve(invocation: Invocation): Promise<number> {
  const { options, io } = invocation;
  const config = loadConfig(options, io.env);
  const gerrit = switchOption(invocation, 'collect') ? loadGerritServers(options, io.env) : [];
  const app = await createApp(config, { gerrit });
  try {
    await startCollection(app.runtime, gerrit, (message) =>
      io.stderr.write(`${new Date().toISOString()} ${message}\n`),
    );
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
  if (gerrit.length > 0) {
    io.stdout.write(`  collecting Gerrit events from ${gerrit.map((s) => s.name).join(', ')}\n`);
  }
  const signal = await untilStopSignal();
  io.stdout.write(`gatewatch: ${signal}: draining requests and closing\n`);
  await app.close();
  return 0;
}
