// type-graphql reads decorator metadata through it; it must load before any resolver.
import 'reflect-metadata';
import { createApp } from '../app.js';
import { describeDb, loadConfig } from '../config/config.js';
import { hidePassword } from '../config/parsers.js';
import type { Invocation } from '../command.js';

/** `gatewatch serve`: runs until SIGINT or SIGTERM, then drains and closes. */
export async function serve({ options, io }: Invocation): Promise<number> {
  const config = loadConfig(options, io.env);
  const app = await createApp(config);
  io.stdout.write(`gatewatch: serving ${describeDb(config.database.target)} at ${app.url}\n`);
  io.stdout.write(
    `  GraphQL ${app.url}/graphql · explorer ${app.url}/graphiql · dashboard ${app.url}/\n`,
  );
  if (config.redis.url !== null) {
    io.stdout.write(
      `  events shared through Redis at ${hidePassword(config.redis.url)} (prefix ${config.redis.prefix})\n`,
    );
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      io.stdout.write(`gatewatch: ${signal}: draining requests and closing\n`);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await app.close();
  return 0;
}
