import type { CommandSpec } from '../command.js';

/** `serve`: the whole application, every domain composed (`server/app.ts`). */
export const serveCommands: readonly CommandSpec[] = [
  {
    name: 'serve',
    summary: 'serve the GraphQL API, the explorer (/graphiql) and the dashboard (/)',
    settings: ['port', 'host', 'max-upload', 'redis', 'base-url', 'trust-proxy'],
    details:
      'Migrations are applied on start. SIGINT/SIGTERM drain requests and sockets, then exit 0.',
    run: async (invocation) => (await import('./serve.js')).serve(invocation),
  },
];
