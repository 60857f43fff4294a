import { createHash } from 'node:crypto';
import type { Knex } from '@mikro-orm/knex';
import type { SubunitBatch } from '../../workers/protocol.js';
import type { ResultStatus, TestResult as ParsedResult } from '../../workers/subunit/types.js';
import type { ArtifactWriter } from './artifact-writer.js';

/** Rows per INSERT: well under SQLite's and MySQL's placeholder limits. */
const ROWS_PER_INSERT = 500;
/** Attachment bytes per INSERT: far below MySQL's default 16 MiB packet. */
const BYTES_PER_INSERT = 2 << 20;
/** Larger attachments are stored cut; `size` keeps the full length and the artifact the bytes. */
export const MAX_ATTACHMENT_BYTES = 4 << 20;

export interface StatusCounts {
  passes: number;
  failures: number;
  skips: number;
  xfails: number;
  uxsuccesses: number;
  incomplete: number;
}

const COUNTER_OF: Record<ResultStatus, keyof StatusCounts> = {
  success: 'passes',
  fail: 'failures',
  skip: 'skips',
  xfail: 'xfails',
  uxsuccess: 'uxsuccesses',
  incomplete: 'incomplete',
};

/**
 * Writes one run's batches inside its transaction and keeps what the run row needs. Bulk
 * rows go through knex with bound parameters: MikroORM inlines values into the SQL text,
 * which for attachment bytes costs several times the insert itself.
 * `catalogue` is where test ids are registered and looked up (see `ingestRun`).
 */
export class RunWriter {
  readonly counts: StatusCounts = {
    passes: 0,
    failures: 0,
    skips: 0,
    xfails: 0,
    uxsuccesses: 0,
    incomplete: 0,
  };
  results = 0;
  parseErrors = 0;
  summedTime = 0;
  startUs: number | null = null;
  stopUs: number | null = null;
  readonly workers = new Set<number>();

  constructor(
    private readonly trx: Knex,
    private readonly catalogue: Knex,
    private readonly runId: number,
    private readonly artifact: ArtifactWriter,
  ) {}

  async write(batch: SubunitBatch): Promise<void> {
    await this.writeResults(batch.results);
    const runFiles = [
      ...batch.runAttachments.map((a) => ({ name: a.name, mime: a.mime, bytes: a.bytes })),
      ...batch.parseErrors.flatMap((e) => [
        {
          name: 'Parser Error',
          mime: 'text/plain;charset=utf8',
          bytes: Buffer.from(`byte ${e.offset}: ${e.message}`),
        },
        { name: 'Packet data', mime: 'application/octet-stream', bytes: e.bytes },
      ]),
    ];
    this.parseErrors += batch.parseErrors.length;
    await this.insertAttachments(runFiles.map((file) => ({ ...file, result: null })));
    await this.artifact.append(batch.artifact);
  }

  private async writeResults(results: ParsedResult[]): Promise<void> {
    if (results.length === 0) return;
    const testIds = await this.testIdsOf(results);
    const firstSeq = this.results;
    const rows = results.map((r, i) => {
      this.count(r);
      return {
        run_id: this.runId,
        test_id: testIds.get(r.testId)!,
        seq: firstSeq + i,
        status: r.status,
        start_us: r.startUs,
        stop_us: r.stopUs,
        duration: durationOf(r),
        worker: r.worker,
        route_code: r.routeCode,
        tags: r.tags.join(' '),
        attrs: r.attrs.join(','),
      };
    });
    this.results += results.length;
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      await this.trx('test_results').insert(rows.slice(i, i + ROWS_PER_INSERT));
    }
    const withFiles = results
      .map((r, i) => ({ seq: firstSeq + i, attachments: r.attachments }))
      .filter((r) => r.attachments.length > 0);
    if (withFiles.length === 0) return;
    const ids = await this.resultIds(firstSeq, this.results - 1);
    await this.insertAttachments(
      withFiles.flatMap((r) => r.attachments.map((a) => ({ ...a, result: ids.get(r.seq)! }))),
    );
  }

  private count(r: ParsedResult): void {
    this.counts[COUNTER_OF[r.status]]++;
    const duration = durationOf(r);
    if (duration !== null) this.summedTime += duration;
    if (r.startUs !== null && (this.startUs === null || r.startUs < this.startUs)) {
      this.startUs = r.startUs;
    }
    const end = r.stopUs ?? r.startUs;
    if (end !== null && (this.stopUs === null || end > this.stopUs)) this.stopUs = end;
    if (r.worker !== null) this.workers.add(r.worker);
  }

  /** Database ids of the batch's tests, registering the new ones. */
  private async testIdsOf(results: ParsedResult[]): Promise<Map<string, number>> {
    const byHash = new Map<string, string>();
    for (const { testId } of results) byHash.set(hashTestId(testId), testId);
    // Sorted, so concurrent ingests take index locks in one order.
    const hashes = [...byHash.keys()].sort();
    const ids = new Map<string, number>();
    for (let i = 0; i < hashes.length; i += ROWS_PER_INSERT) {
      const slice = hashes.slice(i, i + ROWS_PER_INSERT);
      await this.catalogue('tests')
        .insert(slice.map((hash) => ({ hash, test_id: byHash.get(hash)! })))
        .onConflict('hash')
        .ignore();
      const rows: { id: number; hash: string }[] = await this.catalogue('tests')
        .select('id', 'hash')
        .whereIn('hash', slice);
      for (const row of rows) ids.set(byHash.get(row.hash)!, row.id);
    }
    return ids;
  }

  private async resultIds(fromSeq: number, toSeq: number): Promise<Map<number, number>> {
    const rows: { id: number; seq: number }[] = await this.trx('test_results')
      .select('id', 'seq')
      .where('run_id', this.runId)
      .whereBetween('seq', [fromSeq, toSeq]);
    return new Map(rows.map((row) => [row.seq, Number(row.id)]));
  }

  private async insertAttachments(
    files: { name: string; mime: string; bytes: Uint8Array; result: number | null }[],
  ): Promise<void> {
    let rows: AttachmentRow[] = [];
    let bytes = 0;
    for (const file of files) {
      const content = file.bytes.subarray(0, MAX_ATTACHMENT_BYTES);
      rows.push({
        run_id: this.runId,
        result_id: file.result,
        name: file.name.slice(0, 255),
        mime: file.mime.slice(0, 255),
        size: file.bytes.length,
        content: Buffer.from(content.buffer, content.byteOffset, content.length),
      });
      bytes += content.length;
      if (rows.length >= ROWS_PER_INSERT || bytes >= BYTES_PER_INSERT) {
        await this.trx('attachments').insert(rows);
        rows = [];
        bytes = 0;
      }
    }
    if (rows.length > 0) await this.trx('attachments').insert(rows);
  }
}

interface AttachmentRow {
  run_id: number;
  result_id: number | null;
  name: string;
  mime: string;
  size: number;
  content: Buffer;
}

export function hashTestId(testId: string): string {
  return createHash('sha256').update(testId).digest('hex');
}

function durationOf(r: ParsedResult): number | null {
  return r.startUs !== null && r.stopUs !== null ? (r.stopUs - r.startUs) / 1e6 : null;
}

/** Which status columns a test's aggregates count, in SQL. */
export const STATUS_SQL = {
  successes: `sum(case when status in ('success', 'xfail') then 1 else 0 end)`,
  failures: `sum(case when status in ('fail', 'uxsuccess') then 1 else 0 end)`,
  skips: `sum(case when status = 'skip' then 1 else 0 end)`,
  successTime: `coalesce(sum(case when status = 'success' then duration else 0 end), 0)`,
} as const;
