/** GerritRest against the stand-in's REST side: paging, the since: query, projects, auth. */
import { afterEach, describe, expect, it } from 'vitest';
import { GatewatchError } from '../../server/errors.js';
import { createHttpClient } from '../../server/http/client.js';
import { projectFilter } from '../../server/gerrit/projects.js';
import { createGerritRest, gerritDate } from '../../server/gerrit/rest.js';
import { generateSequence } from '../helpers/gerrit-sequence.js';
import { startGerritStandin, type GerritStandin } from '../helpers/gerrit-standin.js';

const START = Date.UTC(2026, 11, 1, 12) / 1000;
let standin: GerritStandin | undefined;
afterEach(async () => {
  await standin?.close();
  standin = undefined;
});

async function all(iterable: AsyncIterable<unknown>): Promise<{ _number: number }[]> {
  const out: { _number: number }[] = [];
  for await (const item of iterable) out.push(item as { _number: number });
  return out;
}

const quick = createHttpClient({ backoffMs: 1, maxBackoffMs: 5 });

describe('GerritRest.changesUpdatedSince', () => {
  it('follows _more_changes pages with S= and asks since: in UTC', async () => {
    standin = await startGerritStandin({
      events: generateSequence({ changes: 8, start: START }),
      pageSize: 3,
    });
    const rest = createGerritRest({ url: standin.restUrl, http: quick });
    const since = new Date((START + 4 * 60) * 1000);
    const changes = await all(rest.changesUpdatedSince(since));
    // Change 1000 was last updated at START+60, 1001 at START+180: before since.
    expect(changes.map((c) => c._number)).toEqual([1007, 1006, 1005, 1004, 1003, 1002]);
    expect(standin.restRequests.map((p) => [p.get('q'), p.get('S'), p.get('n')])).toEqual([
      [`since:"${gerritDate(since)}"`, null, '100'],
      [`since:"${gerritDate(since)}"`, '3', '100'],
    ]);
    expect(standin.restRequests[0]!.getAll('o')).toEqual([
      'ALL_REVISIONS',
      'ALL_COMMITS',
      'MESSAGES',
      'DETAILED_ACCOUNTS',
    ]);
    expect(gerritDate(since)).toBe('2026-12-01 12:04:00');
  });

  it('narrows to the projects, globs as Gerrit regexes', async () => {
    standin = await startGerritStandin({
      events: generateSequence({
        changes: 6,
        start: START,
        projects: ['openstack/nova', 'openstack/neutron', 'x/other'],
      }),
    });
    const rest = createGerritRest({ url: standin.restUrl, http: quick });
    const changes = await all(
      rest.changesUpdatedSince(new Date(START * 1000), projectFilter(['x/other'])),
    );
    expect(changes.map((c) => c._number)).toEqual([1005, 1002]);
    expect(projectFilter(['openstack/*', 'x/other']).queryTerm()).toBe(
      '(project:^openstack/.*$ OR project:x/other)',
    );
  });

  it('uses /a/ and basic auth when a user is given; a wrong password is named', async () => {
    standin = await startGerritStandin({ events: generateSequence({ changes: 1, start: START }) });
    const rest = createGerritRest({
      url: standin.restUrl,
      user: standin.user,
      password: standin.httpPassword,
    });
    expect(await all(rest.changesUpdatedSince(new Date(START * 1000)))).toHaveLength(1);
    const wrong = createGerritRest({ url: standin.restUrl, user: standin.user, password: 'no' });
    const error = await all(wrong.changesUpdatedSince(new Date(START * 1000))).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GatewatchError);
    expect((error as Error).message).toMatch(
      new RegExp(`^GET ${standin.restUrl}/a/changes/\\?q=since.*: answered 401: Unauthorized$`),
    );
  });

  it('retries a failing REST answer', async () => {
    standin = await startGerritStandin({ events: generateSequence({ changes: 2, start: START }) });
    standin.failRest(2, 503);
    const rest = createGerritRest({ url: standin.restUrl, http: quick });
    expect(await all(rest.changesUpdatedSince(new Date(START * 1000)))).toHaveLength(2);
    expect(standin.restRequests).toHaveLength(3);
  });

  it('stops at the cap with an error naming it', async () => {
    standin = await startGerritStandin({
      events: generateSequence({ changes: 10, start: START }),
      pageSize: 2,
    });
    const rest = createGerritRest({ url: standin.restUrl, http: quick, maxChanges: 4 });
    const error = await all(rest.changesUpdatedSince(new Date(START * 1000))).catch(
      (e: unknown) => e as Error,
    );
    expect((error as Error).message).toBe(
      `${standin.restUrl}: more than 4 changes (2 pages) updated since 2026-12-01 12:00:00, ` +
        'past the cap of 4 changes or 500 pages: narrow --since or --project',
    );
  });

  it('the stand-in answers -age: queries as Gerrit does (updated within the age)', async () => {
    const now = Math.floor(Date.now() / 1000);
    standin = await startGerritStandin({
      events: generateSequence({ changes: 3, start: now - 2 * 3600, step: 1800 }),
    });
    const body = await quick.getJson(`${standin.restUrl}/changes/?q=-age:1h&n=10`);
    // Last updated (by their CI comments) 1.5 h ago, 0.5 h ago and half an hour from now.
    expect((body as { _number: number }[]).map((c) => c._number)).toEqual([1002, 1001]);
  });
});
