/**
 * The dashboard's GraphQL documents against schema/schema.graphql: gql.tada's checker (as
 * `npm run check` runs it) refuses documents that do not match, every document is where the
 * checker looks, the committed typing file is what the schema generates, and the explorer's
 * starter query (plain text) is valid too.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { STARTER_QUERY } from '../../client/graphiql/starter.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCES = join(ROOT, 'client/src');
const DOCUMENTS = join(SOURCES, 'documents');
const TYPINGS = join(SOURCES, 'lib/graphql/graphql-env.d.ts');
const CLI = join(ROOT, 'node_modules/gql.tada/bin/cli.js');
const SCHEMA = join(ROOT, 'schema/schema.graphql');

/** Runs gql.tada's CLI; resolves with its exit code and output whatever the code. */
function gqlTada(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, output: stdout + stderr });
    });
  });
}

describe('the dashboard documents', () => {
  it('are checked: a field, argument or variable type the schema lacks fails the check', async () => {
    const { code, output } = await gqlTada(['check', '-c', 'test/client/wrong-documents']);
    expect(code).not.toBe(0);
    expect(output).toContain('Cannot query field "buildNam" on type "Run"');
    expect(output).toContain('Unknown argument "startsWith" on field "Query.tests"');
    expect(output).toContain(
      'Variable "$seq" of type "String!" used in position expecting type "Int!"',
    );
  });

  it('all live in client/src/documents, the folder the check reads', () => {
    const misplaced = readdirSync(SOURCES, { recursive: true, encoding: 'utf8' })
      .map((name) => join(SOURCES, name))
      .filter((path) => /\.(ts|svelte)$/.test(path) && !path.startsWith(DOCUMENTS))
      .filter((path) => {
        const text = readFileSync(path, 'utf8');
        // A document as a string (`query …`), or one typed by graphql() outside the folder.
        return (
          /`\s*(query|mutation|subscription|fragment)\b[\s\w$]*[({]/.test(text) ||
          /\bgraphql\(`/.test(text)
        );
      })
      .map((path) => relative(ROOT, path));
    expect(misplaced).toEqual([]);
  });

  it('are typed by what schema/schema.graphql generates (npm run schema rewrites it)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatewatch-typings-'));
    try {
      const fresh = join(dir, 'graphql-env.d.ts');
      const { code, output } = await gqlTada([
        'generate',
        'output',
        '-c',
        'client/src/documents',
        '-o',
        fresh,
      ]);
      expect(code, output).toBe(0);
      expect(readFileSync(TYPINGS, 'utf8'), 'graphql-env.d.ts is stale: run npm run schema').toBe(
        readFileSync(fresh, 'utf8'),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("include the explorer's starter query, valid against the schema", () => {
    const schema = buildSchema(readFileSync(SCHEMA, 'utf8'));
    expect(validate(schema, parse(STARTER_QUERY)).map((e) => e.message)).toEqual([]);
  });
});
