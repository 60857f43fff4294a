/**
 * The piscina task: parses one subunit stream or dstat CSV whose bytes it pulls from the
 * main thread, decompressing gzip input, hashing the stream and gzip-compressing it for
 * storage as it goes. Everything CPU-bound about ingest happens here, off the main thread.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { MessagePort } from 'node:worker_threads';
import { constants, createGunzip, createGzip, type Gunzip, type Gzip } from 'node:zlib';
import { createDstatParser, DstatParseError } from './dstat/parse.js';
import type {
  DstatOutcome,
  MainMessage,
  ParseResult,
  ParseTask,
  SubunitBatch,
  SubunitOutcome,
  WorkerFailure,
  WorkerMessage,
} from './protocol.js';
import { signatureOf, tailText } from './signatures/normalise.js';
import { createSubunitParser } from './subunit/parser.js';

/**
 * Resolves with the outcome, or with the {@link WorkerFailure} when the input ends the parse
 * (a failure crosses the thread boundary as data: thrown errors arrive as bare messages).
 * Anything else, such as an abort from the main thread, rejects.
 */
export default async function parse(
  task: ParseTask,
): Promise<ParseResult<SubunitOutcome | DstatOutcome>> {
  try {
    const outcome = await (task.kind === 'subunit' ? parseSubunit(task) : parseDstat(task));
    return { ok: true, outcome };
  } catch (error) {
    if (error instanceof InputFailure) return { ok: false, failure: error.failure };
    if (error instanceof DstatParseError) {
      const failure: WorkerFailure = { code: 'NOT_DSTAT', message: error.message };
      if (error.offset !== null) failure.offset = error.offset;
      return { ok: false, failure };
    }
    throw error;
  }
}

/** Thrown inside the worker when the input ends the parse; {@link parse} returns it. */
class InputFailure extends Error {
  constructor(readonly failure: WorkerFailure) {
    super(failure.message);
  }
}

const GZIP_MAGIC = [0x1f, 0x8b];

async function parseSubunit(
  task: Extract<ParseTask, { kind: 'subunit' }>,
): Promise<SubunitOutcome> {
  const channel = new Channel(task.port);
  try {
    const input = await openInput(channel);
    const original = new Original(input, task.maxBytes);
    let batch = emptyBatch();
    let batchBytes = 0;
    const parser = createSubunitParser({
      result(result) {
        const traceback = result.attachments.find((a) => a.name === 'traceback');
        const signature = traceback && signatureOf(tailText(traceback.bytes, task.signatureBytes));
        if (signature) batch.signatures.push({ result: batch.results.length, ...signature });
        batch.results.push(result);
        for (const a of result.attachments) batchBytes += a.bytes.length;
      },
      runAttachment(attachment) {
        batch.runAttachments.push(attachment);
        batchBytes += attachment.bytes.length;
      },
      parseError(error) {
        batch.parseErrors.push(error);
        batchBytes += error.bytes.length;
      },
    });
    const flush = async () => {
      batch.artifact = original.take();
      await channel.send(batch);
      batch = emptyBatch();
      batchBytes = 0;
    };
    for await (const chunk of input.stream) {
      await original.add(chunk);
      parser.write(chunk);
      if (batch.results.length >= task.batchResults || batchBytes >= task.batchBytes) {
        await flush();
      }
    }
    const summary = parser.end();
    await original.finish();
    await flush();
    await channel.drained();
    return {
      format: summary.format,
      packets: summary.packets,
      parseErrors: summary.parseErrors,
      size: original.size,
      sha256: original.sha256(),
      gzip: input.gzip,
    };
  } finally {
    channel.close();
  }
}

async function parseDstat(task: Extract<ParseTask, { kind: 'dstat' }>): Promise<DstatOutcome> {
  const channel = new Channel(task.port);
  try {
    const input = await openInput(channel);
    const original = new Original(input, task.maxBytes);
    const parser = createDstatParser();
    for await (const chunk of input.stream) {
      await original.add(chunk);
      parser.write(chunk);
    }
    await original.finish();
    return {
      series: parser.end(),
      size: original.size,
      sha256: original.sha256(),
      artifact: original.take(),
    };
  } finally {
    channel.close();
  }
}

/**
 * The input as it is stored: its size and sha256, and its bytes gzip-compressed — gzip input
 * as it came, plain input compressed here (level 1 with the largest hash table: the fastest
 * deflate; ingest speed comes first). Past `maxBytes` decompressed bytes it ends the parse:
 * a few compressed bytes can expand to gigabytes.
 */
class Original {
  size = 0;
  private readonly hash = createHash('sha256');
  private readonly compressor: Gzip | null;
  private compressed: Uint8Array[] = [];

  constructor(
    private readonly input: Input,
    private readonly maxBytes: number,
  ) {
    this.compressor = input.gzip ? null : createGzip({ level: 1, memLevel: 9 });
    this.compressor?.on('data', (chunk: Buffer) => this.compressed.push(chunk));
  }

  /** Takes a chunk of the decompressed input. */
  async add(chunk: Buffer): Promise<void> {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      throw new InputFailure({
        code: 'TOO_LARGE',
        message: `the stream is larger than ${this.maxBytes} bytes once decompressed`,
        offset: this.maxBytes,
      });
    }
    this.hash.update(chunk);
    if (this.compressor && !this.compressor.write(chunk)) {
      await new Promise((resolve) => this.compressor!.once('drain', resolve));
    }
  }

  /** The gzip bytes ready since the last call. */
  take(): Uint8Array[] {
    const taken = this.input.gzip ? this.input.takeRaw() : this.compressed;
    this.compressed = [];
    return taken;
  }

  async finish(): Promise<void> {
    const compressor = this.compressor;
    if (!compressor) return;
    await new Promise((resolve, reject) => {
      compressor.once('end', resolve);
      compressor.once('error', reject);
      compressor.end();
    });
  }

  sha256(): string {
    return this.hash.digest('hex');
  }
}

interface Input {
  /** Decompressed bytes. */
  stream: AsyncIterable<Buffer>;
  gzip: boolean;
  /** Raw (compressed) chunks read since the last call; empty for plain input. */
  takeRaw(): Uint8Array[];
}

/** Reads the first chunk to tell gzip from plain input, then streams the rest. */
async function openInput(channel: Channel): Promise<Input> {
  const first = await channel.pull();
  const gzip = first !== null && GZIP_MAGIC.every((byte, i) => first[i] === byte);
  let raw: Uint8Array[] = [];
  async function* chunks() {
    if (first === null) return;
    if (gzip) raw.push(first);
    yield first;
    for (let next = await channel.pull(); next !== null; next = await channel.pull()) {
      if (gzip) raw.push(next);
      yield next;
    }
  }
  const source = Readable.from(chunks(), { objectMode: false, highWaterMark: 1 << 16 });
  let stream: AsyncIterable<Buffer> = source;
  if (gzip) {
    // Concatenated gzip members are valid gzip (`cat a.gz b.gz`); a truncated one is kept as far as it goes.
    const gunzip = source.pipe(createGunzip({ finishFlush: constants.Z_SYNC_FLUSH }));
    source.on('error', (error) => gunzip.destroy(error));
    stream = failingAsCorrupt(gunzip);
  }
  return {
    stream,
    gzip,
    takeRaw() {
      const taken = raw;
      raw = [];
      return taken;
    },
  };
}

/**
 * Gunzip's output, its errors turned into a CORRUPT_INPUT failure: zlib's messages ("incorrect
 * header check") say neither that the input was gzip nor where. zlib counts the input it has
 * consumed only between steps, so the damage is at or after that offset.
 */
async function* failingAsCorrupt(gunzip: Gunzip): AsyncIterable<Buffer> {
  try {
    yield* gunzip;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('Z_')) throw error;
    const offset = gunzip.bytesWritten;
    throw new InputFailure({
      code: 'CORRUPT_INPUT',
      message: `the gzip data is corrupt at or after byte ${offset} (${(error as Error).message})`,
      offset,
    });
  }
}

function emptyBatch(): SubunitBatch {
  return { results: [], runAttachments: [], parseErrors: [], signatures: [], artifact: [] };
}

/** The worker's side of the port: pulls input, sends batches with one in flight. */
class Channel {
  private pullWaiter: Waiter | null = null;
  private ackWaiter: Waiter | null = null;
  private unacked: Promise<void> = Promise.resolve();
  private aborted: Error | null = null;

  constructor(private readonly port: MessagePort) {
    port.on('message', (message: MainMessage) => {
      if (message.type === 'abort') {
        this.aborted = new Error(message.reason);
        this.pullWaiter?.reject(this.aborted);
        this.ackWaiter?.reject(this.aborted);
        this.pullWaiter = this.ackWaiter = null;
      } else if (message.type === 'ack') {
        this.ackWaiter?.resolve(message);
        this.ackWaiter = null;
      } else {
        this.pullWaiter?.resolve(message);
        this.pullWaiter = null;
      }
    });
  }

  /** The next input chunk, or null at the end. */
  async pull(): Promise<Uint8Array | null> {
    const reply = await new Promise<MainMessage>((resolve, reject) => {
      if (this.aborted) return reject(this.aborted);
      this.pullWaiter = { resolve, reject };
      this.post({ type: 'pull' });
    });
    return reply.type === 'chunk' ? reply.bytes : null;
  }

  /** Sends a batch once the previous one is acknowledged; parsing goes on meanwhile. */
  async send(batch: SubunitBatch): Promise<void> {
    await this.unacked;
    this.unacked = new Promise<void>((resolve, reject) => {
      if (this.aborted) return reject(this.aborted);
      this.ackWaiter = { resolve: () => resolve(), reject };
      this.post({ type: 'batch', batch });
    });
    // Observed by the next send() or by drained(); this only stops an unhandled-rejection crash.
    this.unacked.catch(() => undefined);
  }

  drained(): Promise<void> {
    return this.unacked;
  }

  close(): void {
    this.port.close();
  }

  private post(message: WorkerMessage): void {
    this.port.postMessage(message);
  }
}

interface Waiter {
  resolve(message: MainMessage): void;
  reject(error: Error): void;
}
