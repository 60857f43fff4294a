/** The dashboard's routes: paths to pages and back, query parameters included. */
import { describe, expect, it } from 'vitest';
import { hrefOf, parseRoute, type Route } from '../../client/src/lib/route.js';

describe('routes', () => {
  it('reads every page from its path', () => {
    expect(parseRoute('/')).toEqual({ page: 'home' });
    expect(parseRoute('/tests')).toEqual({ page: 'tests' });
    expect(parseRoute('/tests/')).toEqual({ page: 'tests' });
    expect(parseRoute('/jobs/tempest-full')).toEqual({ page: 'job', name: 'tempest-full' });
    expect(parseRoute('/runs/3f2a9c')).toEqual({ page: 'run', id: '3f2a9c' });
    expect(parseRoute('/cis/acme-ci')).toEqual({ page: 'ci', account: 'acme-ci' });
    expect(parseRoute('/changes/912345')).toEqual({ page: 'change', number: 912345 });
    expect(parseRoute('/tests/tempest.api.compute.test_servers.ServersTest.test_list')).toEqual({
      page: 'test',
      testId: 'tempest.api.compute.test_servers.ServersTest.test_list',
    });
    expect(parseRoute('/projects')).toEqual({ page: 'projects' });
    expect(parseRoute('/live')).toEqual({ page: 'live' });
    expect(parseRoute('/flaky')).toEqual({ page: 'flaky' });
    expect(parseRoute('/signatures')).toEqual({ page: 'signatures' });
    expect(parseRoute('/rechecks')).toEqual({ page: 'rechecks' });
    expect(parseRoute('/signatures/9f3c0a')).toEqual({ page: 'signature', fingerprint: '9f3c0a' });
  });

  it('takes everything between /projects/ and /ci as the project, slashes included', () => {
    expect(parseRoute('/projects/openstack/nova/ci')).toEqual({
      page: 'ci-matrix',
      project: 'openstack/nova',
    });
    expect(parseRoute('/projects/x/ci/ci')).toEqual({ page: 'ci-matrix', project: 'x/ci' });
    expect(parseRoute('/projects/openstack/nova')).toEqual({
      page: 'not-found',
      path: '/projects/openstack/nova',
    });
  });

  it('takes everything after /tests/ as the test id, slashes included', () => {
    expect(parseRoute('/tests/pkg/sub/module.Case.test%20x')).toEqual({
      page: 'test',
      testId: 'pkg/sub/module.Case.test x',
    });
  });

  it('knows what it does not serve', () => {
    expect(parseRoute('/jobs')).toEqual({ page: 'not-found', path: '/jobs' });
    expect(parseRoute('/jobs/a/b')).toEqual({ page: 'not-found', path: '/jobs/a/b' });
    expect(parseRoute('/nowhere')).toEqual({ page: 'not-found', path: '/nowhere' });
    // A change number is a positive integer Gerrit could have given.
    for (const path of ['/changes/abc', '/changes/0', '/changes/012', '/changes/1.5', '/changes']) {
      expect(parseRoute(path)).toEqual({ page: 'not-found', path });
    }
    expect(parseRoute('/cis/a/b')).toEqual({ page: 'not-found', path: '/cis/a/b' });
  });

  it('makes links that read back as the same route', () => {
    const routes: Route[] = [
      { page: 'home' },
      { page: 'tests' },
      { page: 'job', name: 'periodic/stable job #1' },
      { page: 'test', testId: 'a/b/c.Test.test_x[id-1?] & more' },
      { page: 'run', id: '3f2a9c1e-0000-4000-8000-000000000000' },
      { page: 'ci', account: 'email:ci@example.org' },
      { page: 'ci', account: 'a/b ci' },
      { page: 'change', number: 912345 },
      { page: 'projects' },
      { page: 'ci-matrix', project: 'openstack/nova-specs #2' },
      { page: 'flaky' },
      { page: 'signatures' },
      { page: 'rechecks' },
      { page: 'signature', fingerprint: '9f3c0a' },
      { page: 'live' },
      { page: 'go', input: 'https://review.opendev.org/#/c/271726/2' },
    ];
    for (const route of routes) {
      const href = hrefOf(route);
      expect(parseRoute(new URL(href, 'http://x').pathname)).toEqual(route);
    }
    expect(hrefOf({ page: 'job', name: 'a/b' })).toBe('/jobs/a%2Fb');
    // A test id's slashes stay path separators.
    expect(hrefOf({ page: 'test', testId: 'a/b c' })).toBe('/tests/a/b%20c');
    // So do a project's.
    expect(hrefOf({ page: 'ci-matrix', project: 'openstack/nova' })).toBe(
      '/projects/openstack/nova/ci',
    );
  });

  it('adds query parameters, leaving out empty ones', () => {
    expect(hrefOf({ page: 'run', id: 'abc' }, { test: 'x.y[z]' })).toBe(
      '/runs/abc?test=x.y%5Bz%5D',
    );
    expect(hrefOf({ page: 'home' }, { period: '30d', group: '', where: null, x: undefined })).toBe(
      '/?period=30d',
    );
    const url = new URL(hrefOf({ page: 'tests' }, { q: 'a&b=c', mode: 'prefix' }), 'http://x');
    expect(Object.fromEntries(url.searchParams)).toEqual({ q: 'a&b=c', mode: 'prefix' });
  });

  describe('the scrape page, /go/<input>', () => {
    const inputs = [
      '271726',
      '271726,3',
      '271726/3',
      'https://review.opendev.org/#/c/271726/',
      'https://review.opendev.org/c/openstack/nova/+/271726/3',
      'http://logs.openstack.org/26/271726/2/check/gate-stackviz-pep8/7c374a7/',
      'https://logs.example.org/periodic/job?x=1&y=2#top',
      'a %zz stray percent, spaces and ünïcode',
    ];

    it('carries any input in one escaped segment and reads it back whole', () => {
      for (const input of inputs) {
        const url = new URL(hrefOf({ page: 'go', input }), 'http://x');
        expect(url.pathname.split('/'), input).toHaveLength(3);
        expect(url.search + url.hash, input).toBe('');
        expect(parseRoute(url.pathname, url.search, url.hash), input).toEqual({
          page: 'go',
          input,
        });
      }
    });

    it('reads a URL typed after /go/ by hand, its slashes, query and fragment included', () => {
      for (const input of inputs.filter((text) => /^https?:/.test(text))) {
        const url = new URL(`http://x/go/${input}`);
        expect(parseRoute(url.pathname, url.search, url.hash), input).toEqual({
          page: 'go',
          input,
        });
      }
    });

    it('reads ?input= and takes a stray % as itself', () => {
      expect(parseRoute('/go', '?input=271726%2C3')).toEqual({ page: 'go', input: '271726,3' });
      expect(parseRoute('/go/', '?input=a%26b')).toEqual({ page: 'go', input: 'a&b' });
      expect(parseRoute('/go')).toEqual({ page: 'go', input: '' });
      expect(parseRoute('/go/100%')).toEqual({ page: 'go', input: '100%' });
      // Only /go itself: a longer first segment is no scrape page.
      expect(parseRoute('/gone')).toEqual({ page: 'not-found', path: '/gone' });
    });
  });
});
