/**
 * The token the scrape page sends when the server wants one (public scraping off): kept for the
 * browser tab only (sessionStorage), sent as `Authorization: Bearer …` on the mutation alone.
 */
const KEY = 'gatewatch.scrape-token';

export function readToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    // Storage refused (a privacy setting): the token lives no longer than the page.
    return null;
  }
}

/** Keeps `token` for this tab; an empty one forgets it. */
export function saveToken(token: string): void {
  try {
    if (token) sessionStorage.setItem(KEY, token);
    else sessionStorage.removeItem(KEY);
  } catch {
    // As above: nothing is kept, the token still goes with this request.
  }
}

/** The request headers a token makes. */
export function authorizationOf(token: string | null): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}
