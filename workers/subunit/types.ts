/** Status of a v2 packet (low three bits of the flags). */
export type PacketStatus =
  'none' | 'exists' | 'inprogress' | 'success' | 'uxsuccess' | 'skip' | 'fail' | 'xfail';

/** Final status of one test attempt; `incomplete` is an `inprogress` that never ended. */
export type ResultStatus = 'success' | 'fail' | 'skip' | 'xfail' | 'uxsuccess' | 'incomplete';

export const RESULT_STATUSES: readonly ResultStatus[] = [
  'success',
  'fail',
  'skip',
  'xfail',
  'uxsuccess',
  'incomplete',
];

/** A point in time with the stream's full precision. */
export interface Timestamp {
  /** Seconds since the Unix epoch, UTC. */
  seconds: number;
  nanos: number;
}

/**
 * One decoded event: a v2 packet, or the equivalent of a v1 directive.
 * File content is a single chunk; `eof` marks the last chunk of that file.
 */
export interface SubunitEvent {
  testId?: string;
  status: PacketStatus;
  timestamp?: Timestamp;
  tags?: string[];
  mime?: string;
  file?: { name: string; bytes: Uint8Array; eof: boolean };
  routeCode?: string;
  runnable: boolean;
  /**
   * The EOF flag of a v2 packet that carries no file content (legal, meaningless; kept so
   * re-encoding is lossless). With file content the flag is `file.eof` and this is unset.
   */
  eof?: boolean;
}

/** A packet the decoder could not read; parsing resumes after it. */
export interface ParseError {
  /** Byte offset of the packet in the (decompressed) stream. */
  offset: number;
  /** What is wrong, e.g. `Bad checksum - calculated (0x…), stored (0x…)`. */
  message: string;
  /** The raw bytes of the damaged packet (capped). */
  bytes: Uint8Array;
}

export interface Attachment {
  name: string;
  mime: string;
  bytes: Uint8Array;
}

/** One attempt of one test. */
export interface TestResult {
  /** Test id without its trailing `[...]` attribute group. */
  testId: string;
  /** The trailing `[...]` group's content split on `,`, e.g. `['id-1fc6…', 'smoke']`. */
  attrs: string[];
  status: ResultStatus;
  /** Microseconds since the epoch, or null when the stream gave no time. */
  startUs: number | null;
  stopUs: number | null;
  tags: string[];
  /** From a `worker-N` tag; null when there is none. */
  worker: number | null;
  routeCode: string | null;
  attachments: Attachment[];
}
