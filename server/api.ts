/**
 * The composition root of the API: the schema, loaders, routes and topics of every domain,
 * assembled. Loading it loads the whole server side of every domain.
 */
import type { Router } from 'express';
import type { GraphQLSchema } from 'graphql';
import type { Database } from './db/orm.js';
import type { DomainApi } from './domain.js';
import { domains } from './domains.js';
import { buildSchema } from './graphql/schema.js';
import type { Services } from './runtime.js';

/** What the composed domains offer. */
export interface ComposedApi {
  readonly schema: GraphQLSchema;
  /** The loaders of every domain, fresh: one set per request or subscription event. */
  createLoaders(db: Database): Record<string, unknown>;
  routes(services: Services): Router[];
}

export async function composeApi(): Promise<ComposedApi> {
  // A domain whose routes need more than the runtime's services fails to compile here.
  const apis: DomainApi<Services>[] = await Promise.all(
    domains.flatMap((d) => (d.api ? [d.api()] : [])),
  );
  unique(
    'topic',
    apis.flatMap((api) => (api.topics ?? []).map((t) => t.name)),
  );
  const loaderSets = apis.flatMap((api) => (api.loaders ? [api.loaders] : []));
  let checked = false;
  return {
    schema: await buildSchema(apis.flatMap((api) => api.resolvers ?? [])),
    createLoaders(db) {
      const sets = loaderSets.map((make) => make(db));
      if (!checked)
        unique(
          'loader',
          sets.flatMap((set) => Object.keys(set)),
        );
      checked = true;
      return Object.assign({}, ...sets) as Record<string, unknown>;
    },
    routes: (services) => apis.flatMap((api) => (api.routes ? [api.routes(services)] : [])),
  };
}

/** Two domains may not claim one name: the second would silently replace the first. */
function unique(what: string, names: string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new Error(`two domains declare the ${what} "${name}"`);
    seen.add(name);
  }
}
