/**
 * The collector's settings for each Gerrit server, read and checked once at start: from the
 * flags and environment (one server), else from the config file's `gerrit` list. Every
 * mistake is refused with the setting as the user wrote it and the fix.
 */
import { readFileSync } from 'node:fs';
import ssh2 from 'ssh2';
import { optionName, readConfigList, type ConfigFlags, type Env } from '../config/config.js';
import {
  GERRIT_HTTP_PASSWORD_ENV,
  GERRIT_SERVER,
  InvalidValue,
  type Setting,
} from '../config/settings.js';
import { GatewatchError } from '../errors.js';
import { loadKnownHosts, type KnownHosts } from './known-hosts.js';
import { projectFilter, type ProjectFilter } from './projects.js';
import { parseSshUrl, type SshTarget } from './ssh-stream.js';

/** A catch-up starts this long before the newest event stored (clock skew, late events). */
export const CATCH_UP_MARGIN_MS = 5 * 60_000;

/** One Gerrit server to collect from, validated. */
export interface GerritServerOptions {
  readonly name: string;
  /** stream-events; `null`: REST polling only. */
  readonly ssh: {
    readonly url: string;
    readonly target: SshTarget;
    readonly privateKey: string;
    readonly knownHosts: KnownHosts;
  } | null;
  /** REST; `null`: no catch-up (events missed while disconnected stay missed). */
  readonly rest: {
    readonly url: string;
    readonly user: string | null;
    readonly password: string | null;
  } | null;
  readonly poll: number;
  readonly since: number | Date;
  readonly margin: number;
  readonly projects: ProjectFilter;
  readonly cis: readonly string[];
  readonly upstream: string | null;
}

type Field = keyof typeof GERRIT_SERVER;
type Values = { [F in Field]: ReturnType<(typeof GERRIT_SERVER)[F]['parse']> | null };

/** Where a value came from, as a message names it. */
type Source = (field: Field, text: string) => string;

/**
 * The config file's Gerrit servers (none without a `gerrit` list): what commands that only
 * look changes up (scraping) know of Gerrit, collecting or not.
 */
export function configuredGerritServers(flags: ConfigFlags, env: Env): GerritServerOptions[] {
  return readConfigList(flags, env, 'gerrit') === null ? [] : loadGerritServers(flags, env);
}

/**
 * The servers to collect from. `replay`: a `--replay` run, which needs neither SSH nor REST
 * (the flags still name the server).
 */
export function loadGerritServers(
  flags: ConfigFlags,
  env: Env,
  { replay = false }: { replay?: boolean } = {},
): GerritServerOptions[] {
  const fromFlags = (['ssh', 'rest'] as const).some(
    (f) => flagText(flags, f) !== undefined || env[GERRIT_SERVER[f].env] !== undefined,
  );
  if (fromFlags || replay) return [serverFromFlags(flags, env, replay)];
  const list = readConfigList(flags, env, 'gerrit');
  if (list === null || list.entries.length === 0) {
    throw new GatewatchError(
      'BAD_CONFIG',
      'no Gerrit to collect from: give --ssh ssh://USER@HOST[:PORT] and/or --rest URL, ' +
        'or list servers in the config file (gerrit: [{ssh: …, rest: …}], --config FILE)',
    );
  }
  const servers = list.entries.map((entry, index) => serverFromFile(entry, index, list.file, env));
  const names = servers.map((s) => s.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) {
    throw new GatewatchError(
      'BAD_CONFIG',
      `gerrit in ${list.file}: two servers are named ${twice}: give each its own name (name: …)`,
    );
  }
  return servers;
}

function serverFromFlags(flags: ConfigFlags, env: Env, replay: boolean): GerritServerOptions {
  const values = {} as Record<Field, unknown>;
  for (const field of Object.keys(GERRIT_SERVER) as Field[]) {
    const setting: Setting<unknown> = GERRIT_SERVER[field];
    const given = flags[optionName(setting.flag!)];
    const texts = Array.isArray(given)
      ? given.map(String)
      : typeof given === 'string'
        ? [given]
        : [];
    if (texts.length > 0) {
      const parsed = texts.map((text) => parse(setting, text, `--${setting.flag} ${text}:`));
      values[field] = Array.isArray(parsed[0]) ? parsed.flat() : parsed.at(-1);
      continue;
    }
    const fromEnv = env[setting.env];
    values[field] =
      fromEnv !== undefined
        ? parse(setting, fromEnv, `${setting.env}=${fromEnv}:`)
        : setting.default === null
          ? null
          : setting.parse(setting.default);
  }
  const source: Source = (field, text) => {
    const { flag, env: name } = GERRIT_SERVER[field];
    if (flagText(flags, field) !== undefined) return `--${flag} ${text}`;
    return env[name] !== undefined ? `${name}=${text}` : `--${flag} ${text} (the default)`;
  };
  return validated(values as Values, env, source, replay, '');
}

function serverFromFile(
  entry: unknown,
  index: number,
  file: string,
  env: Env,
): GerritServerOptions {
  const where = `gerrit[${index}]`;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new GatewatchError(
      'BAD_CONFIG',
      `${where} in ${file}: expected a server's settings (ssh, rest, …), got ${JSON.stringify(entry)}`,
    );
  }
  const byKey = new Map(
    (Object.keys(GERRIT_SERVER) as Field[]).map((field) => [GERRIT_SERVER[field].key, field]),
  );
  const values = {} as Record<Field, unknown>;
  const fromFile = new Set<Field>();
  for (const [key, value] of Object.entries(entry)) {
    const field = byKey.get(key);
    if (field === undefined) {
      throw new GatewatchError(
        'BAD_CONFIG',
        `${where}.${key} in ${file}: unknown setting (expected ${[...byKey.keys()].join(', ')})`,
      );
    }
    const listed = Array.isArray(value) && value.every((v) => typeof v === 'string');
    if (typeof value !== 'string' && !listed) {
      throw new GatewatchError(
        'BAD_CONFIG',
        `${where}.${key} in ${file}: expected a string${field === 'projects' || field === 'cis' ? ' or a list of strings' : ''}, got ${JSON.stringify(value)}`,
      );
    }
    const text = listed ? (value as string[]).join(',') : (value as string);
    values[field] = parse(
      GERRIT_SERVER[field] as Setting<unknown>,
      text,
      `${where}.${key} in ${file}: ${JSON.stringify(text)} is`,
    );
    fromFile.add(field);
  }
  // The environment stands in for what an entry leaves out (a key file, a poll period…).
  for (const field of Object.keys(GERRIT_SERVER) as Field[]) {
    if (fromFile.has(field)) continue;
    const setting: Setting<unknown> = GERRIT_SERVER[field];
    const fromEnv = field === 'ssh' || field === 'rest' ? undefined : env[setting.env];
    values[field] =
      fromEnv !== undefined
        ? parse(setting, fromEnv, `${setting.env}=${fromEnv}:`)
        : setting.default === null
          ? null
          : setting.parse(setting.default);
  }
  const source: Source = (field, text) => {
    const { key, flag, env: name } = GERRIT_SERVER[field];
    if (fromFile.has(field)) return `${where}.${key} in ${file} (${text})`;
    return env[name] !== undefined ? `${name}=${text}` : `--${flag} ${text} (the default)`;
  };
  return validated(values as Values, env, source, false, `${where} in ${file}: `);
}

function validated(
  values: Values,
  env: Env,
  source: Source,
  replay: boolean,
  prefix: string,
): GerritServerOptions {
  if (values.ssh === null && values.rest === null && !replay) {
    throw new GatewatchError(
      'BAD_CONFIG',
      `${prefix}neither ssh nor rest: give ssh://USER@HOST[:PORT] (stream-events) and/or ` +
        "Gerrit's base URL (REST)",
    );
  }
  let ssh: GerritServerOptions['ssh'] = null;
  if (values.ssh !== null) {
    if (values.sshKey === null) {
      throw new GatewatchError(
        'BAD_CONFIG',
        `${source('ssh', values.ssh)} needs a private key: --ssh-key FILE or ${GERRIT_SERVER.sshKey.env}` +
          (prefix === '' ? '' : ' (or sshKey: FILE in the entry)'),
      );
    }
    const keySource = source('sshKey', values.sshKey);
    ssh = {
      url: values.ssh,
      target: parseSshUrl(values.ssh)!,
      privateKey: readPrivateKey(values.sshKey, keySource),
      knownHosts: loadKnownHosts(
        home(values.knownHosts!, env),
        source('knownHosts', values.knownHosts!),
      ),
    };
  }
  let rest: GerritServerOptions['rest'] = null;
  if (values.restUser !== null && values.rest === null) {
    throw new GatewatchError(
      'BAD_CONFIG',
      `${source('restUser', values.restUser)}: a REST user without a REST URL: give --rest URL too`,
    );
  }
  if (values.rest !== null) {
    const password = env[GERRIT_HTTP_PASSWORD_ENV] ?? null;
    if (values.restUser !== null && (password === null || password === '')) {
      throw new GatewatchError(
        'BAD_CONFIG',
        `${source('restUser', values.restUser)} needs its HTTP password in ${GERRIT_HTTP_PASSWORD_ENV} ` +
          '(Gerrit: Settings → HTTP Credentials); without a user, REST is read anonymously',
      );
    }
    rest = {
      url: values.rest,
      user: values.restUser,
      password: values.restUser === null ? null : password,
    };
  }
  const hostOf = (url: string) => new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  const name =
    values.name ??
    (values.ssh !== null
      ? hostOf(values.ssh)
      : values.rest !== null
        ? hostOf(values.rest)
        : 'gerrit');
  return {
    name,
    ssh,
    rest,
    poll: values.poll!,
    since: values.since!,
    margin: CATCH_UP_MARGIN_MS,
    projects: projectFilter(values.projects ?? []),
    cis: values.cis ?? [],
    upstream: values.upstream,
  };
}

function readPrivateKey(file: string, source: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new GatewatchError('BAD_CONFIG', `${source}: cannot read it (${why})`);
  }
  const parsed = ssh2.utils.parseKey(text);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key instanceof Error || key === undefined || !key.isPrivateKey()) {
    const why = key instanceof Error ? key.message : 'no private key in it';
    throw new GatewatchError(
      'BAD_CONFIG',
      `${source}: not an OpenSSH private key without passphrase (${why}); ` +
        'make one with ssh-keygen -t ed25519 -N "" -f FILE',
    );
  }
  return text;
}

function parse<T>(setting: Setting<T>, text: string, prefix: string): T {
  try {
    return setting.parse(text);
  } catch (error) {
    if (error instanceof InvalidValue)
      throw new GatewatchError('BAD_CONFIG', `${prefix} ${error.why}`);
    throw error;
  }
}

function flagText(flags: ConfigFlags, field: Field): unknown {
  return flags[optionName(GERRIT_SERVER[field].flag!)];
}

/** `~/…` in the home directory (`$HOME`). */
function home(path: string, env: Env): string {
  return path.startsWith('~/') && env.HOME !== undefined ? `${env.HOME}${path.slice(1)}` : path;
}
