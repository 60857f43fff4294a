import {
  createToken as createStoredToken,
  listTokens as listStoredTokens,
  revokeToken as revokeStoredToken,
  type TokenInfo,
} from '../tokens/token.service.js';
import { switchOption, type Invocation } from '../command.js';
import { withDatabase } from './database.js';
import { formatTable } from './table.js';

/** `gatewatch token create NAME`: the secret alone on stdout, so that a script can capture it. */
export async function createToken(invocation: Invocation): Promise<number> {
  const name = invocation.args[0]!;
  return withDatabase(invocation, async (db) => {
    const { secret } = await createStoredToken(db, name);
    invocation.io.stdout.write(`${secret}\n`);
    invocation.io.stderr.write(
      `gatewatch token create: created "${name}"; keep it now, it cannot be shown again ` +
        '(send it as "Authorization: Bearer TOKEN", or to gatewatch ingest --token)\n',
    );
    return 0;
  });
}

/** `gatewatch token list`: every token, as a table or JSON. */
export async function listTokens(invocation: Invocation): Promise<number> {
  return withDatabase(invocation, async (db) => {
    const tokens = await listStoredTokens(db);
    const json = switchOption(invocation, 'json');
    invocation.io.stdout.write(
      `${json ? JSON.stringify(tokens, null, 2) : formatTokens(tokens)}\n`,
    );
    return 0;
  });
}

/** `gatewatch token revoke NAME`. */
export async function revokeToken(invocation: Invocation): Promise<number> {
  const name = invocation.args[0]!;
  return withDatabase(invocation, async (db) => {
    await revokeStoredToken(db, name);
    invocation.io.stdout.write(`revoked token "${name}"\n`);
    return 0;
  });
}

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
  return formatTable(rows);
}
