/**
 * The badges beside a failing result, on every page that lists failures (README "Dashboard"):
 * `flaky` or `broken` (the test's verdicts), `known issue: BUG` (each known-issue rule the
 * result matched) and `new failure` (its signature was never seen before its run).
 */
import { hrefOf } from './route.js';

/** What a failing result says about itself, as the GraphQL documents select it. */
export interface FailureFacts {
  readonly knownIssues?: readonly { readonly bugUrl: string; readonly title: string }[] | null;
  readonly newSignature?: boolean | null;
  readonly signature?: { readonly fingerprint: string } | null;
  /** Its test's verdicts (flaky, broken, fixed), one per scope. */
  readonly verdicts?: readonly { readonly scope: string; readonly verdict: string }[] | null;
}

export interface FailureBadge {
  readonly kind: 'flaky' | 'broken' | 'known-issue' | 'new-failure';
  readonly label: string;
  /** The label and why, for hover and assistive technology (it starts with the label). */
  readonly title: string;
  readonly href: string | null;
}

/**
 * The short form of a bug: the number its URL ends in (`https://bugs.launchpad.net/nova/+bug/
 * 2071234` → `2071234`, a GitHub issue → `#42`), else its last path segment, else its host.
 */
export function bugLabel(bugUrl: string): string {
  let url: URL;
  try {
    url = new URL(bugUrl);
  } catch {
    return bugUrl;
  }
  const segments = url.pathname.split('/').filter((s) => s !== '');
  const last = segments.at(-1) ?? '';
  if (/^\d+$/.test(last))
    return segments.at(-2) === 'issues' || segments.at(-2) === 'pull' ? `#${last}` : last;
  return last !== '' ? decodeURIComponent(last) : url.host;
}

/**
 * The badges of one failing result. A verdict on the page's job (`job:NAME`) is preferred: the
 * test may be flaky on one job and broken on another, and the page says which job it is about.
 */
export function failureBadges(facts: FailureFacts, job?: string | null): FailureBadge[] {
  const badges: FailureBadge[] = [];
  const verdicts = (facts.verdicts ?? []).filter(
    (v) => v.verdict.toLowerCase() === 'flaky' || v.verdict.toLowerCase() === 'broken',
  );
  const onJob = job ? verdicts.filter((v) => v.scope === `job:${job}`) : [];
  const shown = onJob.length > 0 ? onJob : verdicts;
  for (const kind of ['flaky', 'broken'] as const) {
    const scopes = shown.filter((v) => v.verdict.toLowerCase() === kind).map((v) => v.scope);
    if (scopes.length === 0) continue;
    const scopeJob = scopes.find((s) => s.startsWith('job:'))?.slice('job:'.length);
    badges.push({
      kind,
      label: kind,
      title: `${kind} on ${scopes.join(', ')}`,
      href: hrefOf({ page: 'flaky' }, { job: scopeJob }),
    });
  }
  for (const rule of facts.knownIssues ?? []) {
    const label = `known issue: ${bugLabel(rule.bugUrl)}`;
    badges.push({
      kind: 'known-issue',
      label,
      title: `${label} — ${rule.title}`,
      // An http(s) URL: addKnownIssueRule refuses any other.
      href: rule.bugUrl,
    });
  }
  if (facts.newSignature) {
    badges.push({
      kind: 'new-failure',
      label: 'new failure',
      title: 'new failure — its signature was never seen before this run',
      href: facts.signature
        ? hrefOf({ page: 'signature', fingerprint: facts.signature.fingerprint })
        : null,
    });
  }
  return badges;
}
