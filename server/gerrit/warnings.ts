/**
 * Counted warnings: every occurrence counted, at most one log line per kind per interval
 * (a Gerrit that sends a thousand bad lines a minute logs one line a minute, with the count).
 */

/** The kinds of warning a collector counts. */
export type WarningKind = 'invalid' | 'tooLong' | 'unknownType' | 'normalised' | 'rest';

const WARNING_KINDS: readonly WarningKind[] = [
  'invalid',
  'tooLong',
  'unknownType',
  'normalised',
  'rest',
];

export interface CountedWarnings {
  /** Counts one; logs it unless this kind was logged within the interval. */
  warn(kind: WarningKind, message: string): void;
  counts(): Readonly<Record<WarningKind, number>>;
}

export function countedWarnings(
  log: (message: string) => void,
  intervalMs = 60_000,
  now: () => number = Date.now,
): CountedWarnings {
  const counts = Object.fromEntries(WARNING_KINDS.map((k) => [k, 0])) as Record<
    WarningKind,
    number
  >;
  const lastLogged = new Map<WarningKind, { at: number; count: number }>();
  return {
    warn(kind, message) {
      counts[kind] += 1;
      const last = lastLogged.get(kind);
      if (last !== undefined && now() - last.at < intervalMs) return;
      const unlogged = last === undefined ? 0 : counts[kind] - last.count - 1;
      const more = unlogged > 0 ? `; ${unlogged} more not logged` : '';
      log(`${message} (${kind} warnings: ${counts[kind]} so far${more})`);
      lastLogged.set(kind, { at: now(), count: counts[kind] });
    },
    counts: () => ({ ...counts }),
  };
}
