import type { SqlEntityManager as EntityManager } from '@mikro-orm/knex';
import { encodeEvent, timestampOfMicros } from '../../workers/subunit/encode.js';
import type { PacketStatus, SubunitEvent, Timestamp } from '../../workers/subunit/types.js';
import { Attachment, TestResult, type Run } from '../db/entities/index.js';

const PAGE = 1000;
/** Run files the parser made from damage, not part of the stream. */
const PARSER_FILES = ['Parser Error', 'Packet data'];

export interface ExportOptions {
  /** Replace each duration by the test's mean successful duration (timing data for schedulers). */
  average?: boolean;
}

/**
 * A run as a subunit v2 stream, in the order it was ingested: per result an `inprogress`,
 * its attachments and its final status (none for an incomplete result), so the reference
 * tools read back the same tests, statuses, times, tags and files.
 */
export async function* exportRun(
  em: EntityManager,
  run: Run,
  options: ExportOptions = {},
): AsyncGenerator<Buffer> {
  const runFiles = await em.find(
    Attachment,
    { run: run.id, resultSeq: null, name: { $nin: PARSER_FILES } },
    { populate: ['content'], orderBy: { id: 'asc' } },
  );
  for (const file of runFiles) {
    yield* encodeEvent({
      status: 'none',
      runnable: false,
      mime: file.mime,
      file: { name: file.name, bytes: file.content!, eof: true },
    });
  }
  for (let fromSeq = 0; ; fromSeq += PAGE) {
    const results = await em.find(
      TestResult,
      { run: run.id, seq: { $gte: fromSeq, $lt: fromSeq + PAGE } },
      { populate: ['test'], orderBy: { seq: 'asc' } },
    );
    if (results.length === 0) return;
    const files = await em.find(
      Attachment,
      { run: run.id, resultSeq: { $gte: fromSeq, $lt: fromSeq + PAGE } },
      { populate: ['content'], orderBy: { id: 'asc' } },
    );
    const filesOf = new Map<number, Attachment[]>();
    for (const file of files) {
      const seq = file.resultSeq!;
      filesOf.set(seq, [...(filesOf.get(seq) ?? []), file]);
    }
    for (const result of results) {
      const testId = result.attrs ? `${result.test.testId}[${result.attrs}]` : result.test.testId;
      const common = {
        testId,
        runnable: true,
        routeCode: result.routeCode ?? undefined,
      } satisfies Partial<SubunitEvent>;
      const tags = result.tags === '' ? [] : result.tags.split(' ');
      yield* encodeEvent({
        ...common,
        status: 'inprogress',
        timestamp: toTimestamp(result.startUs),
        tags,
      });
      for (const file of filesOf.get(result.seq) ?? []) {
        yield* encodeEvent({
          ...common,
          status: 'none',
          mime: file.mime,
          file: { name: file.name, bytes: file.content!, eof: true },
        });
      }
      if (result.status === 'incomplete') continue;
      const stopUs =
        options.average && result.startUs != null && result.test.successes > 0
          ? result.startUs + Math.round(result.test.successUs / result.test.successes)
          : result.stopUs;
      yield* encodeEvent({
        ...common,
        status: result.status as PacketStatus,
        timestamp: toTimestamp(stopUs),
        tags,
      });
    }
    em.clear();
  }
}

function toTimestamp(us: number | null | undefined): Timestamp | undefined {
  return us == null ? undefined : timestampOfMicros(us);
}
