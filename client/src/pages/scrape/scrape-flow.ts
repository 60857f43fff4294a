/**
 * The scrape page as a state machine, free of the network so it can be tested alone: what was
 * pasted resolves to a change's jobs (or one job), a job is scraped (at once when there is only
 * one), its task is followed until it finishes (the run opens) or fails (its message, a retry).
 * The page performs what {@link effectOf} says for each state and feeds back what happened.
 */
import type { Resolution, ScrapeTaskFields } from '../../documents/scrape.js';

/** What is being scraped: a job of the change by name, or `null` for the input's only job. */
interface Scraping {
  readonly resolution: Resolution;
  readonly job: string | null;
  /** Chosen by a click (the page then stays in history) rather than scraped at once. */
  readonly picked: boolean;
}

export type FlowState =
  | { readonly step: 'resolving' }
  | { readonly step: 'unresolved'; readonly message: string }
  | { readonly step: 'choosing'; readonly resolution: Resolution }
  | ({ readonly step: 'starting' } & Scraping)
  | ({ readonly step: 'running'; readonly task: ScrapeTaskFields } & Scraping)
  | ({ readonly step: 'failed'; readonly message: string } & Scraping)
  | ({ readonly step: 'needs-token'; readonly message: string } & Scraping)
  | { readonly step: 'done'; readonly runId: string; readonly picked: boolean };

export type FlowEvent =
  | { readonly type: 'resolved'; readonly resolution: Resolution }
  | { readonly type: 'unresolved'; readonly message: string }
  | { readonly type: 'pick'; readonly job: string }
  | { readonly type: 'task'; readonly task: ScrapeTaskFields }
  /** The mutation or the subscription failed; `code` is the error's `extensions.code`. */
  | { readonly type: 'error'; readonly code: string | null; readonly message: string }
  | { readonly type: 'retry' };

/** What the page must do in a state. */
export type FlowEffect =
  | { readonly kind: 'scrape'; readonly job: string | null }
  | { readonly kind: 'watch'; readonly taskId: string }
  | { readonly kind: 'open'; readonly runId: string; readonly replace: boolean }
  | null;

export const INITIAL: FlowState = { step: 'resolving' };

/** An input with one job only: a log URL, or a change one job reported on. */
export function isSingleJob(resolution: Resolution): boolean {
  return resolution.kind === 'log-url' || resolution.jobs.length === 1;
}

export function nextState(state: FlowState, event: FlowEvent): FlowState {
  switch (event.type) {
    case 'resolved':
      return state.step === 'resolving' ? afterResolution(event.resolution) : state;
    case 'unresolved':
      return state.step === 'resolving' ? { step: 'unresolved', message: event.message } : state;
    case 'pick':
      // While a scrape is under way the list waits; after one ends without a run, any job.
      if (state.step !== 'choosing' && !isSettled(state)) return state;
      return { step: 'starting', resolution: state.resolution, job: event.job, picked: true };
    case 'task':
      return afterTask(state, event.task);
    case 'error':
      if (state.step !== 'starting' && state.step !== 'running') return state;
      return {
        step: event.code === 'UNAUTHENTICATED' ? 'needs-token' : 'failed',
        message: event.message,
        ...scrapingOf(state),
      };
    case 'retry':
      return isSettled(state) ? { step: 'starting', ...scrapingOf(state) } : state;
  }
}

export function effectOf(state: FlowState): FlowEffect {
  switch (state.step) {
    case 'starting':
      return { kind: 'scrape', job: state.job };
    case 'running':
      return { kind: 'watch', taskId: state.task.id };
    case 'done':
      return { kind: 'open', runId: state.runId, replace: !state.picked };
    default:
      return null;
  }
}

function afterResolution(resolution: Resolution): FlowState {
  if (!isSingleJob(resolution)) return { step: 'choosing', resolution };
  const only = resolution.jobs[0];
  if (only?.run) return { step: 'done', runId: only.run.id, picked: false };
  const job = resolution.kind === 'log-url' ? null : (only?.name ?? null);
  return { step: 'starting', resolution, job, picked: false };
}

function afterTask(state: FlowState, task: ScrapeTaskFields): FlowState {
  // An answer for another task than the one followed (an earlier attempt's) changes nothing.
  if (state.step === 'running' && state.task.id !== task.id) return state;
  if (state.step !== 'starting' && state.step !== 'running') return state;
  const scraping = scrapingOf(state);
  switch (task.state) {
    case 'QUEUED':
    case 'RUNNING':
      return { step: 'running', task, ...scraping };
    case 'FINISHED':
      return task.run
        ? { step: 'done', runId: task.run.id, picked: scraping.picked }
        : { step: 'failed', message: 'the task finished but its run is gone', ...scraping };
    case 'FAILED':
      return { step: 'failed', message: task.error ?? 'the task failed', ...scraping };
  }
}

/** A scrape that ended without a run: another job may be picked, or this one retried. */
function isSettled(
  state: FlowState,
): state is Extract<FlowState, { step: 'failed' | 'needs-token' }> {
  return state.step === 'failed' || state.step === 'needs-token';
}

function scrapingOf(state: Scraping): Scraping {
  return { resolution: state.resolution, job: state.job, picked: state.picked };
}
