import type { DomainApi } from '../domain.js';
import { GroupResolver } from './group.resolver.js';

export const groupsApi: DomainApi<unknown> = { resolvers: [GroupResolver] };
