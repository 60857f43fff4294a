/**
 * GraphQL over HTTP (https://graphql.github.io/graphql-over-http/draft/) as Apollo Server 5
 * answers it here: media types, status codes, GET with CSRF prevention, malformed requests,
 * and the error shape (one ErrorCode on every error, no stack traces unless dev mode).
 */
import { request as httpRequest } from 'node:http';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '../../server/graphql/errors.js';
import { backends } from '../helpers/databases.js';
import { startServer, type TestServer } from '../helpers/server.js';

const GRAPHQL_RESPONSE = 'application/graphql-response+json';
const CODES: string[] = Object.values(ErrorCode);

interface GraphQLError {
  message: string;
  extensions?: { code?: string; stacktrace?: string[]; originalMessage?: string };
}
interface Answer {
  status: number;
  contentType: string;
  headers: Headers;
  text: string;
  body: { data?: Record<string, unknown> | null; errors?: GraphQLError[] };
}

/** A raw request to /graphql; the body is sent as given. */
async function request(
  server: TestServer,
  init: { method?: string; search?: string; body?: string; headers?: Record<string, string> },
): Promise<Answer> {
  const response = await fetch(`${server.url}/graphql${init.search ?? ''}`, {
    method: init.method ?? 'POST',
    headers: init.headers,
    body: init.body,
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    headers: response.headers,
    text,
    body: JSON.parse(text) as Answer['body'],
  };
}

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});

/** Every error has one of our codes, `code` first, and nothing of a stack trace. */
function expectErrors(answer: Answer, code: ErrorCode): GraphQLError[] {
  const errors = answer.body.errors ?? [];
  expect(errors.length, answer.text).toBeGreaterThan(0);
  expect(errors[0]!.extensions?.code, answer.text).toBe(code);
  for (const error of errors) {
    expect(CODES).toContain(error.extensions?.code);
    expect(error.extensions?.stacktrace).toBeUndefined();
  }
  expect(answer.text).not.toMatch(/\n\s+at |\\n\s+at /);
  return errors;
}

describe.each(backends)('GraphQL over HTTP on $name', (backend) => {
  let server: TestServer;
  let runId: string;

  beforeAll(async () => {
    server = await startServer(backend);
    runId = (await server.ingest('subunit/stestr-failure.subunit', { build_name: 'tempest-full' }))
      .run;
  });

  describe('POST application/json', () => {
    it('answers a query, as application/json when the client sends no Accept', async () => {
      const answer = await request(server, json({ query: '{ runs { totalCount nodes { id } } }' }));
      expect(answer.status).toBe(200);
      // Apollo 5 keeps application/json as the default for clients that name no media type
      // (the spec's legacy behaviour); clients that want the new type ask for it.
      expect(answer.contentType).toBe('application/json; charset=utf-8');
      expect(answer.body).toEqual({ data: { runs: { totalCount: 1, nodes: [{ id: runId }] } } });
    });

    it('takes variables and an operation name', async () => {
      const query = `query Other { runs { totalCount } }
        query Filtered($job: String) { runs(filter: { job: $job }) { totalCount } }`;
      for (const [job, count] of [
        ['tempest-full', 1],
        ['no-such-job', 0],
      ] as const) {
        const answer = await request(
          server,
          json({ query, operationName: 'Filtered', variables: { job } }),
        );
        expect(answer.body).toEqual({ data: { runs: { totalCount: count } } });
      }
    });

    it('refuses a subscription, which needs the WebSocket, with 400 BAD_REQUEST', async () => {
      const answer = await request(server, json({ query: 'subscription { runIngested { id } }' }));
      expect(answer.status).toBe(400);
      const [error] = expectErrors(answer, ErrorCode.BAD_REQUEST);
      expect(error!.message).toMatch(/WebSocket/);
    });
  });

  it('compresses large answers for clients that accept gzip', async () => {
    const answer = await request(
      server,
      json(
        { query: `{ runs { nodes { timeline { lanes { results { testId status } } } } } }` },
        { 'accept-encoding': 'gzip' },
      ),
    );
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-encoding')).toBe('gzip');
    expect(answer.text.length).toBeGreaterThan(1024);
    expect(answer.body.errors).toBeUndefined();
  });

  it("serves the dashboard's page at / and at its client-side routes", async () => {
    const paths = ['/', '/tests', '/tests/a.b.c', '/jobs/tempest-full', `/runs/${runId}`];
    const insights = ['/flaky', '/signatures', '/signatures/9f3c0a', '/rechecks'];
    for (const path of [
      ...paths,
      '/projects',
      '/projects/openstack/nova/ci',
      '/live',
      ...insights,
    ]) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toMatch(/^text\/html/);
      expect(await response.text(), path).toContain('<div id="app">');
    }
    expect((await fetch(`${server.url}/no-such-page`)).status).toBe(404);
  });

  describe('Accept: application/graphql-response+json', () => {
    const accept = { accept: GRAPHQL_RESPONSE };

    it('answers in that media type', async () => {
      const answer = await request(server, json({ query: '{ runs { totalCount } }' }, accept));
      expect(answer.status).toBe(200);
      expect(answer.contentType).toBe(`${GRAPHQL_RESPONSE}; charset=utf-8`);
      expect(answer.body.data).toEqual({ runs: { totalCount: 1 } });
    });

    it('answers request errors with 400, errors and no data', async () => {
      const cases: [body: object, code: ErrorCode][] = [
        [{ query: '{ runs { totalCount ' }, ErrorCode.GRAPHQL_PARSE_FAILED],
        [{ query: '{ runs { noSuchField } }' }, ErrorCode.GRAPHQL_VALIDATION_FAILED],
        [
          { query: 'query ($n: Int!) { runs(first: $n) { totalCount } }', variables: { n: 'x' } },
          ErrorCode.BAD_USER_INPUT,
        ],
        [
          { query: 'query A { runs { totalCount } }', operationName: 'B' },
          ErrorCode.OPERATION_RESOLUTION_FAILURE,
        ],
      ];
      for (const [body, code] of cases) {
        const answer = await request(server, json(body, accept));
        expect(answer.status, answer.text).toBe(400);
        expect(answer.contentType).toBe(`${GRAPHQL_RESPONSE}; charset=utf-8`);
        expect(answer.body).not.toHaveProperty('data');
        expectErrors(answer, code);
      }
    });

    it('answers field errors with 200: execution happened', async () => {
      const answer = await request(
        server,
        json({ query: `mutation { deleteRun(id: "${runId}") }` }, accept),
      );
      expect(answer.status).toBe(200);
      expect(answer.body.data).toBeNull();
      expectErrors(answer, ErrorCode.UNAUTHENTICATED);
    });

    it('refuses an Accept it cannot serve with 406', async () => {
      const answer = await request(
        server,
        json({ query: '{ runs { totalCount } }' }, { accept: 'application/xml' }),
      );
      expect(answer.status).toBe(406);
      expectErrors(answer, ErrorCode.BAD_REQUEST);
    });
  });

  describe('Accept: application/json (legacy)', () => {
    // The spec asks legacy application/json responses to well-formed requests to be 200 even
    // for parse and validation errors, but allows 4xx "for compatibility with legacy servers".
    // Apollo Server 5 answers 400 (as it always has), whatever the Accept: so do we, so that
    // a request error has one status, and 200 always means the operation was executed.
    const accept = { accept: 'application/json' };

    it('answers request errors with 400 too, and field errors with 200', async () => {
      const parse = await request(server, json({ query: '{ runs {' }, accept));
      expect(parse.status).toBe(400);
      expect(parse.contentType).toBe('application/json; charset=utf-8');
      expectErrors(parse, ErrorCode.GRAPHQL_PARSE_FAILED);

      const validation = await request(server, json({ query: '{ nope }' }, accept));
      expect(validation.status).toBe(400);
      expectErrors(validation, ErrorCode.GRAPHQL_VALIDATION_FAILED);

      const field = await request(
        server,
        json({ query: `mutation { deleteRun(id: "${runId}") }` }, accept),
      );
      expect(field.status).toBe(200);
      expectErrors(field, ErrorCode.UNAUTHENTICATED);
    });
  });

  describe('GET', () => {
    const preflight = { 'apollo-require-preflight': 'true' };
    const search = (params: Record<string, string>) => `?${new URLSearchParams(params)}`;

    it('answers queries with variables when the request cannot be a simple CORS request', async () => {
      const query = 'query ($job: String) { runs(filter: { job: $job }) { totalCount } }';
      const answer = await request(server, {
        method: 'GET',
        search: search({ query, variables: JSON.stringify({ job: 'tempest-full' }) }),
        headers: preflight,
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ data: { runs: { totalCount: 1 } } });
    });

    it('refuses a simple GET as a possible cross-site request forgery', async () => {
      const answer = await request(server, {
        method: 'GET',
        search: search({ query: '{ runs { totalCount } }' }),
      });
      expect(answer.status).toBe(400);
      const [error] = expectErrors(answer, ErrorCode.BAD_REQUEST);
      expect(error!.message).toMatch(/Cross-Site Request Forgery/);
      expect(error!.message).toMatch(/apollo-require-preflight/);
    });

    it('refuses a mutation with 405, without running it', async () => {
      const answer = await request(server, {
        method: 'GET',
        search: search({ query: `mutation { deleteRun(id: "${runId}") }` }),
        headers: preflight,
      });
      expect(answer.status).toBe(405);
      expect(answer.headers.get('allow')).toBe('POST');
      expectErrors(answer, ErrorCode.BAD_REQUEST);
      const still = await server.query<{ run: { id: string } | null }>(
        `{ run(id: "${runId}") { id } }`,
      );
      expect(still.body.data!.run).toEqual({ id: runId });
    });

    it('refuses a request without a query with 400', async () => {
      const answer = await request(server, { method: 'GET', headers: preflight });
      expect(answer.status).toBe(400);
      expectErrors(answer, ErrorCode.BAD_REQUEST);
    });
  });

  describe('malformed requests', () => {
    it('refuses simple POSTs (text/plain, forms) as possible cross-site request forgery', async () => {
      for (const type of [
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
      ]) {
        const answer = await request(server, {
          body: JSON.stringify({ query: '{ runs { totalCount } }' }),
          headers: { 'content-type': type },
        });
        expect(answer.status, type).toBe(400);
        const [error] = expectErrors(answer, ErrorCode.BAD_REQUEST);
        expect(error!.message).toMatch(/Cross-Site Request Forgery/);
      }
    });

    it('refuses other media types with 415', async () => {
      const answer = await request(server, {
        body: '<query>{ runs { totalCount } }</query>',
        headers: { 'content-type': 'application/xml' },
      });
      expect(answer.status).toBe(415);
      const [error] = expectErrors(answer, ErrorCode.BAD_REQUEST);
      expect(error!.message).toContain('application/xml');
    });

    it('refuses a body that is not JSON with 400 and a JSON error', async () => {
      const answer = await request(server, {
        body: '{"query":',
        headers: { 'content-type': 'application/json' },
      });
      expect(answer.status).toBe(400);
      expect(answer.contentType).toMatch(/^application\/json/);
      const [error] = expectErrors(answer, ErrorCode.BAD_REQUEST);
      expect(error!.message).toMatch(/^the body is not valid JSON/);
    });

    it('refuses a missing query with 400', async () => {
      for (const body of [{}, { variables: {} }, { query: '' }]) {
        const answer = await request(server, json(body));
        expect(answer.status, JSON.stringify(body)).toBe(400);
        expectErrors(answer, ErrorCode.BAD_REQUEST);
      }
    });

    it('refuses a body over 1 MiB with 413', async () => {
      const answer = await request(
        server,
        json({ query: `{ runs { totalCount } }${' '.repeat(1 << 20)}` }),
      );
      expect(answer.status).toBe(413);
      expectErrors(answer, ErrorCode.PAYLOAD_TOO_LARGE);
    });

    it('refuses a declared 4 GiB body with 413 at once, without waiting for it', async () => {
      const { hostname, port } = new URL(server.url);
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest({
          host: hostname,
          port,
          path: '/graphql',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': String(2 ** 32) },
        });
        req.on('error', reject);
        req.on('response', (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        // A few bytes of the 4 GiB, and then nothing: the answer must not wait for the rest.
        req.write('{"query":"{ __typename }"}');
      });
      expect(answer.status).toBe(413);
      const { errors } = JSON.parse(answer.body) as { errors: { extensions: { code: string } }[] };
      expect(errors[0]!.extensions.code).toBe(ErrorCode.PAYLOAD_TOO_LARGE);
    });

    it('answers a path that is not valid percent-encoding with 400', async () => {
      const answer = await fetch(`${server.url}/blob/%E0%A4%A`);
      expect(answer.status).toBe(400);
      const { error } = (await answer.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe(ErrorCode.BAD_REQUEST);
      expect(error.message).toMatch(/not valid percent-encoding/);
    });

    it('refuses other methods with 405', async () => {
      const answer = await request(server, {
        method: 'PUT',
        ...json({ query: '{ runs { totalCount } }' }),
      });
      expect(answer.status).toBe(405);
      expectErrors(answer, ErrorCode.BAD_REQUEST);
    });
  });
});

describe.each(backends)('internal errors on $name', (backend) => {
  // A table gone under a running server: the kind of failure no code path expects.
  const query = '{ runs { nodes { id metadata { key value } } } }';
  const breakDatabase = async (server: TestServer) => {
    await server.ingest('subunit/stestr-successful.subunit', { project: 'nova' });
    await server.app.services.db.knex.schema.dropTable('run_metadata');
  };

  it('are logged, and shown to the client as "internal server error" only', async () => {
    const server = await startServer(backend);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await breakDatabase(server);
      const answer = await server.query(query);
      expect(answer.body.errors).toEqual([
        expect.objectContaining({
          message: 'internal server error',
          extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
        }),
      ]);
      expect(JSON.stringify(answer.body)).not.toMatch(/run_metadata|select/i);
      const logs = logged.mock.calls.map((args) => args.map(String).join(' '));
      expect(logs.some((line) => line.includes('run_metadata'))).toBe(true);
    } finally {
      logged.mockRestore();
      await server.close();
    }
  });

  it('carry their stack trace and message in dev mode', async () => {
    const server = await startServer(backend, { GATEWATCH_DEV: '1' });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await breakDatabase(server);
      const { body } = await server.query(query);
      const error = body.errors![0] as GraphQLError;
      expect(error.message).toBe('internal server error');
      expect(error.extensions?.code).toBe(ErrorCode.INTERNAL_SERVER_ERROR);
      expect(error.extensions?.originalMessage).toMatch(/run_metadata/);
      expect(error.extensions?.stacktrace?.some((line) => /^\s+at /.test(line))).toBe(true);

      // A client's error too: the trace of where it was raised.
      const validation = await server.query('{ nope }');
      const [invalid] = validation.body.errors as GraphQLError[];
      expect(invalid!.extensions?.code).toBe(ErrorCode.GRAPHQL_VALIDATION_FAILED);
      expect(invalid!.extensions?.stacktrace?.length).toBeGreaterThan(0);
    } finally {
      logged.mockRestore();
      await server.close();
    }
  });
});

describe('the schema', () => {
  it('holds every ErrorCode, for clients to know the codes', async () => {
    const server = await startServer(backends[0]!);
    try {
      const { body } = await server.query<{ __type: { enumValues: { name: string }[] } }>(
        '{ __type(name: "ErrorCode") { enumValues { name } } }',
      );
      expect(body.data!.__type.enumValues.map((v) => v.name).sort()).toEqual([...CODES].sort());
    } finally {
      await server.close();
    }
  });
});
