/**
 * The command line: `runCli(argv, io)` parses with commander and runs one command.
 *
 * commander (14: the last major for Node 20) rather than `node:util` `parseArgs`: it gives
 * per-option help, `help CMD`, `--version`, sub-commands (`token create`), global options
 * before or after the command, missing/excess argument checks and overridable exits and
 * output, all of which `parseArgs` would need written by hand. Its own `.env()` and
 * `.default()` are not used: settings come from `config/` (flag > environment > file >
 * default), which reads `io.env`.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { COMMANDS } from './commands.js';
import { CONFIG_FILE, processEnv, settingOfFlag } from './config/settings.js';
import { exitStatusOf } from './errors.js';
import type { CliIo, CommandSpec } from './command.js';

/** The process's streams and environment. */
export function processIo(): CliIo {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: processEnv(),
  };
}

/** Runs `gatewatch ARGV…`; resolves to the exit status (0 done, 1 failed, 2 bad arguments). */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let status = 0;
  let running = 'gatewatch';
  const program = new Command('gatewatch')
    .description('CI health and test analytics: subunit runs in SQL, a GraphQL API, a dashboard')
    .version(packageVersion(), '-V, --version', 'print the version')
    .configureHelp({ showGlobalOptions: true })
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [COMMAND]', 'show help for a command')
    .addOption(settingOption('db'))
    .addOption(
      new Option(
        `--${CONFIG_FILE.flag} <${CONFIG_FILE.valueName}>`,
        describe(CONFIG_FILE.description, null, CONFIG_FILE.env),
      ),
    )
    .addHelpText(
      'after',
      '\nGlobal options go before or after the command. Exit status: 0 done, 1 failed, 2 bad arguments.',
    );
  configure(program, 'gatewatch', io);
  for (const spec of COMMANDS) {
    addCommand(program, spec, io, (path, run) => {
      running = path;
      return run().then((code) => {
        status = code;
      });
    });
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return status;
  } catch (error) {
    // Help and the version exit 0; commander's usage errors were printed by `configure`.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`${running}: ${message}\n`);
    return exitStatusOf(error);
  }
}

type Runner = (path: string, run: () => Promise<number>) => Promise<void>;

function addCommand(parent: Command, spec: CommandSpec, io: CliIo, runner: Runner): void {
  const command = parent.command(spec.name).description(spec.summary);
  const path = commandPath(command);
  configure(command, path, io);
  for (const argument of spec.arguments ?? []) {
    const name = `${argument.name}${argument.variadic ? '...' : ''}`;
    command.argument(argument.optional ? `[${name}]` : `<${name}>`, argument.description);
  }
  for (const flag of spec.settings ?? []) command.addOption(settingOption(flag));
  for (const option of spec.options ?? []) {
    const value = option.valueName === undefined ? '' : ` <${option.valueName}>`;
    const short = option.short === undefined ? '' : `-${option.short}, `;
    const added = new Option(`${short}--${option.flag}${value}`, option.description);
    if (option.repeatable) added.argParser(accumulate);
    command.addOption(added);
  }
  if (spec.details !== undefined) command.addHelpText('after', `\n${spec.details}\n`);
  for (const sub of spec.subcommands ?? []) addCommand(command, sub, io, runner);
  const run = spec.run;
  if (run === undefined) return;
  command.action((...parsed: unknown[]) => {
    // commander passes the arguments, then the options, then the command itself.
    const self = parsed.at(-1) as Command;
    const args = self.args;
    const readOnly = spec.readOnly === true;
    return runner(path, () => run({ args, options: self.optsWithGlobals(), io, readOnly }));
  });
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Output through `io`; usage errors get one `gatewatch CMD:` prefix and a pointer to help. */
function configure(command: Command, path: string, io: CliIo): void {
  command.exitOverride().configureOutput({
    writeOut: (text) => io.stdout.write(text),
    writeErr: (text) => io.stderr.write(text),
    outputError: (text, write) =>
      write(`${path}: ${text.replace(/^error: /, '').trimEnd()} (see ${path} --help)\n`),
  });
}

/** A setting's option: its value name, description, default and environment variable. */
function settingOption(flag: string): Option {
  const { setting } = settingOfFlag(flag);
  const value = setting.valueName === undefined ? '' : ` <${setting.valueName}>`;
  const option = new Option(
    `--${flag}${value}`,
    describe(setting.description, setting.default, setting.env),
  );
  // A list setting's flag may repeat (`--allow-host A --allow-host B`): every value is kept.
  if (setting.fileTypes?.includes('list')) option.argParser(accumulate);
  return option;
}

function accumulate(text: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), text];
}

function describe(description: string, fallback: string | null, env: string): string {
  const facts = [...(fallback === null ? [] : [`default: ${fallback}`]), `env: ${env}`];
  return `${description} (${facts.join('; ')})`;
}

/** The version in gatewatch's package.json, found upwards from here (`server/` or `dist/server/`). */
function packageVersion(): string {
  for (let dir = new URL('./', import.meta.url); ; dir = new URL('../', dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'gatewatch' && pkg.version) return pkg.version;
    } catch {
      // not here: look higher
    }
    if (dir.pathname === '/') throw new Error('gatewatch package.json not found');
  }
}
