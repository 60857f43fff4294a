/**
 * The browser location as state: pages read their view state (period, group key, filters,
 * selected test…) from the query parameters and write it back, so a view is always a link.
 */
import { getContext, setContext } from 'svelte';
import { parseRoute, type Route } from './route.js';

export class AppLocation {
  #url = $state(new URL(window.location.href));
  readonly route: Route = $derived(
    parseRoute(this.#url.pathname, this.#url.search, this.#url.hash),
  );

  constructor() {
    window.addEventListener('popstate', () => {
      this.#url = new URL(window.location.href);
    });
  }

  /** A query parameter, or `fallback` when absent. */
  param(name: string, fallback = ''): string {
    return this.#url.searchParams.get(name) ?? fallback;
  }

  /**
   * Goes to another view: a new history entry, or with `replace` instead of this one (a view
   * that moves on by itself, which Back must not return to).
   */
  navigate(href: string, { replace = false } = {}): void {
    const url = new URL(href, window.location.href);
    if (replace) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
    this.#url = url;
    window.scrollTo(0, 0);
  }

  /** Changes query parameters of this view (`null`/'' removes one), replacing the entry. */
  setParams(changes: Record<string, string | null | undefined>): void {
    const url = new URL(this.#url);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === undefined || value === '') url.searchParams.delete(key);
      else url.searchParams.set(key, value);
    }
    window.history.replaceState(null, '', url);
    this.#url = url;
  }

  /** Same-origin link clicks become client-side navigation. */
  intercept(event: MouseEvent): void {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element | null)?.closest('a');
    if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
    const url = new URL(anchor.href, window.location.href);
    // The explorer, feeds and downloads are served by the server, not by this app.
    if (
      url.origin !== window.location.origin ||
      /^\/(graphiql|api|blob|feeds)\b/.test(url.pathname)
    ) {
      return;
    }
    event.preventDefault();
    this.navigate(url.href);
  }
}

const KEY = Symbol('location');

export function provideLocation(location: AppLocation): void {
  setContext(KEY, location);
}

export function useLocation(): AppLocation {
  return getContext<AppLocation>(KEY);
}
