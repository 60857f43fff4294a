import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { composeApi } from '../../server/api.js';
import { schemaSdl } from '../../server/graphql/schema.js';

const COMMITTED = new URL('../../schema/schema.graphql', import.meta.url);

describe('schema/schema.graphql', () => {
  it('is the schema the code builds (regenerate it with npm run schema)', async () => {
    const committed = readFileSync(COMMITTED, 'utf8');
    expect(
      schemaSdl((await composeApi()).schema),
      'schema/schema.graphql is stale: run npm run schema',
    ).toBe(committed);
  });
});
