import type { DomainApi } from '../domain.js';
import { ciReport } from './ci.topics.js';

export const cisApi: DomainApi<unknown> = {
  topics: [ciReport],
};
