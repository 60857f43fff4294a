/**
 * Bytes in chunks → lines with their byte offsets, holding at most `maxLength` bytes of a line.
 *
 * Line ends: a line ends at LF and its bytes include it; a CR just before that LF is part of
 * the terminator ({@link contentEnd} leaves both out), whichever chunks the CR and the LF
 * came in. A CR anywhere else is an ordinary byte. A last line with no LF is delivered by
 * `end()`. Offsets count bytes from the start of the stream.
 */
import { Buffer } from 'node:buffer';

const LF = 0x0a;
const CR = 0x0d;

/** Where a {@link LineSplitter} delivers what it splits. */
export interface LineSink {
  /**
   * A line of at most `maxLength` bytes, terminator included, starting at byte `offset`.
   * `bytes` may be a view of the caller's chunk: copy what must outlive the call.
   */
  line(bytes: Buffer, offset: number): void;
  /**
   * A piece of a line longer than `maxLength`, which is passed on as it comes instead of
   * being held: `first` on the piece starting at the line's own offset (it holds over
   * `maxLength` bytes); the last piece ends with the LF, or is the end of the stream.
   */
  overlong(piece: Buffer, offset: number, first: boolean): void;
  /** Bytes that {@link LineSplitter.passBytes} took out of line splitting. */
  bytes?(bytes: Buffer, offset: number): void;
}

/** An incremental line splitter; see the module documentation. */
export class LineSplitter {
  private held: Buffer[] = [];
  private heldLength = 0;
  private lineOffset = 0;
  private received = 0;
  private inOverlong = false;
  private passing = 0;

  constructor(
    private readonly sink: LineSink,
    /** Longest line held whole, terminator included. */
    readonly maxLength: number,
  ) {}

  /** Splits the next chunk; lines may cross chunks anywhere. */
  write(chunk: Uint8Array): void {
    const buf = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const base = this.received;
    this.received += buf.length;
    const n = buf.length;
    let i = 0;
    while (i < n) {
      if (this.passing > 0) {
        const take = Math.min(this.passing, n - i);
        this.passing -= take;
        this.sink.bytes?.(buf.subarray(i, i + take), base + i);
        i += take;
        continue;
      }
      const lf = buf.indexOf(LF, i);
      const end = lf < 0 ? n : lf + 1;
      const piece = buf.subarray(i, end);
      const at = base + i;
      i = end;
      if (this.inOverlong) {
        if (lf >= 0) this.inOverlong = false;
        this.sink.overlong(piece, at, false);
      } else if (this.heldLength === 0) {
        this.lineOffset = at;
        if (piece.length > this.maxLength) this.startOverlong(piece, lf >= 0);
        else if (lf >= 0) this.sink.line(piece, at);
        // The caller may reuse its chunk once write() returns.
        else this.hold(Buffer.from(piece));
      } else if (this.heldLength + piece.length > this.maxLength) {
        this.startOverlong(this.take(piece), lf >= 0);
      } else if (lf >= 0) {
        this.sink.line(this.take(piece), this.lineOffset);
      } else {
        this.hold(Buffer.from(piece));
      }
    }
  }

  /** Delivers a last line that had no LF. */
  end(): void {
    if (this.heldLength > 0) this.sink.line(this.take(Buffer.alloc(0)), this.lineOffset);
  }

  /**
   * Takes the next `length` bytes out of line splitting: they go to `sink.bytes` as they come
   * (a length-prefixed body after a header line). Call it from `sink.line`, at a line's end.
   */
  passBytes(length: number): void {
    this.passing = length;
  }

  private hold(piece: Buffer): void {
    this.held.push(piece);
    this.heldLength += piece.length;
  }

  /** The held bytes followed by `piece`, as one buffer; nothing is held after. */
  private take(piece: Buffer): Buffer {
    this.held.push(piece);
    const whole = Buffer.concat(this.held, this.heldLength + piece.length);
    this.held = [];
    this.heldLength = 0;
    return whole;
  }

  private startOverlong(first: Buffer, ended: boolean): void {
    this.inOverlong = !ended;
    this.sink.overlong(first, this.lineOffset, true);
  }
}

/** Where a line's content ends: before its LF, or its CR LF. */
export function contentEnd(line: Uint8Array): number {
  let end = line.length;
  if (end > 0 && line[end - 1] === LF) {
    end--;
    if (end > 0 && line[end - 1] === CR) end--;
  }
  return end;
}
