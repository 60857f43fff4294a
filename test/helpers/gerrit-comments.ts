/**
 * The comments a generated Gerrit history's CI accounts write, in each style the parser reads
 * (formats.md §5), for `gerrit-history.ts`.
 */

/** How a CI account writes its results. */
export type CommentStyle = 'zuul-v3' | 'zuul-v2' | 'jenkins' | 'third-party';

/** One job's outcome in a generated report. */
export interface GeneratedBuild {
  readonly job: string;
  readonly result: string;
  readonly seconds: number;
  readonly voting: boolean;
  /** Zuul's build id, hex (the log path's last part). */
  readonly uuid: string;
  /** Jenkins' build number. */
  readonly number: number;
}

export interface ReportText {
  readonly style: CommentStyle;
  /** Shown in third-party headers (`Acme CI Build succeeded`). */
  readonly ciName: string;
  readonly pipeline: string;
  readonly change: number;
  readonly patchSet: number;
  readonly success: boolean;
  readonly builds: readonly GeneratedBuild[];
}

/** `1h 02m 03s`, `4m 01s`, `9s`, as Zuul writes them. */
export function zuulDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const two = (n: number): string => String(n).padStart(2, '0');
  if (h > 0) return `${h}h ${two(m)}m ${two(s)}s`;
  if (m > 0) return `${m}m ${two(s)}s`;
  return `${s}s`;
}

/** Where a build's logs are: Zuul's `<change[-2:]>/<change>/<patchset>/<pipeline>/<job>/<uuid7>/`. */
export function logUrl(text: ReportText, build: GeneratedBuild): string {
  if (text.style === 'jenkins')
    return `https://jenkins.example.org/job/${build.job}/${build.number}/`;
  const host = text.style === 'third-party' ? 'ci.vendor.example' : 'logs.example.org';
  const cc = String(text.change % 100).padStart(2, '0');
  return `https://${host}/${cc}/${text.change}/${text.patchSet}/${text.pipeline}/${build.job}/${build.uuid.slice(0, 7)}/`;
}

/** A Zuul-style job line: `- NAME URL : RESULT in 4m 01s[ (non-voting)]`. */
function zuulLine(text: ReportText, build: GeneratedBuild, bullet: string): string {
  const voting = build.voting ? '' : ' (non-voting)';
  return `${bullet} ${build.job} ${logUrl(text, build)} : ${build.result} in ${zuulDuration(build.seconds)}${voting}`;
}

/** The report's message body (without Gerrit's `Patch Set N:` header). */
export function reportBody(text: ReportText): string {
  const { builds, pipeline, success } = text;
  switch (text.style) {
    case 'zuul-v3': {
      const head = success
        ? `Build succeeded (${pipeline} pipeline).`
        : `Build failed (${pipeline} pipeline).  For information on how to proceed, see\nhttps://docs.example.org/testing`;
      const buildset = `https://zuul.example.org/t/main/buildset/${builds[0]?.uuid ?? '0'}`;
      const lines = builds.map((build) => zuulLine(text, build, '-'));
      return `${head}\n\n${buildset}\n\n${lines.join('\n')}\n`;
    }
    case 'zuul-v2': {
      const head = success
        ? 'Build succeeded.'
        : 'Build failed.  For information on how to proceed, see https://wiki.example.org/Testing';
      return `${head}\n\n${builds.map((build) => zuulLine(text, build, '-')).join('\n')}\n`;
    }
    case 'third-party': {
      const head = `${text.ciName} Build ${success ? 'succeeded' : 'failed'}`;
      return `${head}\n\n${builds.map((build) => zuulLine(text, build, '*')).join('\n')}\n`;
    }
    case 'jenkins': {
      const blocks = builds.map(
        (build) => `${logUrl(text, build)} : ${build.result}${build.voting ? '' : ' (skipped)'}`,
      );
      return `${success ? 'Build Successful ' : 'Build Failed '}\n\n${blocks.join('\n\n')}`;
    }
  }
}

/** A CI's notice that its jobs started, or `null` for styles that send none. */
export function startNotice(
  style: CommentStyle,
  pipeline: string,
  jenkinsUrl: string,
): string | null {
  if (style === 'zuul-v3') return `Starting ${pipeline} jobs.`;
  if (style === 'jenkins') return `Build Started ${jenkinsUrl}`;
  return null;
}

/** Messages from CI accounts that are no result (the parser must classify them `other`). */
export const unparseableBodies: readonly string[] = [
  'The CI lab is down for maintenance; results for this change are not available.',
  'Merge queue is full, please be patient.',
  'Test results: see the dashboard at https://ci.vendor.example/dash',
];

/** What people say in review, with the votes they cast. */
export const reviewBodies: readonly { readonly text: string; readonly codeReview: number }[] = [
  { text: 'Looks good to me.', codeReview: 1 },
  { text: 'Please add a unit test for the new branch.', codeReview: -1 },
  { text: 'Nit: the docstring is out of date, otherwise fine.', codeReview: 1 },
  { text: 'Why not reuse the existing helper?', codeReview: 0 },
];

export const recheckBodies: readonly string[] = ['recheck', 'recheck bug 2031234', 'recheck'];
