/**
 * What a `gatewatch` command is: a light descriptor (name, summary, arguments, options) whose
 * `run` imports its implementation only when the command is run, so that `gatewatch --help`
 * loads none of the server stack. Each domain folder contributes its descriptors in a
 * `*.commands.ts` module; `server/commands.ts` lists them.
 */
import type { Writable } from 'node:stream';
import type { Env } from './config/settings.js';

/** The streams and environment a command runs with (the process's by default). */
export interface CliIo {
  readonly stdin: AsyncIterable<Uint8Array>;
  /** `isTTY` tells a terminal (progress bars draw only there). */
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean };
  readonly env: Env;
}

/** A positional argument (`RUN`, `FILE…`). */
export interface ArgumentSpec {
  readonly name: string;
  readonly description: string;
  /** Takes every remaining argument (at least one). */
  readonly variadic?: boolean;
  /** May be left out; the implementation then gets fewer `args`. */
  readonly optional?: boolean;
}

/** A command's own option. Settings (`--port`…) are named in `settings` instead. */
export interface OptionSpec {
  /** Without `--`. */
  readonly flag: string;
  /** A one-letter alias, without `-` (`n` for `-n`). */
  readonly short?: string;
  /** The value's name in help; none for a switch. */
  readonly valueName?: string;
  readonly description: string;
  /** May be given several times; the values come as a list. */
  readonly repeatable?: boolean;
}

/** What a command's implementation gets. */
export interface Invocation {
  /** The positional arguments, in order. */
  readonly args: readonly string[];
  /**
   * Option values by name (`maxUpload` for `--max-upload`), the global options (`db`,
   * `config`) included: a string, a string list (repeatable), `true` (switch) or `undefined`.
   */
  readonly options: Readonly<Record<string, unknown>>;
  readonly io: CliIo;
  /** The command's {@link CommandSpec.readOnly}: open the database without creating it. */
  readonly readOnly?: boolean;
}

export interface CommandSpec {
  readonly name: string;
  /** One line, shown in the command list and atop its help. */
  readonly summary: string;
  readonly arguments?: readonly ArgumentSpec[];
  /** Flags of the settings (see `config/settings.ts`) the command takes: `port`, `host`… */
  readonly settings?: readonly string[];
  readonly options?: readonly OptionSpec[];
  /** More help, after the options. */
  readonly details?: string;
  /** Sub-commands (`token create`); a command has these or `run`. */
  readonly subcommands?: readonly CommandSpec[];
  /**
   * The command only reads stored data: it opens an existing database and never creates one,
   * nor its directories (`withDatabase` honours it). A missing database is `DB_UNAVAILABLE`.
   */
  readonly readOnly?: boolean;
  /** Imports the implementation and runs it; resolves to the exit status. */
  readonly run?: (invocation: Invocation) => Promise<number>;
}

/** A string option's value (`undefined` when not given). */
export function textOption(invocation: Invocation, name: string): string | undefined {
  const value = invocation.options[name];
  return typeof value === 'string' ? value : undefined;
}

/** A repeatable option's values. */
export function listOption(invocation: Invocation, name: string): string[] {
  const value = invocation.options[name];
  return Array.isArray(value) ? value.map(String) : [];
}

/** Whether a switch was given. */
export function switchOption(invocation: Invocation, name: string): boolean {
  return invocation.options[name] === true;
}
