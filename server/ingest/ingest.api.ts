import type { DomainApi } from '../domain.js';
import { uploadRoutes, type UploadDeps } from './ingest.routes.js';

export const ingestApi: DomainApi<UploadDeps> = { routes: uploadRoutes };
