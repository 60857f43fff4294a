import type { Config, ConfiguredGerrit } from '../config/config.js';
import type { Database } from '../db/orm.js';
import type { Events } from './pubsub.js';
import type { RateLimiter } from './rate-limit.js';

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
  /** The client's address: the socket's, or the proxy's X-Forwarded-For with `server.trustProxy`. */
  readonly clientAddress: string;
  /** Counts this client's request of `bucket`; false when over `perMinute` (see rate-limit.ts). */
  allow(bucket: string, perMinute: number): boolean;
  /** The configured Gerrit servers (empty when none). */
  readonly gerrit: readonly ConfiguredGerrit[];
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
  clientAddress: string;
  /** The server's: shared by every request. */
  rateLimiter: RateLimiter;
  gerrit: readonly ConfiguredGerrit[];
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
    clientAddress: options.clientAddress,
    allow: (bucket, perMinute) =>
      options.rateLimiter.take(bucket, options.clientAddress, perMinute),
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
