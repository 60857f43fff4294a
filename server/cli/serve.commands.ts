import type { CommandSpec } from '../command.js';
import { gerritOptions } from '../gerrit/gerrit.commands.js';

/** `serve`: the whole application, every domain composed (`server/app.ts`). */
export const serveCommands: readonly CommandSpec[] = [
  {
    name: 'serve',
    summary: 'serve the GraphQL API, the explorer (/graphiql) and the dashboard (/)',
    settings: [
      'port',
      'host',
      'max-upload',
      'redis',
      'base-url',
      'trust-proxy',
      'public-scrape',
      'allow-host',
      'expire',
      'webhook',
    ],
    options: [
      {
        flag: 'collect',
        description: 'also collect Gerrit events (the options below, or the config file)',
      },
      ...gerritOptions,
    ],
    details:
      'Migrations are applied on start. SIGINT/SIGTERM drain requests and sockets, then exit 0.\n' +
      'The Gerrit options apply with --collect (see gatewatch collect --help).',
    run: async (invocation) => (await import('./serve.js')).serve(invocation),
  },
];
