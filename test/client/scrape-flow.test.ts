/**
 * The scrape page's state machine: what a resolution leads to (a list, a scrape at once, the
 * stored run), a task followed to its run or its failure, retries, a token asked for, and
 * events that arrive out of place changing nothing.
 */
import { describe, expect, it } from 'vitest';
import type {
  Resolution,
  ResolvedJob,
  ScrapeTaskFields,
} from '../../client/src/documents/scrape.js';
import {
  effectOf,
  INITIAL,
  nextState,
  type FlowEvent,
  type FlowState,
} from '../../client/src/pages/scrape/scrape-flow.js';

const LOGS = 'http://logs.example.org/26/271726/2/check';

function job(name: string, runId: string | null = null): ResolvedJob {
  return {
    name,
    pipeline: 'check',
    result: 'SUCCESS',
    logUrl: `${LOGS}/${name}/7c374a7/`,
    ci: 'zuul',
    run: runId === null ? null : { id: runId },
  };
}

function change(jobs: ResolvedJob[]): Resolution {
  return {
    input: '271726',
    kind: 'change',
    source: 'database',
    server: 'review.example.org',
    change: 271726,
    patchSet: 2,
    project: 'openstack/stackviz',
    subject: 'Add progress bars',
    jobs,
  };
}

function logUrl(runId: string | null = null): Resolution {
  const only = job('gate-stackviz-python27', runId);
  return { ...change([only]), input: only.logUrl, kind: 'log-url', source: 'log-url' };
}

function task(
  id: string,
  state: ScrapeTaskFields['state'],
  more: Partial<ScrapeTaskFields> = {},
): ScrapeTaskFields {
  return {
    id,
    state,
    stage: null,
    url: `${LOGS}/tempest-full/7c374a7/`,
    job: 'tempest-full',
    bytesFetched: 0,
    attempts: state === 'QUEUED' ? 0 : 1,
    error: null,
    run: null,
    ...more,
  };
}

/** The state after each event in turn, from the start. */
function run(...events: FlowEvent[]): FlowState {
  return events.reduce(nextState, INITIAL);
}

const resolved = (resolution: Resolution): FlowEvent => ({ type: 'resolved', resolution });
const update = (t: ScrapeTaskFields): FlowEvent => ({ type: 'task', task: t });

describe('the scrape page flow', () => {
  it('lists a change with several jobs, scrapes the one clicked and opens its run', () => {
    const resolution = change([job('tempest-full'), job('pep8'), job('docs')]);
    const listed = run(resolved(resolution));
    expect(listed).toEqual({ step: 'choosing', resolution });
    expect(effectOf(listed)).toBeNull();

    const picked = nextState(listed, { type: 'pick', job: 'pep8' });
    expect(effectOf(picked)).toEqual({ kind: 'scrape', job: 'pep8' });

    const queued = nextState(picked, update(task('7', 'QUEUED')));
    expect(effectOf(queued)).toEqual({ kind: 'watch', taskId: '7' });
    // Progress keeps following the same task, showing the newest figures.
    const downloading = task('7', 'RUNNING', { stage: 'downloading', bytesFetched: 4096 });
    const running = nextState(queued, update(downloading));
    expect(running).toMatchObject({ step: 'running', task: downloading, job: 'pep8' });
    expect(effectOf(running)).toEqual(effectOf(queued));

    const finished = nextState(running, update(task('7', 'FINISHED', { run: { id: 'r-1' } })));
    // Picked by a click: the run opens as a new page, Back returns to the list.
    expect(effectOf(finished)).toEqual({ kind: 'open', runId: 'r-1', replace: false });
  });

  it('scrapes a lone job at once, by name for a change and as the URL for a log URL', () => {
    const single = run(resolved(change([job('tempest-full')])));
    expect(effectOf(single)).toEqual({ kind: 'scrape', job: 'tempest-full' });
    const direct = run(resolved(logUrl()));
    expect(effectOf(direct)).toEqual({ kind: 'scrape', job: null });
    const done = nextState(direct, update(task('8', 'FINISHED', { run: { id: 'r-2' } })));
    // Nothing was clicked: the run replaces this page in history (Back would scrape again).
    expect(effectOf(done)).toEqual({ kind: 'open', runId: 'r-2', replace: true });
  });

  it('opens a lone job already scraped without scraping, and lists a change that has some', () => {
    expect(effectOf(run(resolved(logUrl('r-3'))))).toEqual({
      kind: 'open',
      runId: 'r-3',
      replace: true,
    });
    const resolution = change([job('tempest-full', 'r-4'), job('pep8')]);
    expect(run(resolved(resolution))).toEqual({ step: 'choosing', resolution });
  });

  it('lists a change no CI reported on, with nothing to do', () => {
    const state = run(resolved(change([])));
    expect(state).toMatchObject({ step: 'choosing' });
    expect(effectOf(state)).toBeNull();
  });

  it('shows the resolver’s refusal as the server words it', () => {
    const message = 'change 999 is unknown to gatewatch and no Gerrit is configured';
    expect(run({ type: 'unresolved', message })).toEqual({ step: 'unresolved', message });
  });

  it('says why a task failed, retries it, or scrapes another job instead', () => {
    const resolution = change([job('tempest-full'), job('pep8')]);
    const error = `no subunit stream or console log under ${LOGS}/pep8/7c374a7/`;
    const failed = run(
      resolved(resolution),
      { type: 'pick', job: 'pep8' },
      update(task('9', 'RUNNING', { stage: 'crawling' })),
      update(task('9', 'FAILED', { error })),
    );
    expect(failed).toMatchObject({ step: 'failed', message: error, job: 'pep8' });
    expect(effectOf(failed)).toBeNull();
    expect(effectOf(nextState(failed, { type: 'retry' }))).toEqual({ kind: 'scrape', job: 'pep8' });
    expect(effectOf(nextState(failed, { type: 'pick', job: 'tempest-full' }))).toEqual({
      kind: 'scrape',
      job: 'tempest-full',
    });
  });

  it('treats a finished task whose run is gone as a failure', () => {
    const state = run(resolved(logUrl()), update(task('10', 'FINISHED')));
    expect(state).toMatchObject({
      step: 'failed',
      message: 'the task finished but its run is gone',
    });
  });

  it('asks for a token when refused for want of one, and tries again with it', () => {
    const message = 'this needs a token: send "Authorization: Bearer TOKEN"';
    const refused = run(resolved(logUrl()), { type: 'error', code: 'UNAUTHENTICATED', message });
    expect(refused).toMatchObject({ step: 'needs-token', message, job: null });
    expect(effectOf(nextState(refused, { type: 'retry' }))).toEqual({ kind: 'scrape', job: null });
  });

  it('shows any other refusal, or a lost subscription, as a failure to retry', () => {
    const message = 'too many scrapes from this address: at most 10 a minute';
    const limited = run(resolved(logUrl()), { type: 'error', code: 'RATE_LIMITED', message });
    expect(limited).toMatchObject({ step: 'failed', message });
    const lost = run(resolved(logUrl()), update(task('11', 'QUEUED')), {
      type: 'error',
      code: null,
      message: 'socket closed',
    });
    expect(lost).toMatchObject({ step: 'failed', message: 'socket closed' });
    expect(effectOf(nextState(lost, { type: 'retry' }))).toEqual({ kind: 'scrape', job: null });
  });

  it('ignores events out of place', () => {
    const resolution = change([job('tempest-full'), job('pep8')]);
    const listed = run(resolved(resolution));
    // No scrape asked for: answers, errors and retries mean nothing yet.
    expect(nextState(listed, update(task('1', 'FINISHED', { run: { id: 'r' } })))).toBe(listed);
    expect(nextState(listed, { type: 'error', code: null, message: 'x' })).toBe(listed);
    expect(nextState(listed, { type: 'retry' })).toBe(listed);
    expect(nextState(listed, resolved(change([])))).toBe(listed);

    const running = run(
      resolved(resolution),
      { type: 'pick', job: 'pep8' },
      update(task('2', 'RUNNING')),
    );
    // One scrape at a time, and only its own task's updates count.
    expect(nextState(running, { type: 'pick', job: 'tempest-full' })).toBe(running);
    expect(nextState(running, update(task('3', 'FAILED', { error: 'other' })))).toBe(running);
    expect(nextState(running, { type: 'retry' })).toBe(running);
  });
});
