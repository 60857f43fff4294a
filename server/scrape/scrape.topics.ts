import { topic } from '../graphql/pubsub.js';
import type { Task } from './tasks.js';

/** A scrape task as written, in plain JSON (times as ISO strings): each change of it is one. */
export type ScrapeTaskEvent = Omit<Task, 'createdAt' | 'updatedAt'> & {
  readonly createdAt: string;
  readonly updatedAt: string;
};

export const scrapeTaskChanged = topic<ScrapeTaskEvent>('scrape-task');

export function eventOf(task: Task): ScrapeTaskEvent {
  return {
    ...task,
    createdAt: task.createdAt.toISOString(),
    updatedAt: task.updatedAt.toISOString(),
  };
}

export function taskOfEvent(event: ScrapeTaskEvent): Task {
  return { ...event, createdAt: new Date(event.createdAt), updatedAt: new Date(event.updatedAt) };
}
