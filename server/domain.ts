/**
 * What a domain folder (runs, tests, jobs, …) contributes to gatewatch, in one descriptor that
 * the composition root assembles. The descriptor itself is light: its API part is loaded only
 * when a server or the schema is built, so that commands such as `--help` load none of it.
 */
import type { Router } from 'express';
import type { CommandSpec } from './command.js';
import type { Database } from './db/orm.js';
import type { Topic } from './graphql/pubsub.js';

/** The server side of a domain. `S` is what its routes need of the shared services. */
export interface DomainApi<S> {
  /** type-graphql resolver classes. */
  readonly resolvers?: readonly (abstract new (...args: never[]) => unknown)[];
  /** Request-scoped loaders, merged into every context's `loaders` (names must be unique). */
  readonly loaders?: (db: Database) => Record<string, unknown>;
  /** Plain HTTP endpoints (uploads, downloads, feeds). */
  readonly routes?: (services: S) => Router;
  /** The event topics it publishes (names must be unique across domains). */
  readonly topics?: readonly Topic<unknown>[];
}

export interface Domain<S = unknown> {
  readonly name: string;
  /** Its `gatewatch` commands: light specs, each importing its implementation when run. */
  readonly commands?: readonly CommandSpec[];
  /** Its server side, loaded when a server or the schema is built. */
  readonly api?: () => Promise<DomainApi<S>>;
}
