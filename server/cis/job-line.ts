/**
 * One job line of a CI result comment → a {@link ParsedBuild}. The shapes read (formats.md §5):
 *
 * - Zuul v2/v3: `- NAME URL : RESULT[ DETAIL][ in 1h 02m 03s][ (non-voting)]`, the name left out
 *   when `job_name_in_report` is off (`- URL : …`), the URL replaced by the job name when a build
 *   has none (`- NAME NAME : SKIPPED`), or a relative `build/<hex>` link;
 * - third-party copies: `* ` bullets, lower-case results, names with dots;
 * - Jenkins gerrit-trigger: `URL : RESULT[ (skipped)]` with no bullet and no name.
 *
 * A line without a bullet is only a job line when its first word is a URL, so that prose with a
 * ` : ` in it is not read as a build.
 */
import type { ParsedBuild } from './report.js';

const BULLET = /^[-*•]\s+/;
const RESULT = /^([A-Za-z][A-Za-z_]*)(?=\s|$)/;
/** Results also recognised in lower case; any other result must be written in capitals. */
const KNOWN_RESULTS: ReadonlySet<string> = new Set([
  'SUCCESS',
  'FAILURE',
  'ERROR',
  'ABORTED',
  'SKIPPED',
  'RETRY_LIMIT',
  'POST_FAILURE',
  'TIMED_OUT',
  'NODE_FAILURE',
  'MERGER_FAILURE',
  'CONFIG_ERROR',
  'DISK_FULL',
  'LOST',
  'CANCELED',
  'NOT_REGISTERED',
  'UNSTABLE',
  'NOT_BUILT',
]);
const NON_VOTING = /\s*\((?:non-voting|skipped)\)\s*$/i;
const DURATION = /(?:^|\s+)in\s+((?:\d+h\s*)?(?:\d+m\s*)?(?:\d+s)?)\s*$/;
const ABSOLUTE_URL = /^https?:\/\/\S+$/i;
const IMPLICIT_LINK = /^build\/[0-9a-f]+\/?$/i;
/** A build id in a log path (Zuul's uuid[:7], a build uuid): hex, with at least one letter. */
const HEX_ID = /^(?=[0-9]*[a-f])[0-9a-f]{6,}$/i;

/** Parses one line; `null` when it is not a job line. */
export function parseJobLine(line: string): ParsedBuild | null {
  const text = line.trim();
  const bullet = BULLET.exec(text);
  const rest = bullet ? text.slice(bullet[0].length) : text;
  const colon = rest.indexOf(' : ');
  if (colon <= 0) return null;
  const words = rest.slice(0, colon).trim().split(/\s+/);
  if (words.length > 2) return null;
  const outcome = parseOutcome(rest.slice(colon + 3));
  if (!outcome) return null;

  const [first, second] = words as [string, string | undefined];
  let job: string | null;
  let logUrl: string | null;
  if (second !== undefined) {
    job = first;
    logUrl = isLink(second) ? second : null;
  } else if (isLink(first)) {
    logUrl = first;
    job = jobFromUrl(first);
  } else {
    job = first;
    logUrl = null;
  }
  if (!bullet && !(logUrl && ABSOLUTE_URL.test(logUrl) && second === undefined)) return null;
  if (!job) return null;
  return { job, logUrl, ...outcome };
}

function isLink(word: string): boolean {
  return ABSOLUTE_URL.test(word) || IMPLICIT_LINK.test(word);
}

type Outcome = Omit<ParsedBuild, 'job' | 'logUrl'>;

/** `RESULT[ DETAIL][ in …][ (non-voting)]`. */
function parseOutcome(text: string): Outcome | null {
  let rest = text.trim();
  const result = RESULT.exec(rest);
  if (!result) return null;
  const written = result[1]!;
  const upper = written.toUpperCase();
  if (written !== upper && !KNOWN_RESULTS.has(upper)) return null;
  rest = rest.slice(result[0].length);
  let voting = true;
  const nonVoting = NON_VOTING.exec(rest);
  if (nonVoting) {
    voting = false;
    rest = rest.slice(0, nonVoting.index);
  }
  let durationSeconds: number | null = null;
  const duration = DURATION.exec(rest);
  if (duration && duration[1]) {
    durationSeconds = parseDuration(duration[1]);
    rest = rest.slice(0, duration.index);
  }
  const detail = rest.trim();
  return {
    result: upper,
    detail: detail === '' ? null : detail,
    durationSeconds,
    voting,
  };
}

/** `1h 02m 03s` → 3723. */
function parseDuration(text: string): number {
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)([hms])/g)) {
    seconds += Number(amount) * (unit === 'h' ? 3600 : unit === 'm' ? 60 : 1);
  }
  return seconds;
}

/**
 * The job a log URL belongs to: Jenkins' `/job/NAME/NN/` (the innermost `job/` of a folder);
 * Zuul v2's `…/<pipeline>/<job>/<uuid7>/…` (the segment before the first hex id); else the
 * last path segment that is neither a number nor a hex id.
 */
export function jobFromUrl(url: string): string | null {
  let path: string;
  try {
    path = new URL(url, 'http://relative.invalid/').pathname;
  } catch {
    return null;
  }
  const segments = path
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => safeDecode(segment));
  let jenkinsJob: string | null = null;
  for (let i = 0; i + 1 < segments.length; i++) {
    if (segments[i] === 'job') jenkinsJob = segments[i + 1]!;
  }
  if (jenkinsJob) return jenkinsJob;
  for (let i = 1; i < segments.length; i++) {
    if (!HEX_ID.test(segments[i]!)) continue;
    const before = segments[i - 1]!;
    // Zuul v3's build page (`…/build/<uuid>`) names no job.
    if (before === 'build') return null;
    if (!/^\d+$/.test(before) && !HEX_ID.test(before)) return before;
  }
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i]!;
    if (!/^\d+$/.test(segment) && !HEX_ID.test(segment)) return segment;
  }
  return null;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
