// type-graphql reads decorator metadata through it; it must load before any resolver.
import 'reflect-metadata';
import { composeApi } from '../api.js';
import { schemaSdl } from '../graphql/schema.js';
import type { Invocation } from '../command.js';

/** `gatewatch schema`: the GraphQL schema's SDL on stdout. */
export async function schema({ io }: Invocation): Promise<number> {
  io.stdout.write(schemaSdl((await composeApi()).schema));
  return 0;
}
