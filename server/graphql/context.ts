import type { Config } from '../config/config.js';
import type { Database } from '../db/orm.js';
import type { GerritServerOptions } from '../gerrit/options.js';
import type { Events } from './pubsub.js';

/**
 * What every resolver gets: built per HTTP request and per WebSocket operation. A subscription
 * keeps its context for all its events, renewing the loaders between them. `L` is the loaders
 * a resolver uses: each domain names its own (`RunsContext`, `TestsContext`…); at run time the
 * composition root gives every context the loaders of all domains.
 */
export interface Context<L = unknown> {
  readonly db: Database;
  readonly config: Config;
  readonly events: Events;
  /** The configured Gerrit servers (empty when none). */
  readonly gerrit: readonly GerritServerOptions[];
  /** Request-scoped caches: what one event or request read is not served to the next. */
  readonly loaders: L;
  /** Replaces the loaders with empty ones; the server calls it after each subscription event. */
  renewLoaders(): void;
  /** Throws UNAUTHENTICATED unless the request carried a valid token; returns its name. */
  requireToken(): Promise<string>;
}

export interface ContextOptions<L> {
  db: Database;
  config: Config;
  events: Events;
  gerrit: readonly GerritServerOptions[];
  /** Fresh, empty loaders. */
  createLoaders(): L;
  /** Checks the request's credentials once, on first use; resolves to the token's name. */
  authenticate(): Promise<string>;
}

export function createContext<L>(options: ContextOptions<L>): Context<L> {
  let verified: Promise<string> | undefined;
  let loaders = options.createLoaders();
  return {
    db: options.db,
    config: options.config,
    events: options.events,
    gerrit: options.gerrit,
    get loaders() {
      return loaders;
    },
    renewLoaders: () => {
      loaders = options.createLoaders();
    },
    requireToken: () => (verified ??= options.authenticate()),
  };
}
