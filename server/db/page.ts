/**
 * Keyset pages: the cursor holds the sort key of the last row seen, so a page costs the same
 * wherever it starts. The GraphQL connection types are in server/graphql/pagination.ts.
 */
import { GatewatchError } from '../errors.js';

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 500;

/** Which page: what every list field takes. */
export interface PageRequest {
  first?: number | null;
  after?: string | null;
}

/** What every connection holds; `totalCount` runs its count query only when asked for. */
export interface Page<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  /** A getter: the count query runs only when the field is read. */
  readonly totalCount: Promise<number>;
}

/** The page size asked for, checked. */
export function pageSize(args: { first?: number | null }): number {
  const first = args.first ?? DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
    throw new GatewatchError('BAD_ARGUMENT', `first must be 1…${MAX_PAGE}, got ${first}`);
  }
  return first;
}

/** The sort key a cursor holds, or undefined for the first page. */
export function decodeCursor(after: string | null | undefined): (string | number)[] | undefined {
  if (after === undefined || after === null) return undefined;
  try {
    const key: unknown = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.every((k) => typeof k === 'string' || typeof k === 'number')) {
      return key as (string | number)[];
    }
  } catch {
    // reported below
  }
  throw new GatewatchError('BAD_ARGUMENT', `bad cursor "${after}": pass a previous endCursor`);
}

/**
 * The position a cursor holds (0 for the first page), for lists ranked by figures that
 * a keyset could not page through stably.
 */
export function decodeOffset(after: string | null | undefined): number {
  const key = decodeCursor(after);
  if (!key) return 0;
  const [offset] = key;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || key.length !== 1) {
    throw new GatewatchError('BAD_ARGUMENT', `bad cursor "${after}": pass a previous endCursor`);
  }
  return offset;
}

export function encodeCursor(key: (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * A page from rows fetched with `limit: size + 1` (the extra row only tells that more follow).
 */
export function toPage<R, T>(
  rows: R[],
  size: number,
  keyOf: (row: R) => (string | number)[],
  nodeOf: (row: R) => T,
  totalCount: () => Promise<number>,
): Page<T> {
  const shown = rows.slice(0, size);
  const edges = shown.map((row) => ({ cursor: encodeCursor(keyOf(row)), node: nodeOf(row) }));
  let total: Promise<number> | undefined;
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null },
    get totalCount() {
      return (total ??= totalCount());
    },
  };
}
