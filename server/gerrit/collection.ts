/**
 * Collecting from every configured Gerrit server under a runtime: one store and one collector
 * each, stopped by the runtime (the collectors with the intake, their stores after them).
 * `gatewatch collect` and `gatewatch serve --collect` both start it. Each collector runs only
 * while this process holds the server's lease (`lease.ts`): of several instances sharing a
 * database, one collects and another takes over within 30 s of its death.
 */
import { createHttpClient } from '../http/client.js';
import type { Runtime } from '../runtime.js';
import { startCollector, type Collector } from './collector.js';
import { holdLease, type LeaseOptions, defaultLease } from './lease.js';
import type { GerritServerOptions } from './options.js';
import { createGerritRest } from './rest.js';
import { openGerritStore } from './store.js';

/** Sent with every REST call. */
const USER_AGENT = 'gatewatch-collector';

/** Starts a collector for each server; each stops with the runtime. */
export async function startCollection(
  runtime: Runtime,
  servers: readonly GerritServerOptions[],
  log: (message: string) => void,
  leaseOptions: LeaseOptions = defaultLease,
): Promise<void> {
  for (const server of servers) {
    const store = await openGerritStore(runtime.services, storeServer(server));
    runtime.add({ name: `gerrit store ${server.name}`, stage: 'tasks', stop: () => store.close() });
    if (server.ssh !== null && server.rest === null) {
      log(
        `gerrit ${server.name}: no REST URL: events missed while stream-events is disconnected ` +
          'cannot be recovered (give --rest URL)',
      );
    }
    const start = () =>
      startCollector({
        server: server.name,
        rest:
          server.rest === null
            ? null
            : createGerritRest({ ...server.rest, http: restClient(server) }),
        ssh:
          server.ssh === null
            ? null
            : {
                target: server.ssh.target,
                privateKey: server.ssh.privateKey,
                knownHosts: server.ssh.knownHosts,
              },
        sink: store,
        poll: server.poll,
        since: server.since,
        margin: server.margin,
        projects: server.projects,
        log,
      });
    let collector: Collector | null = null;
    const lease = holdLease(
      runtime.services.db,
      server.name,
      {
        onAcquired: async () => {
          log(`gerrit ${server.name}: this instance holds the lease: collecting`);
          collector = await start();
        },
        onLost: async (reason) => {
          log(`gerrit ${server.name}: lease given up (${reason}): collecting stopped`);
          const stopping = collector;
          collector = null;
          await stopping?.stop();
        },
        onError: (error) =>
          log(`gerrit ${server.name}: ${error instanceof Error ? error.message : String(error)}`),
      },
      leaseOptions,
    );
    runtime.add({
      name: `gerrit collector ${server.name}`,
      stage: 'intake',
      stop: () => lease.stop(),
    });
  }
}

/** What the store is told of a server: a REST URL, else its SSH URL, identifies it. */
export function storeServer(server: GerritServerOptions): {
  name: string;
  url: string;
  cis: readonly string[];
  upstream: string | null;
} {
  return {
    name: server.name,
    url: server.rest?.url ?? server.ssh?.url ?? server.name,
    cis: server.cis,
    upstream: server.upstream,
  };
}

function restClient(server: GerritServerOptions) {
  const auth =
    server.rest?.user != null
      ? { user: server.rest.user, password: server.rest.password ?? '' }
      : undefined;
  return createHttpClient({ userAgent: USER_AGENT, ...(auth ? { auth } : {}) });
}
