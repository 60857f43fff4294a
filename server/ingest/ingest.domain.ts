import type { Domain } from '../domain.js';
import { ingestCommands } from './ingest.commands.js';
import type { UploadDeps } from './ingest.routes.js';

/** Storing runs: the parser pool, the ingest service, uploads. */
export const ingestDomain: Domain<UploadDeps> = {
  name: 'ingest',
  commands: ingestCommands,
  api: async () => (await import('./ingest.api.js')).ingestApi,
};
