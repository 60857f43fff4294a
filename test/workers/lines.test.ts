/** The line splitter: lines with their offsets whatever the chunking, a bound on what is held. */
import { describe, expect, it } from 'vitest';
import { contentEnd, LineSplitter } from '../../workers/lines.js';

type Delivered =
  | { line: string; offset: number }
  | { overlong: string; offset: number; first: boolean }
  | { bytes: string; offset: number };

/** Everything a splitter delivers for `chunks`, copied as it comes. */
function split(
  chunks: string[],
  maxLength = 1024,
  onLine?: (s: LineSplitter, line: string) => void,
) {
  const out: Delivered[] = [];
  const splitter: LineSplitter = new LineSplitter(
    {
      line(bytes, offset) {
        out.push({ line: bytes.toString('latin1'), offset });
        onLine?.(splitter, bytes.toString('latin1'));
      },
      overlong: (piece, offset, first) =>
        out.push({ overlong: piece.toString('latin1'), offset, first }),
      bytes: (bytes, offset) => out.push({ bytes: bytes.toString('latin1'), offset }),
    },
    maxLength,
  );
  for (const chunk of chunks) splitter.write(Buffer.from(chunk, 'latin1'));
  splitter.end();
  return out;
}

/** `text` cut into chunks of `size` bytes. */
const cut = (text: string, size: number) =>
  Array.from({ length: Math.ceil(text.length / size) }, (_, i) =>
    text.slice(i * size, (i + 1) * size),
  );

describe('LineSplitter', () => {
  it('gives each line with its terminator and offset, the same for every chunking', () => {
    const text = 'one\ntwo\r\n\nthree\r\nlast';
    const expected = [
      { line: 'one\n', offset: 0 },
      { line: 'two\r\n', offset: 4 },
      { line: '\n', offset: 9 },
      { line: 'three\r\n', offset: 10 },
      { line: 'last', offset: 17 },
    ];
    for (let size = 1; size <= text.length; size++) {
      expect(split(cut(text, size)), `chunks of ${size}`).toEqual(expected);
    }
  });

  it('keeps a CR LF split between chunks as one terminator', () => {
    const lines = split(['alpha\r', '\nbeta\r', '\n']);
    expect(lines).toEqual([
      { line: 'alpha\r\n', offset: 0 },
      { line: 'beta\r\n', offset: 7 },
    ]);
    expect(
      lines.map((l) => ('line' in l ? l.line.slice(0, contentEnd(Buffer.from(l.line))) : '')),
    ).toEqual(['alpha', 'beta']);
  });

  it('treats a CR that is not before an LF as an ordinary byte', () => {
    expect(split(['a\rb\n', 'c\r'])).toEqual([
      { line: 'a\rb\n', offset: 0 },
      { line: 'c\r', offset: 4 },
    ]);
    expect(contentEnd(Buffer.from('a\rb\n'))).toBe(3);
    expect(contentEnd(Buffer.from('c\r'))).toBe(2);
    expect(contentEnd(Buffer.from('\r\n'))).toBe(0);
  });

  it('joins a line spread over many chunks', () => {
    const long = 'x'.repeat(1000);
    expect(split(['head\n', ...cut(`${long}\n`, 7), 'tail\n'])).toEqual([
      { line: 'head\n', offset: 0 },
      { line: `${long}\n`, offset: 5 },
      { line: 'tail\n', offset: 1006 },
    ]);
  });

  it('delivers a last line without a terminator at end(), and nothing for an empty stream', () => {
    expect(split(['no newline'])).toEqual([{ line: 'no newline', offset: 0 }]);
    expect(split(['done\n'])).toEqual([{ line: 'done\n', offset: 0 }]);
    expect(split([])).toEqual([]);
  });

  it('passes an over-long line on in pieces as they come, the first at the line offset', () => {
    // Max 8: `12345678` fits with no terminator, `1234567\n` with one.
    const out = split(['ok\n1234', '56789', 'abc', 'def\nafter\n', '1234567\n'], 8);
    expect(out).toEqual([
      { line: 'ok\n', offset: 0 },
      { overlong: '123456789', offset: 3, first: true },
      { overlong: 'abc', offset: 12, first: false },
      { overlong: 'def\n', offset: 15, first: false },
      { line: 'after\n', offset: 19 },
      { line: '1234567\n', offset: 25 },
    ]);
  });

  it('reports a whole over-long line within one chunk as one first piece', () => {
    expect(split(['123456789\nnext\n'], 8)).toEqual([
      { overlong: '123456789\n', offset: 0, first: true },
      { line: 'next\n', offset: 10 },
    ]);
  });

  it('reports an over-long last line with no terminator as pieces', () => {
    expect(split(['12345', '6789', 'xy'], 8)).toEqual([
      { overlong: '123456789', offset: 0, first: true },
      { overlong: 'xy', offset: 9, first: false },
    ]);
  });

  it('takes bytes out of line splitting on request, across chunks, then splits again', () => {
    const passing = (s: LineSplitter, line: string) => {
      const length = /^len (\d+)\n$/.exec(line);
      if (length) s.passBytes(Number(length[1]));
    };
    const text = 'len 6\nab\ncd\nafter\n';
    const expected = [
      { line: 'len 6\n', offset: 0 },
      { bytes: 'ab\ncd\n', offset: 6 },
      { line: 'after\n', offset: 12 },
    ];
    expect(split([text], 1024, passing)).toEqual(expected);
    const pieces = split(cut(text, 4), 1024, passing);
    const passed = pieces.filter((d) => 'bytes' in d);
    expect(passed.map((d) => d.bytes).join('')).toBe('ab\ncd\n');
    expect(passed[0]!.offset).toBe(6);
    expect(pieces.filter((d) => !('bytes' in d))).toEqual([expected[0], expected[2]]);
  });
});
