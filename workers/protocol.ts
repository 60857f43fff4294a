/**
 * Messages between the main thread and a parse worker over the task's MessagePort.
 * The worker pulls input one chunk at a time and waits for each batch of results to be
 * acknowledged (one batch in flight), so memory stays bounded whatever the input size.
 */
import type { MessagePort } from 'node:worker_threads';
import type { DstatSeries } from './dstat/types.js';
import type { FailureSignature } from './signatures/normalise.js';
import type { Attachment, ParseError, TestResult } from './subunit/types.js';

/**
 * `maxBytes`: decompressed bytes past which the parse stops with a TOO_LARGE failure;
 * `signatureBytes`: how much of the end of a traceback its signature is computed from.
 */
export type ParseTask =
  | {
      kind: 'subunit';
      port: MessagePort;
      batchResults: number;
      batchBytes: number;
      maxBytes: number;
      signatureBytes: number;
    }
  | { kind: 'dstat'; port: MessagePort; maxBytes: number };

/** Worker → main. */
export type WorkerMessage = { type: 'pull' } | { type: 'batch'; batch: SubunitBatch };

/** Main → worker. */
export type MainMessage =
  | { type: 'chunk'; bytes: Uint8Array }
  | { type: 'end' }
  | { type: 'ack' }
  | { type: 'abort'; reason: string };

/** Part of a stream's output, in stream order. */
export interface SubunitBatch {
  results: TestResult[];
  runAttachments: Attachment[];
  parseErrors: ParseError[];
  /** The signatures of the results with a traceback; `result` is the index in `results`. */
  signatures: (FailureSignature & { result: number })[];
  /** Next bytes of the gzip-compressed original stream. */
  artifact: Uint8Array[];
}

/**
 * Why a parse ended early because of its input, as the worker saw it. The codes are those of
 * the error catalogue (`server/errors.ts`) that an input can cause.
 */
export interface WorkerFailure {
  code: 'CORRUPT_INPUT' | 'NOT_DSTAT' | 'TOO_LARGE';
  /** What is wrong, without the input's name (the worker does not know it). */
  message: string;
  /** Byte offset in the raw or decompressed input where the problem was seen, when known. */
  offset?: number;
}

/** What a parse task resolves with: its outcome, or the failure that ended it. */
export type ParseResult<T> = { ok: true; outcome: T } | { ok: false; failure: WorkerFailure };

export interface SubunitOutcome {
  /** Null when the input held no subunit at all. */
  format: 'v1' | 'v2' | null;
  packets: number;
  parseErrors: number;
  /** Size and sha256 of the decompressed stream. */
  size: number;
  sha256: string;
  /** Whether the input was gzip (then the artifact is the input itself). */
  gzip: boolean;
}

export interface DstatOutcome {
  series: DstatSeries;
  size: number;
  sha256: string;
  artifact: Uint8Array[];
}
