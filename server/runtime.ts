/**
 * The runtime: opens what every part of gatewatch shares (database, parser pool, event bus,
 * ingest service) and stops background services in a safe order. `serve` and standalone
 * commands (`ingest`, the coming `collect`) run under one.
 */
import type { Config, ConfiguredGerrit } from './config/config.js';
import { openDatabase, type Database, type OpenOptions } from './db/orm.js';
import { createEvents, type Events } from './graphql/pubsub.js';
import { createIngestService, ingestLimits, type IngestService } from './ingest/ingest.service.js';
import { createParserPool, type ParserPool, type PoolOptions } from './ingest/pool.js';

/** What the runtime opens once and every part of a process shares. */
export interface Services {
  readonly config: Config;
  readonly db: Database;
  readonly pool: ParserPool;
  readonly events: Events;
  readonly ingest: IngestService;
  /** The configured Gerrit servers (`serve --collect`); empty when none. */
  readonly gerrit: readonly ConfiguredGerrit[];
}

/**
 * When a service stops, in this order: what takes new work in (HTTP, a collector) first, then
 * queued tasks drain, background workers finish, the bus closes, the pool, the database last.
 */
export const STAGES = ['intake', 'tasks', 'workers', 'events', 'pool', 'database'] as const;
export type Stage = (typeof STAGES)[number];

/** Something the runtime stops. */
export interface Service {
  readonly name: string;
  readonly stage: Stage;
  stop(): Promise<void>;
}

export interface Runtime {
  readonly services: Services;
  /** Adds a started service: `stop()` stops it in its stage's turn. */
  add(service: Service): void;
  /**
   * Stops every service, stage by stage (within a stage, the last added first). A service
   * that fails to stop is logged and the others still stop. Idempotent.
   */
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  database?: OpenOptions;
  pool?: PoolOptions;
  gerrit?: readonly ConfiguredGerrit[];
}

export async function openRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const running: Service[] = [];
  let stopping: Promise<void> | undefined;
  const runtime = (services: Services): Runtime => ({
    services,
    add: (service) => {
      if (stopping) throw new Error(`the runtime is stopping: ${service.name} cannot start`);
      running.push(service);
    },
    stop: () => (stopping ??= stopAll(running)),
  });
  try {
    const limits = ingestLimits(config);
    const db = await openDatabase(config.database.target, {
      waitTimeoutMs: config.database.waitTimeout,
      ...options.database,
    });
    running.push({ name: 'database', stage: 'database', stop: () => db.close() });
    const pool = createParserPool({
      signatureBytes: config.signatures.tracebackBytes,
      ...options.pool,
    });
    running.push({ name: 'parser pool', stage: 'pool', stop: () => pool.close() });
    const events = createEvents(config.redis);
    running.push({ name: 'event bus', stage: 'events', stop: () => events.close() });
    const ingest = createIngestService({
      db,
      pool,
      events,
      limits,
    });
    return runtime({ config, db, pool, events, ingest, gerrit: options.gerrit ?? [] });
  } catch (error) {
    await stopAll(running);
    throw error;
  }
}

async function stopAll(services: Service[]): Promise<void> {
  for (const stage of STAGES) {
    const inStage = services.filter((s) => s.stage === stage).reverse();
    for (const service of inStage) {
      try {
        await service.stop();
      } catch (error) {
        console.error(`gatewatch: stopping ${service.name} failed:`, error);
      }
    }
  }
}
