import DataLoader from 'dataloader';
import type { Config } from '../config/config.js';
import type { Database } from '../db/orm.js';
import { artifactsByRunId, dstatsByRunId } from '../runs/artifact.service.js';
import {
  attachmentContent,
  attachmentsByResult,
  runAttachmentsByRunId,
} from '../runs/result.service.js';
import { metadataByRunId, runsByRowId } from '../runs/run.service.js';
import { testsByRowId } from '../tests/test.service.js';
import { verifyToken } from '../tokens/token.service.js';
import { ApiError, ErrorCode } from './errors.js';
import type { Events } from './pubsub.js';

/**
 * What every resolver gets: built per HTTP request and per WebSocket operation. A subscription
 * keeps its context for all its events, renewing the loaders between them.
 */
export interface Context {
  readonly db: Database;
  readonly config: Config;
  readonly events: Events;
  /** Request-scoped caches: what one event or request read is not served to the next. */
  readonly loaders: Loaders;
  /** Replaces the loaders with empty ones; the server calls it after each subscription event. */
  renewLoaders(): void;
  /** Throws UNAUTHENTICATED unless the request carried a valid token; returns its name. */
  requireToken(): Promise<string>;
}

export interface ContextOptions {
  db: Database;
  config: Config;
  events: Events;
  /** The `Authorization` header (HTTP) or `authorization` connection parameter (WebSocket). */
  authorization?: string | null;
}

export function createContext(options: ContextOptions): Context {
  let verified: Promise<string> | undefined;
  let loaders = createLoaders(options.db);
  return {
    db: options.db,
    config: options.config,
    events: options.events,
    get loaders() {
      return loaders;
    },
    renewLoaders: () => {
      loaders = createLoaders(options.db);
    },
    requireToken: () => (verified ??= authenticate(options.db, options.authorization)),
  };
}

/** The token name for an `Authorization: Bearer …` value; throws UNAUTHENTICATED. */
export async function authenticate(
  db: Database,
  authorization: string | null | undefined,
): Promise<string> {
  const secret = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (!secret) {
    throw new ApiError(
      ErrorCode.UNAUTHENTICATED,
      'this needs a token: send "Authorization: Bearer TOKEN" (gatewatch token create NAME)',
    );
  }
  const name = await verifyToken(db, secret);
  if (name === null)
    throw new ApiError(ErrorCode.UNAUTHENTICATED, 'the token is unknown or revoked');
  return name;
}

/** Batches the lookups of one request: a page of N runs costs one metadata query, not N. */
function createLoaders(db: Database) {
  const batched = <K, V>(load: (keys: readonly K[]) => Promise<Map<K, V>>, missing: V) =>
    new DataLoader<K, V>(async (keys) => {
      const found = await load(keys);
      return keys.map((key) => found.get(key) ?? missing);
    });
  return {
    run: batched((ids: readonly number[]) => runsByRowId(db.knex, ids), null),
    metadata: batched((ids: readonly number[]) => metadataByRunId(db.knex, ids), []),
    test: batched((ids: readonly number[]) => testsByRowId(db.knex, ids), null),
    attachments: batched((keys: readonly string[]) => attachmentsByResult(db.knex, keys), []),
    runAttachments: batched((ids: readonly number[]) => runAttachmentsByRunId(db.knex, ids), []),
    artifacts: batched((ids: readonly number[]) => artifactsByRunId(db.knex, ids), []),
    dstat: batched((ids: readonly number[]) => dstatsByRunId(db.knex, ids), null),
    attachmentContent: batched(
      (ids: readonly string[]) => attachmentContent(db.knex, ids),
      Buffer.alloc(0),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
