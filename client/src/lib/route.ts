/** The dashboard's routes: every view is a path plus query parameters, so every view is a link. */

export type Route =
  | { page: 'home' }
  | { page: 'tests' }
  | { page: 'job'; name: string }
  | { page: 'test'; testId: string }
  | { page: 'run'; id: string }
  | { page: 'ci'; account: string }
  | { page: 'change'; number: number }
  | { page: 'projects' }
  | { page: 'ci-matrix'; project: string }
  | { page: 'live' }
  | { page: 'flaky' }
  | { page: 'signatures' }
  | { page: 'signature'; fingerprint: string }
  | { page: 'rechecks' }
  | { page: 'go'; input: string }
  | { page: 'not-found'; path: string };

/**
 * The route of a path (`/jobs/tempest-full`, `/tests/tempest.api…`, `/runs/3f2a…`,
 * `/cis/acme-ci`, `/changes/912345`, `/projects/openstack/nova/ci`, `/signatures/9f3c…`); the query string and
 * fragment matter only to `/go`, whose input may be a URL typed in by hand.
 */
export function parseRoute(pathname: string, search = '', hash = ''): Route {
  if (pathname === '/go' || pathname.startsWith('/go/')) return goRoute(pathname, search, hash);
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const [head, ...rest] = parts;
  if (parts.length === 0) return { page: 'home' };
  if (head === 'tests' && rest.length === 0) return { page: 'tests' };
  // Test ids hold dots and slashes: everything after /tests/ is the id.
  if (head === 'tests') return { page: 'test', testId: rest.join('/') };
  if (head === 'jobs' && rest.length === 1) return { page: 'job', name: rest[0]! };
  if (head === 'runs' && rest.length === 1) return { page: 'run', id: rest[0]! };
  if (head === 'cis' && rest.length === 1) return { page: 'ci', account: rest[0]! };
  if (head === 'changes' && rest.length === 1 && /^[1-9]\d{0,9}$/.test(rest[0]!)) {
    return { page: 'change', number: Number(rest[0]) };
  }
  if (head === 'projects' && rest.length === 0) return { page: 'projects' };
  // Project names hold slashes (`openstack/nova`): everything between /projects/ and /ci.
  if (head === 'projects' && rest.length > 1 && rest.at(-1) === 'ci') {
    return { page: 'ci-matrix', project: rest.slice(0, -1).join('/') };
  }
  if (head === 'live' && rest.length === 0) return { page: 'live' };
  if (head === 'flaky' && rest.length === 0) return { page: 'flaky' };
  if (head === 'signatures' && rest.length === 0) return { page: 'signatures' };
  if (head === 'rechecks' && rest.length === 0) return { page: 'rechecks' };
  if (head === 'signatures' && rest.length === 1) {
    return { page: 'signature', fingerprint: rest[0]! };
  }
  return { page: 'not-found', path: pathname };
}

/** The path of a route, with optional query parameters (empty values are left out). */
export function hrefOf(
  route: Route,
  params: Record<string, string | null | undefined> = {},
): string {
  const path = (() => {
    switch (route.page) {
      case 'home':
        return '/';
      case 'tests':
        return '/tests';
      case 'job':
        return `/jobs/${encodeURIComponent(route.name)}`;
      case 'test':
        return `/tests/${route.testId.split('/').map(encodeURIComponent).join('/')}`;
      case 'run':
        return `/runs/${encodeURIComponent(route.id)}`;
      case 'ci':
        return `/cis/${encodeURIComponent(route.account)}`;
      case 'change':
        return `/changes/${route.number}`;
      case 'projects':
        return '/projects';
      case 'ci-matrix':
        return `/projects/${route.project.split('/').map(encodeURIComponent).join('/')}/ci`;
      case 'live':
        return '/live';
      case 'flaky':
        return '/flaky';
      case 'signatures':
        return '/signatures';
      case 'rechecks':
        return '/rechecks';
      case 'signature':
        return `/signatures/${encodeURIComponent(route.fingerprint)}`;
      case 'go':
        // One segment: the input's slashes, `#` and `?` are all escaped.
        return `/go/${encodeURIComponent(route.input)}`;
      case 'not-found':
        return route.path;
    }
  })();
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') query.set(key, value);
  }
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}

/**
 * `/go/<input>`: what follows `/go/` is the input, decoded as a whole. Links escape it into one
 * segment; a URL typed after `/go/` by hand keeps its slashes, its query and its fragment
 * (`/#/c/N/`), which the browser split off. `/go?input=…` is read too.
 */
function goRoute(pathname: string, search: string, hash: string): Route {
  const fromQuery = new URLSearchParams(search).get('input');
  if (pathname === '/go' || pathname === '/go/') return { page: 'go', input: fromQuery ?? '' };
  return { page: 'go', input: decodeLeniently(pathname.slice('/go/'.length) + search + hash) };
}

/** A stray `%` (no escape after it) leaves the text as typed rather than failing the page. */
function decodeLeniently(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
