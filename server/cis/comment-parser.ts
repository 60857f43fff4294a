// PLACEHOLDER — replaced at merge
import type { CommentKind, ParsedBuild, Verdict } from './report.js';

const HEADER = /^Patch Set \d+:[^\n]*\n*/;
const JOB =
  /^[-*]\s+(\S+)\s+(\S+)\s+:\s+([A-Z_]+)(?:\s+in\s+((?:\d+h\s*)?(?:\d+m\s*)?(?:\d+s)?))?.*?(\(non-voting\))?\s*$/;

export function classifyComment(
  message: string,
  approvals: readonly { readonly label: string; readonly value: number }[],
  tag?: string | null,
): CommentKind {
  const body = message.replace(HEADER, '').trim();
  const recheck = /^(recheck|reverify)\b\s*(.*)$/i.exec(body);
  if (recheck) return { kind: 'recheck', reason: recheck[2] || null };
  if (/^Starting \S+ jobs\./.test(body)) return { kind: 'ci-notice' };
  const head = /^Build (succeeded|failed|Successful|Failed|Unstable)/i.exec(body);
  if (!head) return { kind: 'other' };
  const builds: ParsedBuild[] = [];
  for (const line of body.split('\n')) {
    const m = JOB.exec(line.trim());
    if (!m) continue;
    builds.push({
      job: m[1]!,
      logUrl: m[2]!.startsWith('http') ? m[2]! : null,
      result: m[3]!,
      detail: null,
      durationSeconds: m[4] ? seconds(m[4]) : null,
      voting: !m[5],
    });
  }
  const word = head[1]!.toLowerCase();
  const verdict: Verdict =
    word === 'unstable' ? 'UNSTABLE' : word.startsWith('succ') ? 'SUCCESS' : 'FAILURE';
  const header = /^Patch Set \d+:.*\bVerified([+-]\d)/.exec(message);
  const vote =
    approvals.find((a) => a.label === 'Verified')?.value ?? (header ? Number(header[1]) : null);
  const pipeline = /\((\S+) pipeline\)/.exec(body)?.[1] ?? tag?.split(':')[2] ?? null;
  return { kind: 'report', report: { verdict, pipeline, vote, builds } };
}

function seconds(text: string): number {
  const part = (unit: string) => Number(new RegExp(`(\\d+)${unit}`).exec(text)?.[1] ?? 0);
  return part('h') * 3600 + part('m') * 60 + part('s');
}
