import { GatewatchError } from '../errors.js';
import { createToken, listTokens, revokeToken, type TokenInfo } from '../tokens/token.service.js';
import { dbOption, parseCommandArgs, withDatabase, type Command } from './command.js';

const USAGE = 'gatewatch token create|list|revoke [--db URL] [NAME] [--json]';

export const token: Command = {
  name: 'token',
  summary: 'create, list or revoke the API tokens of uploads and deletions',
  usage: [
    USAGE,
    '',
    '  create NAME   prints a new token once (it cannot be shown again)',
    '  list          every token: name, created, last used, revoked',
    '  revoke NAME   refuses the token from now on',
  ].join('\n'),
  async run(argv) {
    const { values, positionals } = parseCommandArgs('token', argv, {
      ...dbOption,
      json: { type: 'boolean' },
    });
    const [action, ...names] = positionals;
    const name = (): string => {
      if (names.length !== 1) {
        throw new GatewatchError('BAD_ARGUMENT', `token ${action}: name exactly one token`);
      }
      return names[0]!;
    };
    switch (action) {
      case 'create': {
        const wanted = name();
        return withDatabase(values.db, async (db) => {
          const { secret } = await createToken(db, wanted);
          // The secret alone on stdout, so that a script can capture it; the advice on stderr.
          console.log(secret);
          console.error(
            `gatewatch token: created "${wanted}"; keep it now, it cannot be shown again ` +
              '(send it as "Authorization: Bearer TOKEN", or to gatewatch ingest --token)',
          );
          return 0;
        });
      }
      case 'list': {
        if (names.length > 0) throw new GatewatchError('BAD_ARGUMENT', 'token list takes no NAME');
        return withDatabase(values.db, async (db) => {
          const tokens = await listTokens(db);
          console.log(values.json ? JSON.stringify(tokens, null, 2) : formatTokens(tokens));
          return 0;
        });
      }
      case 'revoke': {
        const wanted = name();
        return withDatabase(values.db, async (db) => {
          await revokeToken(db, wanted);
          console.log(`revoked token "${wanted}"`);
          return 0;
        });
      }
      default:
        throw new GatewatchError(
          'BAD_ARGUMENT',
          action === undefined
            ? `token: say create, list or revoke (usage: ${USAGE})`
            : `token: unknown action "${action}": expected create, list or revoke`,
        );
    }
  },
};

function formatTokens(tokens: TokenInfo[]): string {
  if (tokens.length === 0) return 'no tokens (gatewatch token create NAME makes one)';
  const when = (date: Date | null, none: string) =>
    date === null ? none : `${date.toISOString().slice(0, 19)}Z`;
  const rows = [
    ['NAME', 'CREATED', 'LAST USED', 'REVOKED'],
    ...tokens.map((t) => [
      t.name,
      when(t.createdAt, '-'),
      when(t.lastUsedAt, 'never'),
      when(t.revokedAt, '-'),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
