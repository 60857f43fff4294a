/**
 * Every setting, declared once: its section and config-file key, flag, environment variable,
 * default, parser and description. The loader (`config.ts`), the commands' options and help,
 * and the README's settings table all come from these declarations. This module stays light
 * (no I/O, no server stack): `gatewatch --help` imports it.
 */

import {
  baseUrl,
  channelPrefix,
  count,
  dbTarget,
  duration,
  durationOrDate,
  fraction,
  flagValue,
  hidePassword,
  hostList,
  httpUrl,
  list,
  longDuration,
  longDurationOrOff,
  nonEmpty,
  port,
  positiveNumber,
  redisUrl,
  scopeKinds,
  size,
  sshUrl,
  timerDuration,
  webhookUrls,
} from './parsers.js';

export { InvalidValue, type DbTarget } from './parsers.js';

/** Environment variables, as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The process's environment: the one place that reads `process.env`. */
export function processEnv(): Env {
  return process.env;
}

/** What a config file may hold for a setting besides a string. */
export type FileValueType = 'string' | 'number' | 'boolean' | 'list';

/** One setting. `T` is its parsed value. */
export interface Setting<T> {
  /** Config-file key within the section (`port` of `server.port`). */
  readonly key: string;
  /** The command-line flag, without `--`, when the setting has one. */
  readonly flag?: string;
  /** The flag's value name in help (`URL`, `PORT`); none for a switch. */
  readonly valueName?: string;
  readonly env: string;
  /** The default as a user would write it; `null`: unset. */
  readonly default: string | null;
  /** A default that depends on other environment variables, taking precedence over `default`. */
  defaultFrom?(env: Env): string | undefined;
  /** Types a config file may give besides a string (which is always accepted). */
  readonly fileTypes?: readonly FileValueType[];
  readonly description: string;
  /** Parses a flag, environment or file value; throws `InvalidValue`. */
  parse(text: string): T;
  /** The value as it may be shown in a message (passwords hidden). */
  shown?(text: string): string;
}

function setting<T>(declaration: Setting<T>): Setting<T> {
  return declaration;
}

/**
 * The sections and their settings. Adding a section (gerrit, scrape…) is an entry here; its
 * `Config` type follows from the parsers.
 */
export const SECTIONS = {
  database: {
    target: setting({
      key: 'url',
      flag: 'db',
      valueName: 'URL',
      env: 'GATEWATCH_DB',
      default: 'sqlite:gatewatch.db',
      description: 'database: sqlite:PATH, sqlite::memory: or mysql://user:pass@host:port/db',
      parse: dbTarget,
      shown: hidePassword,
    }),
    waitTimeout: setting({
      key: 'waitTimeout',
      env: 'GATEWATCH_DB_WAIT_TIMEOUT',
      default: '60s',
      fileTypes: ['number'],
      description:
        'longest a request waits for a database connection (SQLite has one, MySQL 8) before it answers DATABASE_BUSY',
      parse: duration,
    }),
    maxIngests: setting({
      key: 'maxIngests',
      env: 'GATEWATCH_MAX_INGESTS',
      default: '4',
      fileTypes: ['number'],
      description:
        'runs written at once on MySQL (at most 6: each holds one of its 8 connections); more wait their turn. SQLite writes one at a time',
      parse: count,
    }),
  },
  server: {
    port: setting({
      key: 'port',
      flag: 'port',
      valueName: 'PORT',
      env: 'GATEWATCH_PORT',
      default: '4000',
      fileTypes: ['number'],
      description: 'listen port (0: any free port)',
      parse: port,
    }),
    host: setting({
      key: 'host',
      flag: 'host',
      valueName: 'HOST',
      env: 'GATEWATCH_HOST',
      default: '127.0.0.1',
      description: 'listen address',
      parse: nonEmpty,
    }),
    maxUploadBytes: setting({
      key: 'maxUpload',
      flag: 'max-upload',
      valueName: 'SIZE',
      env: 'GATEWATCH_MAX_UPLOAD',
      default: '512MiB',
      fileTypes: ['number'],
      description: 'largest upload (100MiB, 2G, bytes…)',
      parse: size,
    }),
    maxUploadDstatBytes: setting({
      key: 'maxUploadDstat',
      env: 'GATEWATCH_MAX_UPLOAD_DSTAT',
      default: '64MiB',
      fileTypes: ['number'],
      description: 'largest dstat part of a multipart upload (as sent, gzip or not)',
      parse: size,
    }),
    maxExpandedBytes: setting({
      key: 'maxExpanded',
      env: 'GATEWATCH_MAX_EXPANDED',
      default: '2GiB',
      fileTypes: ['number'],
      description: 'largest stream once decompressed, uploaded or given to gatewatch ingest',
      parse: size,
    }),
    uploadIdleTimeout: setting({
      key: 'uploadIdleTimeout',
      env: 'GATEWATCH_UPLOAD_IDLE_TIMEOUT',
      default: '30s',
      fileTypes: ['number'],
      description: 'longest pause within an upload body (500ms, 30s, 2m; a number: seconds)',
      parse: duration,
    }),
    uploadDir: setting({
      key: 'uploadDir',
      env: 'GATEWATCH_UPLOAD_DIR',
      default: null,
      description:
        'directory where an upload body is kept until it is whole and ingested (default: the system temporary directory)',
      parse: (text: string): string | null => (text === '' ? null : text),
    }),
    baseUrl: setting({
      key: 'baseUrl',
      flag: 'base-url',
      valueName: 'URL',
      env: 'GATEWATCH_BASE_URL',
      default: null,
      description:
        "public URL for absolute links (feeds): http(s)://host[:port][/path] (unset: the request's)",
      parse: baseUrl,
    }),
    trustProxy: setting({
      key: 'trustProxy',
      flag: 'trust-proxy',
      env: 'GATEWATCH_TRUST_PROXY',
      default: '0',
      fileTypes: ['boolean'],
      description:
        'links (without --base-url) follow the X-Forwarded-Proto/-Host of the proxy in front',
      parse: flagValue,
    }),
    maxQueryDepth: setting({
      key: 'maxQueryDepth',
      env: 'GATEWATCH_MAX_QUERY_DEPTH',
      default: '12',
      fileTypes: ['number'],
      description: 'deepest query nesting',
      parse: count,
    }),
    maxQueryCost: setting({
      key: 'maxQueryCost',
      env: 'GATEWATCH_MAX_QUERY_COST',
      default: '50000',
      fileTypes: ['number'],
      description: 'largest query cost (fields × page sizes)',
      parse: count,
    }),
    maxQueryAliases: setting({
      key: 'maxQueryAliases',
      env: 'GATEWATCH_MAX_QUERY_ALIASES',
      default: '100',
      fileTypes: ['number'],
      description: 'most aliased fields in a query (fragments expanded)',
      parse: count,
    }),
    maxQueryFields: setting({
      key: 'maxQueryFields',
      env: 'GATEWATCH_MAX_QUERY_FIELDS',
      default: '1000',
      fileTypes: ['number'],
      description: 'most fields a query selects (fragments expanded, not times page sizes)',
      parse: count,
    }),
    maxQueryTokens: setting({
      key: 'maxQueryTokens',
      env: 'GATEWATCH_MAX_QUERY_TOKENS',
      default: '10000',
      fileTypes: ['number'],
      description: 'most tokens in a query document (bounds parsing and validation)',
      parse: count,
    }),
    maxWsMessageBytes: setting({
      key: 'maxWsMessage',
      env: 'GATEWATCH_MAX_WS_MESSAGE',
      default: '1MiB',
      fileTypes: ['number'],
      description: 'largest WebSocket message (a larger one closes the socket)',
      parse: size,
    }),
    maxSubscriptions: setting({
      key: 'maxSubscriptions',
      env: 'GATEWATCH_MAX_SUBSCRIPTIONS',
      default: '100',
      fileTypes: ['number'],
      description: 'operations in flight on one WebSocket',
      parse: count,
    }),
    maxSocketsPerAddress: setting({
      key: 'maxSocketsPerAddress',
      env: 'GATEWATCH_MAX_SOCKETS_PER_ADDRESS',
      default: '100',
      fileTypes: ['number'],
      description: 'open WebSockets from one client address (more are refused with 429)',
      parse: count,
    }),
    dev: setting({
      key: 'dev',
      env: 'GATEWATCH_DEV',
      default: '0',
      defaultFrom: (env) => (env.NODE_ENV === 'development' ? '1' : undefined),
      fileTypes: ['boolean'],
      description: 'development mode: errors carry stack traces (also NODE_ENV=development)',
      parse: flagValue,
    }),
  },
  redis: {
    url: setting({
      key: 'url',
      flag: 'redis',
      valueName: 'URL',
      env: 'GATEWATCH_REDIS',
      default: null,
      description: 'Redis for subscriptions across servers: redis://host:port (off: in-process)',
      parse: redisUrl,
      shown: hidePassword,
    }),
    prefix: setting({
      key: 'prefix',
      env: 'GATEWATCH_REDIS_PREFIX',
      default: 'gatewatch',
      description:
        'prefix of the Redis channels (PREFIX:TOPIC): deployments sharing a Redis differ',
      parse: channelPrefix,
    }),
  },
  scrape: {
    concurrency: setting({
      key: 'concurrency',
      env: 'GATEWATCH_SCRAPE_CONCURRENCY',
      default: '2',
      fileTypes: ['number'],
      description: 'scrape tasks one process runs at once',
      parse: count,
    }),
    maxAttempts: setting({
      key: 'maxAttempts',
      env: 'GATEWATCH_SCRAPE_MAX_ATTEMPTS',
      default: '3',
      fileTypes: ['number'],
      description:
        'attempts of a scrape task before it fails (transient errors and dead processes retried)',
      parse: count,
    }),
    retryDelay: setting({
      key: 'retryDelay',
      env: 'GATEWATCH_SCRAPE_RETRY_DELAY',
      default: '10s',
      fileTypes: ['number'],
      description: 'wait before a scrape task is retried, doubled at each attempt',
      parse: duration,
    }),
    lease: setting({
      key: 'lease',
      env: 'GATEWATCH_SCRAPE_LEASE',
      default: '30s',
      fileTypes: ['number'],
      description:
        'how long a running scrape task is held without renewal: the task of a process that died is taken up again after it',
      parse: duration,
    }),
    retention: setting({
      key: 'retention',
      env: 'GATEWATCH_SCRAPE_RETENTION',
      default: '7d',
      description: 'serve purges scraped runs older than this, hourly (0: never)',
      parse: longDurationOrOff,
    }),
    publicScrape: setting({
      key: 'publicScrape',
      flag: 'public-scrape',
      env: 'GATEWATCH_PUBLIC_SCRAPE',
      default: '0',
      fileTypes: ['boolean'],
      description: 'the scrape mutation needs no token (rate-limited per client address)',
      parse: flagValue,
    }),
    publicRateLimit: setting({
      key: 'publicRateLimit',
      env: 'GATEWATCH_PUBLIC_SCRAPE_RATE',
      default: '10',
      fileTypes: ['number'],
      description: 'scrapes a minute one client address may ask for without a token',
      parse: count,
    }),
    allowHosts: setting({
      key: 'allowHosts',
      flag: 'allow-host',
      valueName: 'HOST',
      env: 'GATEWATCH_SCRAPE_ALLOW_HOSTS',
      default: null,
      fileTypes: ['list'],
      description:
        'hosts logs are scraped from besides those the collector saw in CI reports, private or loopback addresses included; repeatable or a,b',
      parse: hostList,
    }),
    maxStreamBytes: setting({
      key: 'maxStream',
      env: 'GATEWATCH_SCRAPE_MAX_STREAM',
      default: '64MiB',
      fileTypes: ['number'],
      description: 'largest subunit stream a scrape downloads (as served, compressed or not)',
      parse: size,
    }),
    maxFileBytes: setting({
      key: 'maxFile',
      env: 'GATEWATCH_SCRAPE_MAX_FILE',
      default: '64MiB',
      fileTypes: ['number'],
      description: 'largest dstat CSV or console log a scrape downloads (as served)',
      parse: size,
    }),
    maxExpandedBytes: setting({
      key: 'maxExpanded',
      env: 'GATEWATCH_SCRAPE_MAX_EXPANDED',
      default: '512MiB',
      fileTypes: ['number'],
      description: 'largest scraped file once decompressed (gzip bombs are cut there)',
      parse: size,
    }),
    timeout: setting({
      key: 'timeout',
      env: 'GATEWATCH_SCRAPE_TIMEOUT',
      default: '5m',
      fileTypes: ['number'],
      description: 'longest one scrape request may take, connecting to last byte',
      parse: duration,
    }),
    idleTimeout: setting({
      key: 'idleTimeout',
      env: 'GATEWATCH_SCRAPE_IDLE_TIMEOUT',
      default: '30s',
      fileTypes: ['number'],
      description: 'longest silence of a log server, before its answer or within it',
      parse: duration,
    }),
    maxPages: setting({
      key: 'maxPages',
      env: 'GATEWATCH_SCRAPE_MAX_PAGES',
      default: '2',
      fileTypes: ['number'],
      description:
        "directory listings a scrape reads per job: the job's root, then logs/ (1: the root only)",
      parse: count,
    }),
  },
  retention: {
    expireAfter: setting({
      key: 'expireAfter',
      flag: 'expire',
      valueName: 'AGE',
      env: 'GATEWATCH_EXPIRE',
      default: '0',
      description:
        "serve expires runs that ran longer ago than this (186d: subunit2sql's), daily and once a minute after start (0: never)",
      parse: longDurationOrOff,
    }),
    expireBatch: setting({
      key: 'expireBatch',
      env: 'GATEWATCH_EXPIRE_BATCH',
      default: '50',
      fileTypes: ['number'],
      description:
        'runs an expiry deletes between two pauses (each run in a transaction of its own)',
      parse: count,
    }),
    expirePause: setting({
      key: 'expirePause',
      env: 'GATEWATCH_EXPIRE_PAUSE',
      default: '1s',
      fileTypes: ['number'],
      description:
        'pause between two batches of an expiry, for the reads and uploads of a server on the same database',
      parse: duration,
    }),
  },
  flaky: {
    scopes: setting({
      key: 'scopes',
      env: 'GATEWATCH_FLAKY_SCOPES',
      default: 'job,project,branch,queue',
      fileTypes: ['list'],
      description:
        "what a test's flaky and broken verdicts are kept on: job (build_name), project, branch, queue (pipeline)",
      parse: scopeKinds,
    }),
    window: setting({
      key: 'window',
      env: 'GATEWATCH_FLAKY_WINDOW',
      default: '14d',
      description: "the history a verdict looks at: a scope's runs this far back from its newest",
      parse: longDuration,
    }),
    windowRuns: setting({
      key: 'windowRuns',
      env: 'GATEWATCH_FLAKY_WINDOW_RUNS',
      default: '100',
      fileTypes: ['number'],
      description: "at most this many of a scope's newest runs in the window",
      parse: count,
    }),
    transitionRate: setting({
      key: 'transitionRate',
      env: 'GATEWATCH_FLAKY_TRANSITION_RATE',
      default: '0.3',
      fileTypes: ['number'],
      description: 'flaky when pass↔fail transitions per consecutive pair of runs reach this',
      parse: fraction,
    }),
    minRuns: setting({
      key: 'minRuns',
      env: 'GATEWATCH_FLAKY_MIN_RUNS',
      default: '10',
      fileTypes: ['number'],
      description: 'runs of a test in the window before its transitions count',
      parse: count,
    }),
    brokenRuns: setting({
      key: 'brokenRuns',
      env: 'GATEWATCH_FLAKY_BROKEN_RUNS',
      default: '3',
      fileTypes: ['number'],
      description: "broken when it failed in every one of the scope's last this many runs",
      parse: count,
    }),
    fixedAfter: setting({
      key: 'fixedAfter',
      env: 'GATEWATCH_FLAKY_FIXED_AFTER',
      default: '7d',
      description:
        'a flaky or broken test is fixed once it has not failed on the scope for this long',
      parse: longDuration,
    }),
    sweepEvery: setting({
      key: 'sweepEvery',
      env: 'GATEWATCH_FLAKY_SWEEP_EVERY',
      default: '1h',
      description: 'how often serve looks for verdicts fixed by time passing',
      parse: timerDuration,
    }),
    maxPage: setting({
      key: 'maxPage',
      env: 'GATEWATCH_FLAKY_MAX_PAGE',
      default: '200',
      fileTypes: ['number'],
      description: 'verdicts one flakyTests page (or gatewatch flaky) may ask for',
      parse: count,
    }),
  },
  timings: {
    maxTests: setting({
      key: 'maxTests',
      env: 'GATEWATCH_TIMINGS_MAX_TESTS',
      default: '100000',
      fileTypes: ['number'],
      description:
        'most tests gatewatch timings writes, the slowest first (a larger suite is cut, with a warning)',
      parse: count,
    }),
    window: setting({
      key: 'window',
      env: 'GATEWATCH_TIMINGS_WINDOW',
      default: '30d',
      description: 'the window of testTimings when given no since: this far back from now',
      parse: longDuration,
    }),
    maxWindow: setting({
      key: 'maxWindow',
      env: 'GATEWATCH_TIMINGS_MAX_WINDOW',
      default: '90d',
      description:
        'the longest window of results testTimings and gatewatch timings --since read (bounds the scan)',
      parse: longDuration,
    }),
  },
  resources: {
    columns: setting({
      key: 'columns',
      env: 'GATEWATCH_RESOURCES_COLUMNS',
      default:
        'total_cpu_usage_usr,total_cpu_usage_sys,total_cpu_usage_wai,memory_usage_used,dsk_total_read,dsk_total_writ,load_avg_1m',
      fileTypes: ['list'],
      description:
        "the dstat columns a failed test's resource context shows, those the recording has; a,b",
      parse: list,
    }),
    threshold: setting({
      key: 'threshold',
      env: 'GATEWATCH_RESOURCES_THRESHOLD',
      default: '3.5',
      fileTypes: ['number'],
      description:
        'a column is flagged when its robust z-score during the test, |during − median| / spread, exceeds this',
      parse: positiveNumber,
    }),
    minSamples: setting({
      key: 'minSamples',
      env: 'GATEWATCH_RESOURCES_MIN_SAMPLES',
      default: '10',
      fileTypes: ['number'],
      description: 'fewest samples of a column for its baseline to flag anything',
      parse: count,
    }),
    minSpread: setting({
      key: 'minSpread',
      env: 'GATEWATCH_RESOURCES_MIN_SPREAD',
      default: '0.05',
      fileTypes: ['number'],
      description:
        "the smallest spread a baseline has, as a share of the column's range over the recording (near-idle columns)",
      parse: positiveNumber,
    }),
  },
  webhooks: {
    urls: setting({
      key: 'urls',
      flag: 'webhook',
      valueName: 'URL',
      env: 'GATEWATCH_WEBHOOKS',
      default: null,
      fileTypes: ['list'],
      description:
        'URLs every insights event (a test became or stopped being flaky or broken, a new failure signature) is POSTed to, signed; repeatable or a,b (none)',
      parse: webhookUrls,
    }),
    secret: setting({
      key: 'secret',
      env: 'GATEWATCH_WEBHOOK_SECRET',
      default: null,
      description:
        'the HMAC-SHA256 key of X-Gatewatch-Signature (needed with webhook URLs; environment or config file only)',
      parse: nonEmpty,
      shown: () => '***',
    }),
    timeout: setting({
      key: 'timeout',
      env: 'GATEWATCH_WEBHOOK_TIMEOUT',
      default: '10s',
      fileTypes: ['number'],
      description: 'longest a webhook may take to answer; a later answer counts as a failure',
      parse: duration,
    }),
    maxAttempts: setting({
      key: 'maxAttempts',
      env: 'GATEWATCH_WEBHOOK_MAX_ATTEMPTS',
      default: '8',
      fileTypes: ['number'],
      description:
        'attempts of a delivery (failures, time-outs, non-2xx answers) before it is given up',
      parse: count,
    }),
    backoff: setting({
      key: 'backoff',
      env: 'GATEWATCH_WEBHOOK_BACKOFF',
      default: '10s',
      fileTypes: ['number'],
      description:
        'wait before a failed delivery is tried again, doubled at each attempt (at most 1h)',
      parse: duration,
    }),
    maxBodyBytes: setting({
      key: 'maxBody',
      env: 'GATEWATCH_WEBHOOK_MAX_BODY',
      default: '64KiB',
      fileTypes: ['number'],
      description: 'largest webhook body; a larger event is given up at once, not sent',
      parse: size,
    }),
    concurrency: setting({
      key: 'concurrency',
      env: 'GATEWATCH_WEBHOOK_CONCURRENCY',
      default: '4',
      fileTypes: ['number'],
      description: 'deliveries one process makes at once',
      parse: count,
    }),
    publicOnly: setting({
      key: 'publicOnly',
      env: 'GATEWATCH_WEBHOOK_PUBLIC_ONLY',
      default: '0',
      fileTypes: ['boolean'],
      description:
        "the scraper's host guard on webhooks: refuse a URL whose host is or resolves to a private, loopback or link-local address",
      parse: flagValue,
    }),
    retention: setting({
      key: 'retention',
      env: 'GATEWATCH_INSIGHT_EVENTS_RETENTION',
      default: '7d',
      description:
        'serve purges insights events and their deliveries older than this, hourly (0: never)',
      parse: longDurationOrOff,
    }),
  },
  signatures: {
    tracebackBytes: setting({
      key: 'tracebackBytes',
      env: 'GATEWATCH_SIGNATURE_TRACEBACK',
      default: '64KiB',
      fileTypes: ['number'],
      description:
        "how much of the end of a failure's traceback its signature and the traceback rules read (the exception is at the end)",
      parse: size,
    }),
    maxPattern: setting({
      key: 'maxPattern',
      env: 'GATEWATCH_RULE_MAX_PATTERN',
      default: '500',
      fileTypes: ['number'],
      description: 'longest regular expression of a known-issue rule (characters)',
      parse: count,
    }),
    maxRules: setting({
      key: 'maxRules',
      env: 'GATEWATCH_RULE_MAX_RULES',
      default: '200',
      fileTypes: ['number'],
      description: 'known-issue rules at most: every ingest runs each one over its failures',
      parse: count,
    }),
    matchTimeout: setting({
      key: 'matchTimeout',
      env: 'GATEWATCH_RULE_MATCH_TIMEOUT',
      default: '50ms',
      fileTypes: ['number'],
      description:
        "longest one rule may take over one run's failures (or one batch of past ones); a rule that takes longer is disabled",
      parse: duration,
    }),
    backfill: setting({
      key: 'backfill',
      env: 'GATEWATCH_RULE_BACKFILL',
      default: '100000',
      fileTypes: ['number'],
      description: 'newest stored failures a new known-issue rule is applied to',
      parse: count,
    }),
    imprecisePercent: setting({
      key: 'imprecisePercent',
      env: 'GATEWATCH_RULE_IMPRECISE_PERCENT',
      default: '10',
      fileTypes: ['number'],
      description:
        'a rule is imprecise when more than this share (%) of its hits fall on runs that passed after retries',
      parse: count,
    }),
    staleAfter: setting({
      key: 'staleAfter',
      env: 'GATEWATCH_RULE_STALE_AFTER',
      default: '30d',
      description: 'a rule without hits for this long is stale',
      parse: longDuration,
    }),
  },
} as const;

/**
 * The settings of one Gerrit server. The config file's `gerrit` section is a list of them
 * (several servers); flags and the environment describe one server, which replaces that list.
 * Kept out of {@link SECTIONS}: a list section has no single value per key. `options.ts` in
 * `server/gerrit/` reads them.
 */
export const GERRIT_SERVER = {
  name: setting({
    key: 'name',
    flag: 'gerrit-name',
    valueName: 'NAME',
    env: 'GATEWATCH_GERRIT_NAME',
    default: null,
    description: "the Gerrit server's name in gatewatch (default: its host name)",
    parse: nonEmpty,
  }),
  ssh: setting({
    key: 'ssh',
    flag: 'ssh',
    valueName: 'URL',
    env: 'GATEWATCH_GERRIT_SSH',
    default: null,
    description: 'stream-events over SSH: ssh://USER@HOST[:PORT] (port 29418 by default)',
    parse: sshUrl,
  }),
  sshKey: setting({
    key: 'sshKey',
    flag: 'ssh-key',
    valueName: 'FILE',
    env: 'GATEWATCH_GERRIT_SSH_KEY',
    default: null,
    description: 'the SSH private key (OpenSSH format, no passphrase)',
    parse: nonEmpty,
  }),
  knownHosts: setting({
    key: 'knownHosts',
    flag: 'known-hosts',
    valueName: 'FILE',
    env: 'GATEWATCH_GERRIT_KNOWN_HOSTS',
    default: '~/.ssh/known_hosts',
    description: "OpenSSH known_hosts holding the Gerrit's host key (always verified)",
    parse: nonEmpty,
  }),
  rest: setting({
    key: 'rest',
    flag: 'rest',
    valueName: 'URL',
    env: 'GATEWATCH_GERRIT_REST',
    default: null,
    description: "Gerrit's base URL, for REST catch-up and polling",
    parse: httpUrl,
  }),
  restUser: setting({
    key: 'restUser',
    flag: 'rest-user',
    valueName: 'USER',
    env: 'GATEWATCH_GERRIT_REST_USER',
    default: null,
    description: 'REST user: /a/ and basic auth, password in GATEWATCH_GERRIT_HTTP_PASSWORD',
    parse: nonEmpty,
  }),
  poll: setting({
    key: 'poll',
    flag: 'poll',
    valueName: 'DURATION',
    env: 'GATEWATCH_GERRIT_POLL',
    default: '5m',
    description: 'REST polling period when there is no --ssh',
    parse: timerDuration,
  }),
  since: setting({
    key: 'since',
    flag: 'since',
    valueName: 'DURATION|DATE',
    env: 'GATEWATCH_GERRIT_SINCE',
    default: '1d',
    description: 'history fetched from REST when nothing is stored yet (1d, 2026-11-30…)',
    parse: durationOrDate,
  }),
  projects: setting({
    key: 'projects',
    flag: 'project',
    valueName: 'PATTERN',
    env: 'GATEWATCH_GERRIT_PROJECTS',
    default: null,
    description:
      'projects collected: names, globs (openstack/*) or ^regex; repeatable or a,b (all)',
    parse: list,
  }),
  cis: setting({
    key: 'cis',
    flag: 'ci',
    valueName: 'ACCOUNT',
    env: 'GATEWATCH_GERRIT_CIS',
    default: null,
    description:
      'CI accounts; repeatable or a,b (default: accounts whose comments parse as CI results)',
    parse: list,
  }),
  upstream: setting({
    key: 'upstream',
    flag: 'upstream',
    valueName: 'ACCOUNT',
    env: 'GATEWATCH_GERRIT_UPSTREAM',
    default: null,
    description: 'the trusted CI others are compared with (default: zuul or jenkins when present)',
    parse: nonEmpty,
  }),
} as const;

/** The Gerrit HTTP password: environment only, never a flag or a file. */
export const GERRIT_HTTP_PASSWORD_ENV = 'GATEWATCH_GERRIT_HTTP_PASSWORD';

/** Sections whose config-file value is a list of entries (not a mapping of settings). */
export const LIST_SECTIONS = { gerrit: GERRIT_SERVER } as const;

export type Sections = typeof SECTIONS;
export type SectionName = keyof Sections;
type AnySetting = Setting<unknown>;

/** A setting with its section and field, for the loader, the commands and the README. */
export interface DeclaredSetting {
  readonly section: SectionName;
  readonly field: string;
  readonly setting: AnySetting;
}

/** Every setting, in declaration order. */
export const SETTINGS: readonly DeclaredSetting[] = Object.entries(SECTIONS).flatMap(
  ([section, fields]) =>
    Object.entries(fields as Record<string, AnySetting>).map(([field, setting]) => ({
      section: section as SectionName,
      field,
      setting,
    })),
);

/** The global options every command takes: the database and a config file. */
export const CONFIG_FILE = {
  flag: 'config',
  valueName: 'FILE',
  env: 'GATEWATCH_CONFIG',
  description: `settings file, JSON or YAML (sections ${[...Object.keys(SECTIONS), ...Object.keys(LIST_SECTIONS)].join(', ')})`,
} as const;

/** The setting behind a flag (`db`, `port`…); throws on a flag no setting has. */
export function settingOfFlag(flag: string): DeclaredSetting {
  const found = SETTINGS.find((s) => s.setting.flag === flag);
  if (!found) throw new Error(`no setting has the flag --${flag}`);
  return found;
}

/** The README's settings table, as Markdown rows. */
export function settingsTable(): string {
  const code = (text: string) => `\`${text}\``;
  const listed = Object.entries(LIST_SECTIONS).flatMap(([section, fields]) =>
    Object.values(fields as Record<string, AnySetting>).map((setting) => ({
      section: `${section}[]`,
      setting,
    })),
  );
  const rows = [...SETTINGS, ...listed].map(({ section, setting }) => [
    setting.description,
    code(`${section}.${setting.key}`),
    setting.flag === undefined ? '' : code(`--${setting.flag}${valueSuffix(setting)}`),
    code(setting.env),
    setting.default === null ? '' : code(setting.default),
  ]);
  return [
    '| setting | config file | flag | environment | default |',
    '|---|---|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`.replace(/ {2,}/g, ' ')),
  ].join('\n');
}

function valueSuffix(setting: AnySetting): string {
  return setting.valueName === undefined ? '' : ` ${setting.valueName}`;
}
