/**
 * What a pasted text is: a change (a number, `change,patchset`, `change/patchset`, a Gerrit
 * change URL in any of its forms) or a job's log URL. Pure: the configured Gerrit servers are
 * passed in, so that a URL of theirs is read as theirs.
 */
import { GatewatchError } from '../errors.js';
import { readLogLayout } from './log-layout.js';

/** What a pasted text is. */
export type ScrapeInput =
  | {
      readonly kind: 'change';
      readonly change: number;
      readonly patchSet: number | null;
      /** The Gerrit URL's origin when a URL was pasted (chooses the configured server). */
      readonly origin: string | null;
    }
  | {
      readonly kind: 'log-url';
      /** The job's log directory, normalised to end with `/`. */
      readonly url: string;
      /** What the Zuul v2/v3 or periodic layout says, where it says it. */
      readonly change: number | null;
      readonly patchSet: number | null;
      readonly pipeline: string | null;
      readonly job: string | null;
      readonly project: string | null;
    };

/** The longest input read, characters. */
export const MAX_INPUT_LENGTH = 2048;

/** The forms understood, for refusals. */
export const UNDERSTOOD_FORMS =
  'a change number (271726), change,patchset (271726,3 or 271726/3), a Gerrit change URL ' +
  '(https://HOST/c/271726/3, https://HOST/#/c/271726/, https://HOST/c/PROJECT/+/271726/3, ' +
  "https://HOST/271726) or a job's log URL (https://HOST/…/CHANGE/PATCHSET/PIPELINE/JOB/BUILD/)";

const CHANGE = /^(\d+)(?:\s*[,/]\s*(\d+))?$/;
/** Gerrit's change paths, after its base path: `/c/N[/P]`, `/c/PROJECT/+/N[/P][/…]`, `/N[/P]`. */
const CHANGE_PATHS = [
  /^\/c\/(\d+)(?:\/(\d+))?\/?$/,
  /^\/c\/.+?\/\+\/(\d+)(?:\/(\d+))?(?:\/.*)?$/,
  /^\/(\d+)(?:\/(\d+))?\/?$/,
] as const;
/** `…/c/N`, `…/c/PROJECT/+/N` under any base path (Gerrit served under `/r/`, `/gerrit/`). */
const PREFIXED_CHANGE_PATHS = [
  /\/c\/(\d+)(?:\/(\d+))?\/?$/,
  /\/c\/[^+]+?\/\+\/(\d+)(?:\/(\d+))?(?:\/.*)?$/,
] as const;

/**
 * Parses a pasted text. `gerritUrls` are the configured Gerrits' base URLs: a URL on one of
 * their hosts must name a change. Anything else is refused (BAD_ARGUMENT) with the forms
 * understood.
 */
export function parseInput(text: string, gerritUrls: readonly string[] = []): ScrapeInput {
  const input = text.trim();
  if (input.length > MAX_INPUT_LENGTH) {
    throw refuse(`the input is longer than ${MAX_INPUT_LENGTH.toLocaleString('en')} characters`);
  }
  if (input === '') throw refuse('the input is empty');
  const number = CHANGE.exec(input);
  if (number) return change(number[1]!, number[2], null, input);
  if (!/^[a-z][a-z0-9+.-]*:/i.test(input)) throw refuse(`${JSON.stringify(input)} is not one`);
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw refuse(`${JSON.stringify(input)} is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw refuse(`${url.protocol} URLs are not read (http and https only)`);
  }
  const gerrit = gerritUrls.map((base) => new URL(base)).find((base) => base.host === url.host);
  const found = changeOfUrl(url, gerrit);
  if (found) return change(found[0], found[1], url.origin, input);
  if (gerrit)
    throw refuse(`${url.href} is a URL of the Gerrit at ${gerrit.origin} naming no change`);
  const layout = readLogLayout(url);
  return { kind: 'log-url', ...layout };
}

/** The change and patch set a Gerrit URL names, in its path or in its `#/c/…` fragment. */
function changeOfUrl(url: URL, gerrit: URL | undefined): [string, string | undefined] | null {
  const paths: string[] = [];
  if (url.hash.startsWith('#/')) paths.push(url.hash.slice(1));
  const base = gerrit?.pathname.replace(/\/+$/, '') ?? '';
  if (base !== '' && url.pathname.startsWith(`${base}/`)) {
    paths.push(url.pathname.slice(base.length));
  }
  paths.push(url.pathname);
  for (const path of paths) {
    for (const pattern of CHANGE_PATHS) {
      const match = pattern.exec(path);
      if (match) return [match[1]!, match[2]];
    }
  }
  for (const pattern of PREFIXED_CHANGE_PATHS) {
    const match = pattern.exec(url.pathname);
    if (match) return [match[1]!, match[2]];
  }
  return null;
}

function change(
  number: string,
  patchSet: string | undefined,
  origin: string | null,
  input: string,
): ScrapeInput {
  const changeNumber = bounded(number, input);
  return {
    kind: 'change',
    change: changeNumber,
    patchSet: patchSet === undefined ? null : bounded(patchSet, input),
    origin,
  };
}

/** A change or patch set number: 1 … 2^31 − 1 (what the database holds). */
function bounded(digits: string, input: string): number {
  const value = Number(digits);
  if (!Number.isSafeInteger(value) || value < 1 || value > 2 ** 31 - 1) {
    throw refuse(`${digits} in ${JSON.stringify(input)} is not a change or patch set number`);
  }
  return value;
}

function refuse(why: string): GatewatchError {
  return new GatewatchError('BAD_ARGUMENT', `${why}: expected ${UNDERSTOOD_FORMS}`);
}
