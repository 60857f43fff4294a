/**
 * The pages of a list seen so far, as a stack of the API's `after` cursors kept in the URL
 * (`?pages=c1.c2`): Previous works and every page is a link.
 */

// Cursors are base64url: a dot never occurs in one, so it separates them.
const SEPARATOR = '.';

/** The `pages` URL parameter as the `after` cursors of the pages before this one, in order. */
export function parseCursors(text: string): string[] {
  return text === '' ? [] : text.split(SEPARATOR).filter((c) => /^[A-Za-z0-9_-]+$/.test(c));
}

export function formatCursors(cursors: readonly string[]): string {
  return cursors.join(SEPARATOR);
}

/** The `after` cursor of the page shown: the newest on the stack, none for the first page. */
export function currentCursor(cursors: readonly string[]): string | null {
  return cursors.at(-1) ?? null;
}

/** The stack once the next page (starting after `endCursor`) is shown. */
export function nextPage(cursors: readonly string[], endCursor: string): string[] {
  return [...cursors, endCursor];
}

/** The stack once the previous page is shown. */
export function previousPage(cursors: readonly string[]): string[] {
  return cursors.slice(0, -1);
}

/** The 1-based positions of the first and last row of a page of `pageSize`: `51–100`. */
export function pageRange(
  cursors: readonly string[],
  shown: number,
  pageSize: number,
): [number, number] {
  const first = cursors.length * pageSize + 1;
  return shown === 0 ? [0, 0] : [first, first + shown - 1];
}
