/** Each patch set's commit message: from its patchset-created event, cut, never erased. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config/config.js';
import type { GerritEvent, PatchSetCreated } from '../../server/gerrit/events.js';
import { patchSetsById } from '../../server/gerrit/gerrit.service.js';
import { changeToEvents } from '../../server/gerrit/rest-changes.js';
import { openGerritStore, type GerritStore } from '../../server/gerrit/store.js';
import { MAX_MESSAGE_BYTES } from '../../server/gerrit/store-sql.js';
import { openRuntime, type Runtime } from '../../server/runtime.js';
import { backends } from '../helpers/databases.js';
import { ACME, commentAdded, HOUR, patchSetCreated, T0 } from '../helpers/gerrit-events.js';

const C1 = { number: 1 };
const C2 = { number: 2 };
const C3 = { number: 3 };
const withMessage = (event: PatchSetCreated, commitMessage?: string): PatchSetCreated => ({
  ...event,
  change: { ...event.change, ...(commitMessage === undefined ? {} : { commitMessage }) },
});
const LONG = `Long\n\n${'é'.repeat(MAX_MESSAGE_BYTES)}`;

describe.each(backends)('commit messages on $name', (backend) => {
  let database: Awaited<ReturnType<typeof backend.create>>;
  let runtime: Runtime;
  let store: GerritStore;

  beforeAll(async () => {
    database = await backend.create();
    runtime = await openRuntime(loadConfig({ db: database.url }, {}));
    store = await openGerritStore(runtime.services, {
      name: 'review',
      url: 'https://review.example.org',
      cis: [],
      upstream: null,
    });
  });
  afterAll(async () => {
    await store?.close();
    await runtime?.stop();
    await database?.drop();
  });

  async function messages(): Promise<Record<string, string | null>> {
    const { knex } = runtime.services.db;
    const ids = ((await knex('gerrit_patch_sets').select('id')) as { id: number }[]).map((r) =>
      Number(r.id),
    );
    const found = await patchSetsById(knex, ids);
    return Object.fromEntries(
      [...found.values()].map((ps) => [`${ps.changeNumber}/${ps.number}`, ps.commitMessage]),
    );
  }

  it('keeps what the patchset-created event told, and only that', async () => {
    const comment = commentAdded(C1, 1, T0 + HOUR, ACME, 'looks fine');
    const events: GerritEvent[] = [
      withMessage(patchSetCreated(C1, 1, T0), 'Fix the frobnicator\n\nCloses-Bug: #1'),
      // A comment's change carries the current patch set's message: not 1/1's.
      { ...comment, change: { ...comment.change, commitMessage: 'Something else' } },
      // 2/1 first seen through a comment, then completed by its patchset-created.
      commentAdded(C2, 1, T0 + HOUR, ACME, 'early', [], T0),
      withMessage(patchSetCreated(C2, 1, T0), 'Add the widget'),
      withMessage(patchSetCreated(C3, 1, T0), LONG),
      withMessage(patchSetCreated(C3, 2, T0 + HOUR)),
    ];
    await store.accept(events.slice(0, 3), 'stream');
    await store.accept(events.slice(3), 'stream');
    const stored = await messages();
    expect(stored['1/1']).toBe('Fix the frobnicator\n\nCloses-Bug: #1');
    expect(stored['2/1']).toBe('Add the widget');
    expect(stored['3/2']).toBeNull();
    // Cut to 64 KiB of UTF-8 at a character boundary: 'Long\n\n' then 2-byte characters.
    const cut = stored['3/1']!;
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(cut).toBe(LONG.slice(0, 6 + Math.floor((MAX_MESSAGE_BYTES - 6) / 2)));
  });

  it('takes each REST revision’s commit message (o=ALL_COMMITS) for its patch set', async () => {
    const revision = (n: number, created: string, message?: string) => ({
      _number: n,
      created,
      kind: 'REWORK',
      ...(message === undefined ? {} : { commit: { subject: 'x', message } }),
    });
    const { events, warnings } = changeToEvents({
      _number: 4,
      project: 'openstack/nova',
      branch: 'master',
      subject: 'Speed up',
      status: 'NEW',
      revisions: {
        aaaa: revision(1, '2026-11-30 12:00:00.000000000', 'Speed up\n\nFirst try'),
        bbbb: revision(2, '2026-11-30 13:00:00.000000000', 'Speed up\n\nSecond try'),
        cccc: revision(3, '2026-11-30 14:00:00.000000000'),
      },
      messages: [
        {
          id: 'm',
          author: ACME,
          date: '2026-11-30 13:30:00.000000000',
          message: 'Patch Set 1: hi',
        },
      ],
    });
    expect(warnings).toEqual([]);
    // Only a patch set's creation carries a message, its own.
    expect(events.map((e) => [e.type, e.patchSet.number, e.change.commitMessage])).toEqual([
      ['patchset-created', 1, 'Speed up\n\nFirst try'],
      ['patchset-created', 2, 'Speed up\n\nSecond try'],
      ['comment-added', 1, undefined],
      ['patchset-created', 3, undefined],
    ]);
    await store.accept(events, 'rest');
    const stored = await messages();
    expect([stored['4/1'], stored['4/2'], stored['4/3']]).toEqual([
      'Speed up\n\nFirst try',
      'Speed up\n\nSecond try',
      null,
    ]);
  });

  it('never replaces a stored message with none', async () => {
    await store.accept([withMessage(patchSetCreated(C1, 1, T0))], 'replay');
    expect((await messages())['1/1']).toBe('Fix the frobnicator\n\nCloses-Bug: #1');
  });
});
