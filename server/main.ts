#!/usr/bin/env node
/** The `gatewatch` command: dispatches to one module per sub-command. */
// type-graphql reads decorator metadata through it; it must load before any resolver.
import 'reflect-metadata';
import { exportCommand } from './cli/export.js';
import { ingest } from './cli/ingest.js';
import { migrate } from './cli/migrate.js';
import { schema } from './cli/schema.js';
import { serve } from './cli/serve.js';
import { show } from './cli/show.js';
import { token } from './cli/token.js';
import type { Command } from './cli/command.js';
import { exitStatusOf, GatewatchError } from './errors.js';

const commands: Command[] = [serve, ingest, show, exportCommand, token, migrate, schema];

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'usage: gatewatch COMMAND [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --help. The database is --db URL, else $GATEWATCH_DB, else',
    'sqlite:gatewatch.db (URLs: sqlite:PATH, sqlite::memory:, mysql://user:pass@host:port/db).',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`gatewatch: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`usage: ${command.usage}\n\n${command.summary}`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof GatewatchError) {
      console.error(`gatewatch ${name}: ${error.message}`);
      return exitStatusOf(error);
    }
    // Driver and system errors (a refused connection, a full disk) say enough in their message.
    console.error(`gatewatch ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
