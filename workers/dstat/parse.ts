import { contentEnd, LineSplitter } from '../lines.js';
import type { DstatSeries } from './types.js';

/**
 * Fallbacks for a file that has no `Date:` line (dstat always writes one; a file without
 * it was cut or edited by hand). They only matter for `dd-mm HH:MM:SS` times; `epoch`
 * columns carry their own absolute time.
 */
export interface DstatParserOptions {
  /** Year of the first sample. Default 1970: the file does not say, and neither do we. */
  year?: number;
  /** Offset of the recording machine's local time from UTC, in minutes. Default 0 (UTC). */
  utcOffsetMinutes?: number;
}

/** An incremental dstat CSV parser; see {@link createDstatParser}. */
export interface DstatParser {
  /** Feeds the next chunk; chunks may split lines, CRLFs and UTF-8 sequences anywhere. */
  write(chunk: Uint8Array | string): void;
  /**
   * Finishes parsing and returns every usable sample, in file order. A last line with no
   * line terminator is taken as cut off and ignored.
   * @throws {DstatParseError} when the input held no usable sample at all.
   */
  end(): DstatSeries;
}

export type DstatParseErrorCode =
  'EMPTY_INPUT' | 'NO_HEADER' | 'NO_TIME_COLUMN' | 'NO_DATA_ROWS' | 'NO_USABLE_SAMPLES';

/** Why a dstat CSV gave nothing usable; `line` (1-based) and `offset` (bytes) locate it. */
export class DstatParseError extends Error {
  override name = 'DstatParseError';
  constructor(
    readonly code: DstatParseErrorCode,
    message: string,
    readonly line: number | null = null,
    readonly offset: number | null = null,
  ) {
    super(message);
  }
}

/** Lines longer than this (terminator included) are skipped unkept: the bound on buffered input. */
const MAX_LINE_BYTES = 1 << 20;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Offsets (minutes east of UTC) of the abbreviations glibc's `%Z` writes for common zones.
 * Two are ambiguous and take the reading listed: IST is India (not Ireland or Israel),
 * CST is US Central (not China). Zones without an abbreviation are written as `+08`,
 * `-03`, `+0545`, which are read as numbers.
 */
const ZONES: ReadonlyMap<string, number> = new Map([
  ['UTC', 0],
  ['UT', 0],
  ['GMT', 0],
  ['Z', 0],
  ['WET', 0],
  ['WEST', 60],
  ['BST', 60],
  ['CET', 60],
  ['CEST', 120],
  ['MET', 60],
  ['MEST', 120],
  ['EET', 120],
  ['EEST', 180],
  ['MSK', 180],
  ['WAT', 60],
  ['CAT', 120],
  ['SAST', 120],
  ['EAT', 180],
  ['IST', 330],
  ['PKT', 300],
  ['WIB', 420],
  ['HKT', 480],
  ['AWST', 480],
  ['JST', 540],
  ['KST', 540],
  ['ACST', 570],
  ['ACDT', 630],
  ['AEST', 600],
  ['AEDT', 660],
  ['NZST', 720],
  ['NZDT', 780],
  ['HST', -600],
  ['AKST', -540],
  ['AKDT', -480],
  ['PST', -480],
  ['PDT', -420],
  ['MST', -420],
  ['MDT', -360],
  ['CST', -360],
  ['CDT', -300],
  ['EST', -300],
  ['EDT', -240],
  ['AST', -240],
  ['ADT', -180],
  ['NST', -210],
  ['NDT', -150],
]);

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** What Python's `'%.3f'` makes of NaN and infinities: values (null), never header cells. */
const NOT_A_NUMBER = /^[+-]?(?:nan|inf(?:inity)?)$/i;
/** dstat's default `time` format, `%d-%m %H:%M:%S`, with `.mmm` under `--debug`. */
const DAY_MONTH_TIME = /^(\d{1,2})-(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/;
/** A `DSTAT_TIMEFMT` that includes the year, e.g. `%Y-%m-%d %H:%M:%S`. */
const ISO_TIME = /^(\d{4})-(\d{1,2})-(\d{1,2})[T\s](\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/;
/** The `Date:` value, `%d %b %Y %H:%M:%S %Z`. */
const DATE_LINE =
  /^(\d{1,2})\s+([A-Za-z]{3})[A-Za-z]*\s+(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})(?:\s+(\S+))?$/;
const NUMERIC_ZONE = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i;
const BANNER = /^(.*\S)\s+CSV output$/i;
const PREAMBLE_KEY = /^[A-Za-z]+:$/;

interface Field {
  text: string;
  quoted: boolean;
}

/** Where a column's values come from within one header block. */
interface BlockColumn {
  index: number;
  values: (number | null)[];
}

interface Block {
  line: number;
  offset: number;
  /** Fields a data row must have; shorter rows were cut off. */
  width: number;
  epochIndex: number;
  timeIndex: number;
  columns: BlockColumn[];
}

/** Year, last month seen and zone of the local `dd-mm` times being read. */
interface Clock {
  year: number;
  month: number;
  offsetMinutes: number;
}

interface Problem {
  message: string;
  line: number;
  offset: number;
}

interface HeaderLine {
  fields: Field[];
  line: number;
  offset: number;
}

/**
 * Splits one line into CSV fields. A field is quoted only when it starts with `"`; inside
 * it `""` is a quote and a `"` not followed by `,` is kept literally, so an unbalanced
 * quote runs to the end of its line and never further.
 */
function splitCsvLine(line: string): Field[] {
  if (!line.includes('"')) return line.split(',').map((text) => ({ text, quoted: false }));
  const fields: Field[] = [];
  let i = 0;
  for (;;) {
    if (line.charCodeAt(i) === 0x22) {
      let text = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q === -1) {
          text += line.slice(j);
          j = line.length;
          break;
        }
        text += line.slice(j, q);
        const next = line.charCodeAt(q + 1);
        if (next === 0x22) {
          text += '"';
          j = q + 2;
        } else if (q + 1 >= line.length || next === 0x2c) {
          j = q + 1;
          break;
        } else {
          text += '"';
          j = q + 1;
        }
      }
      fields.push({ text, quoted: true });
      i = j;
    } else {
      const comma = line.indexOf(',', i);
      const stop = comma === -1 ? line.length : comma;
      fields.push({ text: line.slice(i, stop), quoted: false });
      i = stop;
    }
    if (i >= line.length) return fields;
    i++; // the comma
    if (i === line.length) {
      fields.push({ text: '', quoted: false });
      return fields;
    }
  }
}

/** Number of fields up to the last non-blank one. */
function usedWidth(fields: readonly Field[]): number {
  let n = fields.length;
  while (n > 0 && fields[n - 1]!.text.trim() === '') n--;
  return n;
}

function parseValue(field: Field | undefined): number | null {
  if (field === undefined) return null;
  const text = field.text.trim();
  if (!NUMBER.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/**
 * Header cells are quoted by dstat and data cells are not. Unquoted (a file re-saved by
 * other tools), a header cell must start with a letter, as the first one always does.
 */
function isHeaderCell(field: Field | undefined): boolean {
  if (field === undefined) return false;
  const text = field.text.trim();
  if (text === '') return false;
  if (field.quoted) return true;
  return /^[A-Za-z]/.test(text) && !NOT_A_NUMBER.test(text);
}

function columnKey(group: string, column: string): string {
  const raw = group === '' ? column : `${group}_${column}`;
  return raw.toLowerCase().replace(/[ /]/g, '_');
}

/** Parses a `%Z` value into minutes east of UTC; null when unknown. */
function parseZone(zone: string): number | null {
  const known = ZONES.get(zone.toUpperCase());
  if (known !== undefined) return known;
  const m = NUMERIC_ZONE.exec(zone);
  if (m === null) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

/** Epoch ms of a wall-clock time, or null when the fields do not name a real instant. */
function wallClock(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millis: number,
  offsetMinutes: number,
): number | null {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, millis));
  date.setUTCFullYear(year);
  if (date.getUTCDate() !== day) return null; // 31-04, or 29-02 of a common year
  return date.getTime() - offsetMinutes * 60_000;
}

function millisOf(fraction: string | undefined): number {
  return fraction === undefined ? 0 : Number(fraction.padEnd(3, '0'));
}

/**
 * Creates a streaming parser for dstat's `--output` CSV (dstat 0.7.x, 0.8.0, pcp-dstat).
 *
 * Header rows are recognised by content, wherever they are: each `"Host:"`…`"Date:"`
 * preamble and group/column header pair starts a new block, so files appended to by
 * several runs parse as one series whose columns are the union (null where a block lacks
 * a column). Keys are `group_column` lowercased with spaces and `/` as `_`; 0.8.0's
 * `name:nick` column cells (several devices of one plugin) use `name` as the group.
 * A column name repeated within one block gets `_2`, `_3`, ….
 *
 * Time comes from an `epoch` column when there is one (float seconds), else from the
 * `time` column (`dd-mm HH:MM:SS`, local time) read in the year and zone of the block's
 * `Date:` line, the year moving on whenever the month goes backwards (31 Dec → 1 Jan).
 * A zone abbreviation is read as one fixed offset for the whole block (a DST change
 * during a run is not followed); an unknown abbreviation is read as UTC. Rows whose time
 * cannot be read, and rows with fewer fields than their header, are skipped. Values that
 * are empty or not numbers are null. Producer, host and cmdline are the first ones seen.
 */
export function createDstatParser(options: DstatParserOptions = {}): DstatParser {
  const decoder = new TextDecoder('utf-8');
  const encoder = new TextEncoder();

  let producer: string | null = null;
  let host: string | null = null;
  let cmdline: string | null = null;
  const times: number[] = [];
  const columns = new Map<string, (number | null)[]>();

  const clock: Clock = {
    year: options.year ?? 1970,
    month: 1,
    offsetMinutes: options.utcOffsetMinutes ?? 0,
  };
  let block: Block | null = null;
  let headerLines: HeaderLine[] = [];
  /** The first header block with a time column; its line names a file with no rows. */
  let firstTimedBlock: Block | null = null;
  /** The first header pair without a time column, while no timed one is found. */
  let untimedHeader: { from: number; to: number; offset: number } | null = null;
  /** The first row that was skipped, and why. */
  let rowProblem: Problem | null = null;
  let sawNonBlank = false;

  let highSurrogate = '';
  let lineNo = 0;
  /** The last line, when it has no line terminator. */
  let cutOff: { blank: boolean; offset: number } | null = null;
  let result: { series: DstatSeries } | { error: DstatParseError } | null = null;

  function skipRow(message: string, line: number, offset: number): void {
    rowProblem ??= { message, line, offset };
  }

  function columnValues(key: string): (number | null)[] {
    let values = columns.get(key);
    if (values === undefined) {
      values = new Array<number | null>(times.length).fill(null);
      columns.set(key, values);
    }
    return values;
  }

  function startBlock(group: HeaderLine, column: HeaderLine): void {
    const width = usedWidth(column.fields);
    const next: Block = {
      line: column.line,
      offset: column.offset,
      width,
      epochIndex: -1,
      timeIndex: -1,
      columns: [],
    };
    const seen = new Set<string>();
    let groupName = '';
    for (let i = 0; i < width; i++) {
      const groupCell = group.fields[i]?.text.trim() ?? '';
      if (groupCell !== '') groupName = groupCell;
      const cell = column.fields[i]!.text.trim();
      if (cell === '') continue;
      const colon = cell.indexOf(':');
      const [g, c] = colon > 0 ? [cell.slice(0, colon), cell.slice(colon + 1)] : [groupName, cell];
      const nick = c.toLowerCase();
      if (nick === 'epoch' && next.epochIndex < 0) {
        next.epochIndex = i;
        continue;
      }
      if (nick === 'time' && next.timeIndex < 0) {
        next.timeIndex = i;
        continue;
      }
      const base = columnKey(g, c);
      let key = base;
      for (let n = 2; seen.has(key); n++) key = `${base}_${n}`;
      seen.add(key);
      next.columns.push({ index: i, values: columnValues(key) });
    }
    if (next.epochIndex < 0 && next.timeIndex < 0) {
      untimedHeader ??= { from: group.line, to: column.line, offset: group.offset };
    } else {
      firstTimedBlock ??= next;
    }
    block = next;
  }

  /** Header rows are held until a different kind of line shows the pair is complete. */
  function settleHeader(): void {
    const [group, column] = headerLines;
    if (group !== undefined && column !== undefined) startBlock(group, column);
    headerLines = [];
  }

  function readDate(value: string): void {
    const m = DATE_LINE.exec(value.trim());
    const month = m === null ? -1 : MONTHS.indexOf(m[2]!.slice(0, 3).toLowerCase()) + 1;
    // An unreadable Date: leaves the year and zone as they were (see DstatParserOptions).
    if (m === null || month === 0) return;
    clock.year = Number(m[3]);
    clock.month = month;
    clock.offsetMinutes = parseZone(m[7] ?? 'UTC') ?? 0;
  }

  function readPreamble(fields: Field[]): void {
    for (let i = 0; i + 1 < fields.length; i++) {
      const key = fields[i]!.text.trim();
      if (!key.endsWith(':')) continue;
      const value = fields[i + 1]!.text.trim();
      if (key === 'Host:') host ??= value === '' ? null : value;
      else if (key === 'Cmdline:') cmdline ??= value === '' ? null : value;
      else if (key === 'Date:') readDate(value);
    }
  }

  function sampleTime(
    current: Block,
    fields: Field[],
    line: number,
    offset: number,
  ): number | null {
    if (current.epochIndex >= 0) {
      const seconds = parseValue(fields[current.epochIndex]);
      if (seconds !== null) return Math.round(seconds * 1000);
    }
    const text = fields[current.timeIndex]?.text.trim() ?? '';
    let m = DAY_MONTH_TIME.exec(text);
    if (m !== null) {
      const month = Number(m[2]);
      const year = month < clock.month ? clock.year + 1 : clock.year;
      const ms = wallClock(
        year,
        month,
        Number(m[1]),
        Number(m[3]),
        Number(m[4]),
        Number(m[5]),
        millisOf(m[6]),
        clock.offsetMinutes,
      );
      if (ms !== null) {
        clock.year = year;
        clock.month = month;
        return ms;
      }
    } else if ((m = ISO_TIME.exec(text)) !== null) {
      const ms = wallClock(
        Number(m[1]),
        Number(m[2]),
        Number(m[3]),
        Number(m[4]),
        Number(m[5]),
        Number(m[6]),
        millisOf(m[7]),
        clock.offsetMinutes,
      );
      if (ms !== null) {
        clock.year = Number(m[1]);
        clock.month = Number(m[2]);
        return ms;
      }
    }
    skipRow(
      current.timeIndex < 0
        ? `line ${line} has no epoch value`
        : `time "${text}" at line ${line} is not dd-mm HH:MM:SS`,
      line,
      offset,
    );
    return null;
  }

  function readRow(fields: Field[], line: number, offset: number): void {
    const current = block;
    if (current === null || (current.epochIndex < 0 && current.timeIndex < 0)) return;
    if (fields.length < current.width) {
      skipRow(
        `line ${line} has ${fields.length} fields where its header has ${current.width}`,
        line,
        offset,
      );
      return;
    }
    const time = sampleTime(current, fields, line, offset);
    if (time === null) return;
    times.push(time);
    for (const column of current.columns) column.values.push(parseValue(fields[column.index]));
    for (const values of columns.values()) if (values.length < times.length) values.push(null);
  }

  function onLine(text: string, line: number, offset: number): void {
    const fields = splitCsvLine(text);
    const width = usedWidth(fields);
    if (width === 0) {
      settleHeader();
      return;
    }
    sawNonBlank = true;
    const first = fields[0]!;
    const banner = width === 1 ? BANNER.exec(first.text.trim()) : null;
    if (banner !== null) {
      settleHeader();
      producer ??= banner[1]!;
      return;
    }
    if (PREAMBLE_KEY.test(first.text.trim())) {
      settleHeader();
      readPreamble(fields);
      return;
    }
    if (isHeaderCell(first)) {
      headerLines.push({ fields, line, offset });
      if (headerLines.length > 2) headerLines.shift();
      return;
    }
    settleHeader();
    readRow(fields, line, offset);
  }

  const splitter = new LineSplitter(
    {
      line(bytes, offset) {
        // Only end() gives a line without its LF.
        if (bytes[bytes.length - 1] !== 0x0a) {
          cutOff = { blank: isBlank(bytes), offset };
          return;
        }
        onLine(decoder.decode(bytes.subarray(0, contentEnd(bytes))), ++lineNo, offset);
      },
      overlong(_piece, offset, first) {
        if (first) {
          const line = ++lineNo;
          sawNonBlank = true;
          skipRow(`line ${line} is longer than ${MAX_LINE_BYTES} bytes`, line, offset);
        }
      },
    },
    MAX_LINE_BYTES,
  );

  function write(chunk: Uint8Array | string): void {
    if (result !== null) return;
    if (typeof chunk === 'string') {
      let text = highSurrogate + chunk;
      highSurrogate = '';
      const last = text.charCodeAt(text.length - 1);
      // A surrogate pair split between two string chunks is joined before encoding.
      if (last >= 0xd800 && last <= 0xdbff) {
        highSurrogate = text.slice(-1);
        text = text.slice(0, -1);
      }
      splitter.write(encoder.encode(text));
    } else {
      splitter.write(chunk);
    }
  }

  function finish(): { series: DstatSeries } | { error: DstatParseError } {
    if (highSurrogate !== '') splitter.write(encoder.encode(highSurrogate));
    splitter.end();
    settleHeader();
    if (times.length > 0) {
      return {
        series: { producer, host, cmdline, times, columns: Object.fromEntries(columns) },
      };
    }
    const lines = lineNo + (cutOff === null ? 0 : 1);
    if (!sawNonBlank && (cutOff === null || cutOff.blank)) {
      return { error: new DstatParseError('EMPTY_INPUT', 'empty input: no dstat CSV lines') };
    }
    if (firstTimedBlock === null && untimedHeader !== null) {
      const { from, to, offset } = untimedHeader;
      return {
        error: new DstatParseError(
          'NO_TIME_COLUMN',
          `no dstat header row found with a "time" or "epoch" column: lines ${from}-${to} ` +
            'look like a header without either (record with dstat -t or -T)',
          from,
          offset,
        ),
      };
    }
    if (firstTimedBlock === null) {
      return {
        error: new DstatParseError(
          'NO_HEADER',
          `no dstat header row found in ${lines} line${lines === 1 ? '' : 's'}`,
        ),
      };
    }
    if (cutOff !== null && block !== null) {
      skipRow(`line ${lines} has no line terminator (cut off)`, lines, cutOff.offset);
    }
    const problem = rowProblem ?? {
      message: `dstat header at line ${firstTimedBlock.line} is followed by no data rows`,
      line: firstTimedBlock.line,
      offset: firstTimedBlock.offset,
    };
    return {
      error: new DstatParseError(
        rowProblem === null ? 'NO_DATA_ROWS' : 'NO_USABLE_SAMPLES',
        `no usable dstat samples: ${problem.message}`,
        problem.line,
        problem.offset,
      ),
    };
  }

  return {
    write,
    end(): DstatSeries {
      result ??= finish();
      if ('error' in result) throw result.error;
      return result.series;
    },
  };
}

function isBlank(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0x20 || b === 0x09 || b === 0x0d);
}
