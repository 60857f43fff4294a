/**
 * What a job's log URL says of the job, read from the log server's directory layout
 * (formats.md §6):
 *
 * - a change (Zuul v2 and v3): `…/<shard>/<change>/<patchset>/<pipeline>/<job>/<build>/`, the
 *   shard being the change's last 2 (v2) or 3 (v3) digits, or a storage container's name;
 * - a ref update: `…/<shard>/<newrev>/<pipeline>/<job>/<build>/`;
 * - a periodic job: Zuul v2 `…/<pipeline>/<job>/<build>/`; Zuul v3
 *   `…/<pipeline>/<host>/<org>/<repo>/<branch…>/<job>/<build>/` (the project is `org/repo`).
 *
 * `<build>` is a hex id (Zuul's uuid[:7], a whole uuid). The directory returned ends after it.
 */

export interface LogLayout {
  /** The job's log directory, ending in `/`. */
  readonly url: string;
  readonly change: number | null;
  readonly patchSet: number | null;
  readonly pipeline: string | null;
  readonly job: string | null;
  readonly project: string | null;
}

/** A build id: hex, 6 characters or more, with at least one letter (a number is not one). */
const BUILD_ID = /^(?=[0-9]*[a-f])[0-9a-f]{6,}$/i;
const NUMBER = /^[1-9]\d{0,9}$/;
const SHA = /^[0-9a-f]{40}$/i;

/** Reads the layout of a log URL (http(s), already parsed); unknown layouts name no job. */
export function readLogLayout(url: URL): LogLayout {
  const segments = url.pathname.split('/').filter((segment) => segment !== '');
  const decoded = segments.map(safeDecode);
  const directory = (end: number) => {
    const base = new URL(url);
    base.search = '';
    base.hash = '';
    base.pathname = `/${segments.slice(0, end).join('/')}${end > 0 ? '/' : ''}`;
    return base.href;
  };
  const none = { change: null, patchSet: null, pipeline: null, job: null, project: null };

  // A change: <change>/<patchset>/<pipeline>/<job>/<build>.
  for (let i = 0; i + 4 < decoded.length; i++) {
    const [change, patchSet, pipeline, job, build] = decoded.slice(i, i + 5) as string[];
    if (NUMBER.test(change!) && NUMBER.test(patchSet!) && BUILD_ID.test(build!)) {
      if (!isName(pipeline!) || !isName(job!)) continue;
      return {
        url: directory(i + 5),
        ...none,
        change: Number(change),
        patchSet: Number(patchSet),
        pipeline: pipeline!,
        job: job!,
      };
    }
  }
  // A ref update: <newrev>/<pipeline>/<job>/<build>.
  for (let i = 0; i + 3 < decoded.length; i++) {
    const [rev, pipeline, job, build] = decoded.slice(i, i + 4) as string[];
    if (SHA.test(rev!) && BUILD_ID.test(build!) && isName(pipeline!) && isName(job!)) {
      return { url: directory(i + 4), ...none, pipeline: pipeline!, job: job! };
    }
  }
  // Periodic: the job is before the last build id. Zuul v3 names the project by its canonical
  // name (a host, then org/repo) after the pipeline; Zuul v2 puts the pipeline before the job.
  const build = lastIndex(decoded, (segment) => BUILD_ID.test(segment));
  if (build >= 2) {
    const job = decoded[build - 1]!;
    const host = decoded.findIndex((segment, i) => i >= 1 && i + 3 < build && isHost(segment));
    const pipeline = host >= 1 ? decoded[host - 1]! : decoded[build - 2]!;
    const project = host >= 1 ? `${decoded[host + 1]!}/${decoded[host + 2]!}` : null;
    if (isName(pipeline) && isName(job)) {
      return { url: directory(build + 1), ...none, pipeline, job, project };
    }
  }
  return { url: directory(segments.length), ...none };
}

function isName(segment: string): boolean {
  return !NUMBER.test(segment) && !BUILD_ID.test(segment) && !segment.includes('.html');
}

/** `opendev.org`, `review.example.com`: a dotted name that is not a file. */
function isHost(segment: string): boolean {
  return /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/i.test(segment) && !/\.(?:html?|txt|gz)$/i.test(segment);
}

function lastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i]!)) return i;
  return -1;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
