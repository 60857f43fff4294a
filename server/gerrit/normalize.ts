// PLACEHOLDER — replaced at merge
import { storedTypes, type GerritEvent, type Normalised } from './events.js';

export function normaliseLine(line: string): Normalised {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { ok: false, warning: `invalid JSON line: ${line.slice(0, 80)}` };
  }
  return normaliseEvent(raw);
}

export function normaliseEvent(raw: unknown): Normalised {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, warning: 'not an object' };
  }
  const r = raw as Record<string, unknown>;
  if (typeof r.type !== 'string') return { ok: false, warning: 'no type' };
  const change = r.change as Record<string, unknown> | undefined;
  const patchSet = r.patchSet as Record<string, unknown> | undefined;
  const createdOn = Number(r.eventCreatedOn ?? patchSet?.createdOn ?? 0);
  if (!storedTypes.has(r.type) || change === undefined || patchSet === undefined) {
    const event: GerritEvent = {
      type: r.type,
      createdOn,
      ...(change ? { project: String(change.project), change: Number(change.number) } : {}),
    };
    return { ok: true, event, warnings: [] };
  }
  const event = {
    ...r,
    type: r.type,
    createdOn,
    change: { ...change, project: String(change.project), number: Number(change.number) },
    patchSet: { ...patchSet, number: Number(patchSet.number) },
    approvals: [],
    comment: String(r.comment ?? ''),
    author: r.author ?? {},
  } as unknown as GerritEvent;
  return { ok: true, event, warnings: [] };
}
