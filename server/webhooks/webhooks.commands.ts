import type { CommandSpec } from '../command.js';

export const webhooksCommands: readonly CommandSpec[] = [
  {
    name: 'webhooks',
    summary: 'the deliveries of insights events to the configured webhooks',
    subcommands: [
      {
        name: 'list',
        summary: 'webhook deliveries, newest event first: state, attempts, last status and error',
        readOnly: true,
        options: [
          {
            flag: 'state',
            valueName: 'STATE',
            description: 'only those queued, running, delivered or failed (given up)',
          },
          { flag: 'limit', valueName: 'N', description: 'at most N deliveries (default 50)' },
          { flag: 'json', description: 'the deliveries as a JSON array' },
        ],
        run: async (invocation) => (await import('../cli/webhooks.js')).listWebhooks(invocation),
      },
    ],
  },
];
