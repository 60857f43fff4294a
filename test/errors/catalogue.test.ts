/** The error catalogue and the tables derived from it agree, entry for entry. */
import { buildSchema, GraphQLEnumType } from 'graphql';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  apiCodeOf,
  apiCodes,
  errorCatalogue,
  exitStatusOf,
  GatewatchError,
  httpStatusOf,
  type AnyErrorCode,
  type GatewatchErrorCode,
} from '../../server/errors.js';
import { classify, ErrorCode } from '../../server/graphql/errors.js';

const codes = Object.keys(errorCatalogue) as AnyErrorCode[];
const raisable = codes.filter((code) => 'exit' in errorCatalogue[code]) as GatewatchErrorCode[];

describe('error catalogue', () => {
  it('answers every code with an API code, an HTTP status and a description', () => {
    for (const code of codes) {
      const api = apiCodeOf(code);
      expect(Object.values(ErrorCode), code).toContain(api);
      expect('api' in errorCatalogue[api], `${code} → ${api}`).toBe(false);
      expect(httpStatusOf(code), code).toBeGreaterThanOrEqual(400);
      expect(errorCatalogue[code].description, code).toMatch(/^[A-Z].*\.$/);
    }
  });

  it('makes ErrorCode exactly the codes without an API code of their own', () => {
    const own = codes.filter((code) => !('api' in errorCatalogue[code]));
    expect(Object.keys(ErrorCode).sort()).toEqual(own.sort());
    for (const [name, value] of Object.entries(apiCodes)) expect(value).toBe(name);
  });

  it('classifies each GatewatchError under its API code and status', () => {
    expect(raisable.length).toBeGreaterThan(0);
    for (const code of raisable) {
      const answered = classify(new GatewatchError(code, `a ${code} problem`));
      expect(answered.code, code).toBe(apiCodeOf(code));
      const status = answered.code === ErrorCode.INTERNAL_SERVER_ERROR ? 500 : httpStatusOf(code);
      expect(answered.status, code).toBe(status);
    }
  });

  it('gives each GatewatchError its exit status: usage mistakes 2, anything else 1', () => {
    for (const code of raisable) {
      expect(exitStatusOf(new GatewatchError(code, 'x')), code).toBe(
        code === 'BAD_ARGUMENT' || code === 'BAD_CONFIG' ? 2 : 1,
      );
    }
    expect(exitStatusOf(new Error('ECONNREFUSED'))).toBe(1);
  });

  it('emits every API code with its description in the committed schema', () => {
    const sdl = readFileSync(new URL('../../schema/schema.graphql', import.meta.url), 'utf8');
    const type = buildSchema(sdl).getType('ErrorCode');
    expect(type).toBeInstanceOf(GraphQLEnumType);
    const values = (type as GraphQLEnumType).getValues();
    expect(values.map((v) => v.name).sort()).toEqual(Object.keys(ErrorCode).sort());
    for (const value of values) {
      expect(value.description).toBe(errorCatalogue[value.name as AnyErrorCode].description);
    }
  });
});
