/**
 * The one entry point the parse worker calls: bytes of a (decompressed) subunit stream in,
 * test results, run-level attachments and parse errors out.
 *
 * The format is decided from the first bytes ({@link sniffFormat}; at most
 * {@link DETECT_LIMIT} are held back for it), then the v1 or v2 decoder feeds a
 * {@link createResultAssembler result assembler}. Gzip must be undone by the caller.
 */
import { Buffer } from 'node:buffer';
import type { StreamDecoder } from './decoder.js';
import { DETECT_LIMIT, detectFormat, sniffFormat } from './detect.js';
import type { AssemblySummary, ResultAssemblerOptions, ResultSink } from './results.js';
import { createResultAssembler } from './results.js';
import type { ParseError, ResultStatus, SubunitEvent } from './types.js';
import { createV1Decoder } from './v1.js';
import { NON_SUBUNIT_NAME, createV2Decoder } from './v2.js';

export interface ParserSink extends ResultSink {
  /** A damaged v2 packet or an unreadable v1 line; parsing goes on after it. */
  parseError(e: ParseError): void;
}

export interface ParseSummary {
  /**
   * The stream's format, or null when the input held no subunit at all: no v2 packet and no
   * v1 directive (report "FILE is not a subunit stream"; `parseErrors` may still be > 0
   * when stray 0xB3 bytes looked like damaged packets).
   */
  format: 'v1' | 'v2' | null;
  /** v2 packets decoded, or v1 directive lines acted on. */
  packets: number;
  parseErrors: number;
  /** Test attempts emitted, `incomplete` ones included. */
  results: number;
  statuses: Record<ResultStatus, number>;
  runAttachments: number;
  /** File bytes dropped by the assembler's caps. */
  droppedBytes: number;
  /** Bytes read. */
  bytes: number;
}

export interface SubunitParser {
  write(chunk: Uint8Array): void;
  /** Flushes everything (open tests become `incomplete`) and sums up. */
  end(): ParseSummary;
}

/**
 * Creates a parser delivering to `sink`. Throws from `write` when the input starts with the
 * gzip magic (the caller decompresses) and when written to after `end`.
 */
export function createSubunitParser(
  sink: ParserSink,
  options?: ResultAssemblerOptions,
): SubunitParser {
  const assembler = createResultAssembler(sink, options);
  let format: 'v1' | 'v2' | undefined;
  let decoder: StreamDecoder | undefined;
  let v1Directives = (): number => 0;
  let v2Packets = 0;
  let parseErrors = 0;
  let bytes = 0;
  let ended = false;
  /** Bytes held until the format is known (grown by doubling). */
  let head = Buffer.alloc(0);
  let headLength = 0;

  const decoderSink = {
    event(event: SubunitEvent): void {
      if (format === 'v2' && !isPassThrough(event)) v2Packets++;
      assembler.event(event);
    },
    error(error: ParseError): void {
      parseErrors++;
      sink.parseError(error);
    },
  };

  const start = (chosen: 'v1' | 'v2' | 'gzip'): void => {
    if (chosen === 'gzip') {
      throw new Error('subunit parser: the input is gzip-compressed; decompress it first');
    }
    format = chosen;
    if (chosen === 'v1') {
      const v1 = createV1Decoder(decoderSink);
      v1Directives = () => v1.directives;
      decoder = v1;
    } else {
      decoder = createV2Decoder(decoderSink);
    }
    const held = head.subarray(0, headLength);
    head = Buffer.alloc(0);
    headLength = 0;
    if (held.length > 0) decoder.write(held);
  };

  return {
    write(chunk: Uint8Array): void {
      if (ended) throw new Error('subunit parser: write() after end()');
      bytes += chunk.length;
      if (decoder !== undefined) {
        decoder.write(chunk);
        return;
      }
      // Copied: the caller may reuse its chunk.
      if (headLength + chunk.length > head.length) {
        const bigger = Buffer.alloc(Math.max(headLength + chunk.length, head.length * 2, 4096));
        head.copy(bigger, 0, 0, headLength);
        head = bigger;
      }
      head.set(chunk, headLength);
      headLength += chunk.length;
      const held = head.subarray(0, headLength);
      const sniffed = headLength >= DETECT_LIMIT ? detectFormat(held) : sniffFormat(held);
      if (sniffed !== undefined) start(sniffed);
    },

    end(): ParseSummary {
      if (!ended) {
        ended = true;
        if (decoder === undefined) start(detectFormat(head.subarray(0, headLength)));
        decoder!.end();
      }
      const assembled: AssemblySummary = assembler.end();
      const packets = format === 'v1' ? v1Directives() : v2Packets;
      return {
        format: packets > 0 ? format! : null,
        packets,
        parseErrors,
        results: assembled.results,
        statuses: assembled.statuses,
        runAttachments: assembled.runAttachments,
        droppedBytes: assembled.droppedBytes,
        bytes,
      };
    },
  };
}

/** Whether a v2 event is non-subunit bytes passed through, not a packet. */
function isPassThrough(event: SubunitEvent): boolean {
  return (
    event.file?.name === NON_SUBUNIT_NAME &&
    !event.file.eof &&
    event.testId === undefined &&
    event.status === 'none' &&
    !event.runnable &&
    event.timestamp === undefined &&
    event.mime === undefined &&
    event.tags === undefined &&
    event.routeCode === undefined
  );
}
