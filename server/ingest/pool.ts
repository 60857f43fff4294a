import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { DEFAULT_SIGNATURE_LIMITS } from '../insights/signatures/failure-log.js';
import type {
  DstatOutcome,
  MainMessage,
  ParseResult,
  ParseTask,
  SubunitBatch,
  SubunitOutcome,
  WorkerFailure,
  WorkerMessage,
} from '../../workers/protocol.js';
import { GatewatchError } from '../errors.js';

/**
 * A parse ended by its input, rebuilt from the worker's {@link WorkerFailure}: its code and
 * byte offset. The message does not name the input (the worker never knew it); {@link of} does.
 */
export class ParseFailure extends GatewatchError {
  constructor(failure: WorkerFailure) {
    super(failure.code, failure.message, { offset: failure.offset });
    this.name = 'ParseFailure';
  }

  /** The same failure, its message naming the input. */
  of(input: string): GatewatchError {
    return new GatewatchError(this.code, `${input}: ${this.message}`, { offset: this.offset });
  }
}

/** Parses inputs in worker threads; the main thread only moves bytes and stores results. */
export interface ParserPool {
  /**
   * Streams `source` through a worker; `onBatch` is awaited before the worker may send the
   * batch after next, so a slow database slows the parse instead of filling memory. A
   * rejection of `onBatch` aborts the parse and rejects with that error; damaged input
   * rejects with a {@link ParseFailure}, and so does input larger than `maxBytes` once
   * decompressed (code TOO_LARGE; default: no limit).
   */
  parseSubunit(
    source: AsyncIterable<Uint8Array>,
    onBatch: (batch: SubunitBatch) => Promise<void>,
    maxBytes?: number,
  ): Promise<SubunitOutcome>;
  /**
   * Rejects with a {@link ParseFailure} when the input is damaged, holds no usable sample or
   * is larger than `maxBytes` once decompressed.
   */
  parseDstat(source: AsyncIterable<Uint8Array>, maxBytes?: number): Promise<DstatOutcome>;
  /** How many inputs can be parsed at once. */
  readonly threads: number;
  close(): Promise<void>;
}

export interface PoolOptions {
  /** Worker threads; default: the machine's cores. */
  threads?: number;
  /** A batch is sent when it holds this many results… */
  batchResults?: number;
  /** …or this many attachment bytes. */
  batchBytes?: number;
  /** How much of the end of a traceback its signature is computed from (bytes). */
  signatureBytes?: number;
}

export function createParserPool(options: PoolOptions = {}): ParserPool {
  // Under vitest and tsx the sources are .ts and the worker needs tsx's loader too.
  const ts = import.meta.url.endsWith('.ts');
  const threads = options.threads ?? Math.max(1, availableParallelism());
  const piscina = new Piscina({
    filename: new URL(`../../workers/parse.worker.${ts ? 'ts' : 'js'}`, import.meta.url).href,
    execArgv: ts ? ['--import', import.meta.resolve('tsx')] : [],
    minThreads: 1,
    maxThreads: threads,
    idleTimeout: 30_000,
  });
  const batchResults = options.batchResults ?? 250;
  const batchBytes = options.batchBytes ?? 2 << 20;
  const signatureBytes = options.signatureBytes ?? DEFAULT_SIGNATURE_LIMITS.tracebackBytes;

  async function run<T>(
    make: (port: MessagePort) => ParseTask,
    source: AsyncIterable<Uint8Array>,
    onBatch: (batch: SubunitBatch) => Promise<void>,
  ): Promise<T> {
    const { port1, port2 } = new MessageChannel();
    const iterator = source[Symbol.asyncIterator]();
    let failure: unknown = null;
    const abort = (error: unknown) => {
      failure ??= error;
      port1.postMessage({
        type: 'abort',
        reason: error instanceof Error ? error.message : String(error),
      } satisfies MainMessage);
    };
    port1.on('message', (message: WorkerMessage) => {
      const reply =
        message.type === 'pull'
          ? iterator
              .next()
              .then(({ done, value }): MainMessage =>
                done ? { type: 'end' } : { type: 'chunk', bytes: value },
              )
          : onBatch(message.batch).then((): MainMessage => ({ type: 'ack' }));
      reply.then((m) => failure === null && port1.postMessage(m), abort);
    });
    let parsed = false;
    try {
      const result = (await piscina.run(make(port2), { transferList: [port2] })) as ParseResult<T>;
      if (failure !== null) throw failure;
      if (!result.ok) throw new ParseFailure(result.failure);
      parsed = true;
      return result.outcome;
    } catch (error) {
      throw failure ?? error;
    } finally {
      port1.close();
      if (!parsed) await iterator.return?.();
    }
  }

  return {
    threads,
    parseSubunit: (source, onBatch, maxBytes = Infinity) =>
      run<SubunitOutcome>(
        (port) => ({
          kind: 'subunit',
          port,
          batchResults,
          batchBytes,
          maxBytes,
          signatureBytes,
        }),
        source,
        onBatch,
      ),
    parseDstat: (source, maxBytes = Infinity) =>
      run<DstatOutcome>(
        (port) => ({ kind: 'dstat', port, maxBytes }),
        source,
        () => Promise.reject(new Error('protocol: a dstat parse sends no batches')),
      ),
    close: () => piscina.destroy(),
  };
}
