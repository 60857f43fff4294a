import type { CommandSpec } from '../command.js';

const NAME = { name: 'NAME', description: '1–64 characters of A-Z a-z 0-9 . _ -' };

/** API tokens: they authorize uploads and deletions. */
export const tokensCommands: readonly CommandSpec[] = [
  {
    name: 'token',
    summary: 'create, list or revoke the API tokens of uploads and deletions',
    subcommands: [
      {
        name: 'create',
        summary: 'print a new token once (it cannot be shown again)',
        arguments: [NAME],
        run: async (invocation) => (await import('../cli/token.js')).createToken(invocation),
      },
      {
        name: 'list',
        summary: 'every token: name, created, last used, revoked',
        readOnly: true,
        options: [{ flag: 'json', description: 'the tokens as JSON' }],
        run: async (invocation) => (await import('../cli/token.js')).listTokens(invocation),
      },
      {
        name: 'revoke',
        summary: 'refuse the token from now on',
        arguments: [NAME],
        run: async (invocation) => (await import('../cli/token.js')).revokeToken(invocation),
      },
    ],
  },
];
