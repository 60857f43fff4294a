/**
 * `Expect: 100-continue` on uploads: the server tells the client to send the body only once it
 * accepts the request, so that a refusal (413, 401) arrives before any byte of the body is
 * sent — `gatewatch ingest --server` relies on it to report a 413 instead of `write EPIPE`.
 */
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createToken } from '../../server/tokens/token.service.js';
import { backends } from '../helpers/databases.js';
import { FIXTURES, startServer } from '../helpers/server.js';

const MAX_UPLOAD = 64 * 1024;

interface Exchange {
  /** Whether the server said `100 Continue`. */
  continued: boolean;
  status: number;
  body: string;
}

/** POSTs with `Expect: 100-continue`, sending `body` only when told to continue. */
function postExpecting(
  url: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    let continued = false;
    const req = request(url, {
      method: 'POST',
      headers: { ...headers, expect: '100-continue', 'content-length': String(body.length) },
    });
    req.on('continue', () => {
      continued = true;
      req.end(body);
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => {
        req.destroy();
        resolve({ continued, status: res.statusCode ?? 0, body: text });
      });
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

describe.each(backends)('uploads with Expect: 100-continue on $name', (backend) => {
  it('refuses on the headers without asking for the body, and takes it when accepted', async () => {
    const server = await startServer(backend, { GATEWATCH_MAX_UPLOAD: String(MAX_UPLOAD) });
    const { secret } = await createToken(server.app.services.db, 'continue');
    const url = `${server.url}/api/runs?build_name=continue`;
    const auth = { authorization: `Bearer ${secret}` };

    const tooLarge = await postExpecting(url, auth, Buffer.alloc(MAX_UPLOAD + 1));
    expect(tooLarge).toMatchObject({ continued: false, status: 413 });
    expect(JSON.parse(tooLarge.body).error.code).toBe('PAYLOAD_TOO_LARGE');

    const noToken = await postExpecting(url, { authorization: 'Bearer nope' }, Buffer.alloc(10));
    expect(noToken).toMatchObject({ continued: false, status: 401 });

    const stream = readFileSync(join(FIXTURES, 'subunit', 'stackviz-tempest.subunit'));
    const accepted = await postExpecting(url, auth, stream);
    expect(accepted).toMatchObject({ continued: true, status: 201 });
    expect(JSON.parse(accepted.body)).toMatchObject({ tests: 1, duplicate: false });

    // Every other request is told to continue as before.
    const graphql = await postExpecting(
      `${server.url}/graphql`,
      { 'content-type': 'application/json' },
      Buffer.from(JSON.stringify({ query: '{ runs { totalCount } }' })),
    );
    expect(graphql).toMatchObject({ continued: true, status: 200 });
    expect(JSON.parse(graphql.body)).toEqual({ data: { runs: { totalCount: 1 } } });
  });
});
