/** --replay: a JSON array or JSON lines, streamed into the sink; bad entries counted. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectFilter } from '../../server/gerrit/projects.js';
import { replayEvents } from '../../server/gerrit/replay.js';
import { generateSequence } from '../helpers/gerrit-sequence.js';
import { recordingSink } from '../helpers/recording-sink.js';

const FIXTURES = new URL('../fixtures/gerrit/', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const history = generateSequence({ changes: 30, start: 1_700_000_000 });

describe('replayEvents', () => {
  it('replays a JSON array, in order, in batches', async () => {
    const sink = recordingSink();
    const path = file('array.json', JSON.stringify(history, null, 2));
    const summary = await replayEvents(path, sink, { batchSize: 7 });
    expect(summary).toEqual({
      read: 60,
      stored: 60,
      duplicates: 0,
      other: 0,
      reports: 0,
      invalid: 0,
      tooLong: 0,
      filtered: 0,
    });
    const replayed = sink.batches.flatMap((b) => b.events.map((e) => e.createdOn));
    expect(replayed).toEqual(history.map((e) => e.eventCreatedOn));
    expect(sink.batches.map((b) => b.events.length)).toEqual([7, 7, 7, 7, 7, 7, 7, 7, 4]);
    expect(new Set(sink.batches.map((b) => b.source))).toEqual(new Set(['replay']));
  });

  it('replays the real elastic-recheck fixture (an array)', async () => {
    const sink = recordingSink();
    const path = new URL('elastic-recheck-gerrit-events.json', FIXTURES).pathname;
    const summary = await replayEvents(path, sink);
    expect(summary).toMatchObject({ read: 11, invalid: 0, tooLong: 0 });
    expect(sink.batches.flatMap((b) => b.events)).toHaveLength(11);
  });

  it('replays JSON lines, skipping and counting invalid and too long ones', async () => {
    const sink = recordingSink();
    const warnings: string[] = [];
    const lines = [
      JSON.stringify(history[0]),
      '',
      '{broken',
      JSON.stringify({ type: 'comment-added', comment: 'x'.repeat(5000) }),
      JSON.stringify(history[1]),
    ];
    const path = file('events.jsonl', `${lines.join('\n')}\n`);
    const summary = await replayEvents(path, sink, {
      maxEventBytes: 4000,
      warn: (w) => warnings.push(w),
    });
    expect(summary).toMatchObject({ read: 4, stored: 2, invalid: 1, tooLong: 1 });
    expect(warnings[0]).toMatch(new RegExp(`^${path}: line 3: skipped: `));
    expect(warnings[1]).toBe(`${path}: line 4: skipped, longer than 4000 bytes`);
  });

  it('keeps strings holding brackets and commas whole, and filters projects', async () => {
    const tricky = { ...history[1], comment: 'a ] b , c [ "q" \\ }' };
    const other = { ...history[2], change: { ...(history[2]!.change as object), project: 'x/y' } };
    const path = file('tricky.json', JSON.stringify([history[0], tricky, other]));
    const sink = recordingSink();
    const summary = await replayEvents(path, sink, { projects: projectFilter(['openstack/*']) });
    expect(summary).toMatchObject({ read: 3, stored: 2, filtered: 1, invalid: 0 });
    const comment = sink.batches[0]!.events[1] as { comment: string };
    expect(comment.comment).toBe('a ] b , c [ "q" \\ }');
  });

  it('names an unclosed array, trailing content, an empty and a missing file', async () => {
    const sink = recordingSink();
    const open = file('open.json', `[${JSON.stringify(history[0])}, {"type":`);
    await expect(replayEvents(open, sink)).rejects.toThrow(
      `--replay ${open}: the JSON array is not closed (it ends inside element 2); the 1 events before were replayed`,
    );
    const trailing = file('trailing.json', '[] []');
    await expect(replayEvents(trailing, sink)).rejects.toThrow(
      `--replay ${trailing}: more after the JSON array's closing ] (after element 0)`,
    );
    const empty = file('empty.json', '  \n');
    await expect(replayEvents(empty, sink)).rejects.toThrow(
      `--replay ${empty}: empty, no event in it`,
    );
    await expect(replayEvents(join(dir, 'nope.json'), sink)).rejects.toThrow(
      `--replay ${join(dir, 'nope.json')}: cannot read it (ENOENT)`,
    );
  });
});
