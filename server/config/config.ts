/**
 * The validated, frozen `Config`, from flags, environment, an optional config file and the
 * defaults, in that order of precedence (declarations in `settings.ts`). Nothing else reads
 * `process.env`.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { GatewatchError } from '../errors.js';
import {
  CONFIG_FILE,
  InvalidValue,
  LIST_SECTIONS,
  processEnv,
  SECTIONS,
  SETTINGS,
  type DbTarget,
  type DeclaredSetting,
  type Env,
  type FileValueType,
  type Sections,
  type Setting,
} from './settings.js';

export type { DbTarget, Env } from './settings.js';

type ValueOf<S> = S extends Setting<infer T> ? T : never;

/**
 * Every section, each setting parsed: `database.target`, `server.{port, host, maxUploadBytes,
 * maxQueryDepth, maxQueryCost, dev}`, `redis.{url, prefix}`.
 */
export type Config = {
  readonly [S in keyof Sections]: { readonly [F in keyof Sections[S]]: ValueOf<Sections[S][F]> };
};

/** What `gatewatch serve` needs besides the database. */
export type ServerConfig = Config['server'];

/**
 * Command-line values by option name as the command parser gives them (`db`, `port`,
 * `maxUpload`, `config`…); unset flags are `undefined`.
 */
export type ConfigFlags = Readonly<Record<string, unknown>>;

/** The option name of a flag: `max-upload` → `maxUpload`. */
export function optionName(flag: string): string {
  return flag.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());
}

/** Reads flags, environment and the config file once into a validated, frozen `Config`. */
export function loadConfig(flags: ConfigFlags, env: Env = processEnv()): Config {
  const file = readConfigFile(flags, env);
  const sections: Record<string, Record<string, unknown>> = {};
  for (const declared of SETTINGS) {
    const section = (sections[declared.section] ??= {});
    section[declared.field] = resolve(declared, flags, env, file);
  }
  for (const section of Object.values(sections)) Object.freeze(section);
  return Object.freeze(sections) as Config;
}

function resolve(
  { section, setting }: DeclaredSetting,
  flags: ConfigFlags,
  env: Env,
  file: ConfigFile | null,
): unknown {
  const given = setting.flag === undefined ? undefined : flags[optionName(setting.flag)];
  // A switch's flag (no value) turns it on; a repeated flag (`--allow-host A --allow-host B`) is a list.
  const flag =
    given === true && setting.valueName === undefined
      ? 'on'
      : Array.isArray(given) && given.length > 0
        ? given.map(String).join(',')
        : given;
  const show = (text: string) => setting.shown?.(text) ?? text;
  if (typeof flag === 'string') {
    return parseFrom(setting, flag, `--${setting.flag} ${show(flag)}`);
  }
  const fromEnv = env[setting.env];
  if (fromEnv !== undefined) {
    return parseFrom(setting, fromEnv, `${setting.env}=${show(fromEnv)}`);
  }
  const key = `${section}.${setting.key}`;
  const fromFile = file?.values.get(key);
  if (fromFile !== undefined) {
    try {
      return setting.parse(fromFile);
    } catch (error) {
      throw refusal(error, `${key} in ${file!.name}: ${JSON.stringify(show(fromFile))} is`);
    }
  }
  const fallback = setting.defaultFrom?.(env) ?? setting.default;
  return fallback === null ? null : setting.parse(fallback);
}

function parseFrom(setting: Setting<unknown>, text: string, source: string): unknown {
  try {
    return setting.parse(text);
  } catch (error) {
    throw refusal(error, `${source}:`);
  }
}

function refusal(error: unknown, prefix: string): unknown {
  return error instanceof InvalidValue
    ? new GatewatchError('BAD_CONFIG', `${prefix} ${error.why}`)
    : error;
}

/**
 * A config file's settings by `section.key`, as strings for the settings' parsers; list
 * sections (`gerrit`) as written, for their own reader.
 */
interface ConfigFile {
  name: string;
  values: Map<string, string>;
  lists: Map<string, unknown>;
}

/** A list section of the config file (`gerrit`): its entries as written, and the file's name. */
export interface ConfigList {
  readonly file: string;
  readonly entries: readonly unknown[];
}

/** The config file's list section `section`, or `null` without a file or that section. */
export function readConfigList(
  flags: ConfigFlags,
  env: Env,
  section: keyof typeof LIST_SECTIONS,
): ConfigList | null {
  const file = readConfigFile(flags, env);
  const value = file?.lists.get(section);
  if (file === null || value === undefined || value === null) return null;
  if (!Array.isArray(value)) {
    throw new GatewatchError(
      'BAD_CONFIG',
      `${section} in ${file.name}: expected a list of servers (- ssh: …), got ${JSON.stringify(value)}`,
    );
  }
  return { file: file.name, entries: value };
}

function readConfigFile(flags: ConfigFlags, env: Env): ConfigFile | null {
  const flag = flags[CONFIG_FILE.flag];
  const name = typeof flag === 'string' ? flag : env[CONFIG_FILE.env];
  if (name === undefined || name === '') return null;
  const source = typeof flag === 'string' ? `--config ${name}` : `${CONFIG_FILE.env}=${name}`;
  let text: string;
  try {
    text = readFileSync(name, 'utf8');
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new GatewatchError('BAD_CONFIG', `${source}: cannot read it (${why})`);
  }
  const document = parseDocument(name, text);
  const lists = new Map<string, unknown>();
  if (isMapping(document)) {
    for (const section of Object.keys(LIST_SECTIONS)) {
      if (section in document) lists.set(section, document[section]);
    }
  }
  return { name, values: settingsOf(name, document), lists };
}

function parseDocument(name: string, text: string): unknown {
  const extension = extname(name).toLowerCase();
  const json = extension === '.json' || (extension === '' && text.trimStart().startsWith('{'));
  try {
    return json ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new GatewatchError('BAD_CONFIG', `${name}: not valid ${json ? 'JSON' : 'YAML'}: ${why}`);
  }
}

function settingsOf(name: string, document: unknown): Map<string, string> {
  const values = new Map<string, string>();
  // An empty YAML file is no settings at all.
  if (document === null) return values;
  const sectionNames = [...Object.keys(SECTIONS), ...Object.keys(LIST_SECTIONS)];
  if (!isMapping(document)) {
    throw new GatewatchError(
      'BAD_CONFIG',
      `${name}: expected sections (${sectionNames.join(', ')}), got ${JSON.stringify(document)}`,
    );
  }
  for (const [section, fields] of Object.entries(document)) {
    if (section in LIST_SECTIONS) continue;
    const declared = SETTINGS.filter((s) => s.section === section);
    if (declared.length === 0) {
      throw new GatewatchError(
        'BAD_CONFIG',
        `${section} in ${name}: unknown section (expected ${sectionNames.join(', ')})`,
      );
    }
    if (!isMapping(fields)) {
      throw new GatewatchError(
        'BAD_CONFIG',
        `${section} in ${name}: expected its settings (${keysOf(declared)}), got ${JSON.stringify(fields)}`,
      );
    }
    for (const [key, value] of Object.entries(fields)) {
      const setting = declared.find((s) => s.setting.key === key)?.setting;
      if (!setting) {
        throw new GatewatchError(
          'BAD_CONFIG',
          `${section}.${key} in ${name}: unknown setting (expected ${keysOf(declared)})`,
        );
      }
      const types: FileValueType[] = ['string', ...(setting.fileTypes ?? [])];
      const listed =
        types.includes('list') && Array.isArray(value) && value.every((v) => typeof v === 'string');
      if (listed) {
        values.set(`${section}.${key}`, (value as string[]).join(','));
        continue;
      }
      if (!(types as string[]).includes(typeof value)) {
        throw new GatewatchError(
          'BAD_CONFIG',
          `${section}.${key} in ${name}: expected a ${types.join(' or a ')}, got ${JSON.stringify(value)}`,
        );
      }
      values.set(`${section}.${key}`, String(value));
    }
  }
  return values;
}

function keysOf(declared: DeclaredSetting[]): string {
  return declared.map((s) => s.setting.key).join(', ');
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses `sqlite:PATH`, `sqlite::memory:` or `mysql://user:pass@host:port/db` (`mariadb://`
 * is accepted as the same); a bad URL is refused with its password hidden.
 */
export function parseDbUrl(url: string): DbTarget {
  return parseValue(SECTIONS.database.target, url);
}

/** `1048576`, `100MiB`, `2G`… into bytes. */
export function parseSize(text: string): number {
  return parseValue(SECTIONS.server.maxUploadBytes, text);
}

function parseValue<T>(setting: Setting<T>, text: string): T {
  try {
    return setting.parse(text);
  } catch (error) {
    throw refusal(error, `${JSON.stringify(setting.shown?.(text) ?? text)} is`);
  }
}

/** A URL for display: the password is never shown. */
export function describeDb(target: DbTarget): string {
  return target.dialect === 'sqlite'
    ? `sqlite:${target.path}`
    : `mysql://${target.user}@${target.host}:${target.port}/${target.dbName}`;
}

/** Where `gatewatch ingest --server` uploads runs, and the token it sends. */
export interface UploadTarget {
  /** The server's base URL, without a trailing slash. */
  readonly url: string;
  readonly token: string;
}

/** Validates `--server` and finds the token: `--token`, else `$GATEWATCH_TOKEN`. */
export function loadUploadTarget(
  flags: { server: string; token?: string },
  env: Env = processEnv(),
): UploadTarget {
  let protocol = '';
  try {
    protocol = new URL(flags.server).protocol;
  } catch {
    // reported below
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new GatewatchError(
      'BAD_CONFIG',
      `--server ${flags.server}: not a server URL: expected http(s)://host:port of a gatewatch server`,
    );
  }
  const token = flags.token ?? env.GATEWATCH_TOKEN ?? '';
  if (token === '') {
    throw new GatewatchError(
      'BAD_CONFIG',
      'uploading needs a token: --token TOKEN or $GATEWATCH_TOKEN (made with gatewatch token create NAME)',
    );
  }
  return Object.freeze({ url: flags.server.replace(/\/+$/, ''), token });
}
