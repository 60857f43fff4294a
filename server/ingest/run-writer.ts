import type { SubunitBatch } from '../../workers/protocol.js';
import type { ResultStatus, TestResult as ParsedResult } from '../../workers/subunit/types.js';
import type { BulkWriter } from '../db/bulk.js';
import { hashTestId } from '../db/test-key.js';
import { noCounts, outcomeOf, type StatusCounts } from '../runs/outcome.js';
import type { FailureLog } from '../insights/signatures/failure-log.js';
import type { ArtifactWriter } from './artifact-writer.js';
import { microseconds, type TestShare } from '../runs/rollups.js';

/** Attachment bytes per statement: far below MySQL's default 16 MiB packet. */
const BYTES_PER_STATEMENT = 2 << 20;
/** Larger attachments are stored cut; `size` keeps the full length and the artifact the bytes. */
export const MAX_ATTACHMENT_BYTES = 4 << 20;

const COUNTER_OF: Record<ResultStatus, keyof StatusCounts> = {
  success: 'passes',
  fail: 'failures',
  skip: 'skips',
  xfail: 'xfails',
  uxsuccess: 'uxsuccesses',
  incomplete: 'incomplete',
};

const RESULT_COLUMNS = [
  'run_id',
  'test_id',
  'seq',
  'status',
  'start_us',
  'stop_us',
  'duration',
  'worker',
  'route_code',
  'tags',
  'attrs',
];
const ATTACHMENT_COLUMNS = ['run_id', 'result_seq', 'name', 'mime', 'size', 'content'];

/**
 * Writes one run's batches inside its transaction and keeps what the run row and the
 * rollups need. `catalogue` is where test ids are registered and looked up (see `ingestRun`).
 */
export class RunWriter {
  readonly counts: StatusCounts = noCounts();
  results = 0;
  parseErrors = 0;
  summedTime = 0;
  startUs: number | null = null;
  stopUs: number | null = null;
  readonly workers = new Set<number>();
  /** The run's share of each test's aggregates, by test id (as in the stream). */
  readonly perTest = new Map<string, TestShare>();

  constructor(
    private readonly bulk: BulkWriter,
    private readonly catalogue: BulkWriter,
    private readonly runId: number,
    private readonly artifact: ArtifactWriter,
    /** Where failing results' signatures and rule hits are kept for the end of the run. */
    readonly failures: FailureLog,
  ) {}

  async write(batch: SubunitBatch): Promise<void> {
    await this.writeResults(batch);
    const runFiles = [
      ...batch.runAttachments,
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
    await this.insertAttachments(runFiles.map((file) => ({ ...file, seq: null })));
    await this.artifact.append(batch.artifact);
  }

  private async writeResults({ results, signatures }: SubunitBatch): Promise<void> {
    if (results.length === 0) return;
    const tests = await this.testsOf(results);
    const signatureOf = new Map(signatures.map((s) => [s.result, s]));
    const rows: unknown[][] = [];
    const files: { seq: number; name: string; mime: string; bytes: Uint8Array }[] = [];
    for (const [index, r] of results.entries()) {
      const seq = this.results++;
      const test = tests.get(r.testId)!;
      const duration =
        r.startUs !== null && r.stopUs !== null ? (r.stopUs - r.startUs) / 1e6 : null;
      this.count(r, duration, test);
      rows.push([
        this.runId,
        test.id,
        seq,
        r.status,
        r.startUs,
        r.stopUs,
        duration,
        r.worker,
        r.routeCode,
        r.tags.join(' '),
        r.attrs.join(','),
      ]);
      for (const a of r.attachments) files.push({ seq, ...a });
      const outcome = outcomeOf(r.status);
      this.failures.see(r.testId, outcome);
      const signature = signatureOf.get(index);
      if (outcome === 'failing' && signature) {
        const traceback = r.attachments.find((a) => a.name === 'traceback')?.bytes;
        this.failures.add({ seq, testRowId: test.id, testId: r.testId, signature }, traceback);
      }
    }
    await this.bulk.insert('test_results', RESULT_COLUMNS, rows);
    await this.insertAttachments(files);
    await this.failures.endBatch();
  }

  private count(r: ParsedResult, duration: number | null, test: TestShare): void {
    this.counts[COUNTER_OF[r.status]]++;
    if (duration !== null) this.summedTime += duration;
    if (r.startUs !== null && (this.startUs === null || r.startUs < this.startUs)) {
      this.startUs = r.startUs;
    }
    const end = r.stopUs ?? r.startUs;
    if (end !== null && (this.stopUs === null || end > this.stopUs)) this.stopUs = end;
    if (r.worker !== null) this.workers.add(r.worker);
    test.runs++;
    const outcome = outcomeOf(r.status);
    if (outcome === 'passing') test.successes++;
    if (outcome === 'failing') test.failures++;
    if (outcome === 'skipped') test.skips++;
    if (r.status === 'success') test.successUs += microseconds(duration);
  }

  /** The batch's tests by id, registering new ones in the catalogue. */
  private async testsOf(results: ParsedResult[]): Promise<Map<string, TestShare>> {
    const known = new Map<string, TestShare>();
    const unknown = new Map<string, string>();
    for (const { testId } of results) {
      if (known.has(testId) || unknown.has(testId)) continue;
      const seen = this.perTest.get(testId);
      if (seen) known.set(testId, seen);
      else unknown.set(testId, hashTestId(testId));
    }
    if (unknown.size === 0) return known;
    const hashes = [...unknown.values()];
    const ids = await this.catalogue.lookup('tests', 'hash', 'id', hashes);
    // Only ids never seen are inserted, sorted by hash so concurrent ingests lock in one order.
    const missing = [...unknown].filter(([, hash]) => !ids.has(hash));
    if (missing.length > 0) {
      missing.sort(([, a], [, b]) => (a < b ? -1 : 1));
      await this.catalogue.insertMissing(
        'tests',
        ['hash', 'test_id'],
        'hash',
        missing.map(([testId, hash]) => [hash, testId]),
      );
      const added = await this.catalogue.lookup(
        'tests',
        'hash',
        'id',
        missing.map(([, hash]) => hash),
      );
      for (const [hash, id] of added) ids.set(hash, id);
    }
    for (const [testId, hash] of unknown) {
      const sums: TestShare = {
        id: ids.get(hash)!,
        hash,
        testId,
        runs: 0,
        successes: 0,
        failures: 0,
        skips: 0,
        successUs: 0,
      };
      this.perTest.set(testId, sums);
      known.set(testId, sums);
    }
    return known;
  }

  private async insertAttachments(
    files: { seq: number | null; name: string; mime: string; bytes: Uint8Array }[],
  ): Promise<void> {
    let rows: unknown[][] = [];
    let bytes = 0;
    for (const file of files) {
      const content = file.bytes.subarray(0, MAX_ATTACHMENT_BYTES);
      rows.push([
        this.runId,
        file.seq,
        file.name.slice(0, 255),
        file.mime.slice(0, 255),
        file.bytes.length,
        content,
      ]);
      bytes += content.length;
      if (bytes >= BYTES_PER_STATEMENT) {
        await this.bulk.insert('attachments', ATTACHMENT_COLUMNS, rows);
        rows = [];
        bytes = 0;
      }
    }
    if (rows.length > 0) await this.bulk.insert('attachments', ATTACHMENT_COLUMNS, rows);
  }
}
