import type { ParseError, SubunitEvent } from './types.js';

/** Where a decoder delivers what it reads. */
export interface DecoderSink {
  /**
   * A decoded event. Bytes that are not subunit (interleaved runner output) arrive as an
   * event with no test id, status `none` and a file named `stdout`.
   */
  event(event: SubunitEvent): void;
  /** A damaged packet; decoding goes on after it. */
  error(error: ParseError): void;
}

/** An incremental decoder: feed it chunks of any size, then call `end()`. */
export interface StreamDecoder {
  write(chunk: Uint8Array): void;
  /** Flushes what is pending (a truncated packet becomes a parse error). */
  end(): void;
}
