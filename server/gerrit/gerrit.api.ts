import type { DomainApi } from '../domain.js';
import { gerritEvent } from './gerrit.topics.js';

export const gerritApi: DomainApi<unknown> = {
  topics: [gerritEvent],
};
