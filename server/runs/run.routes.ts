import { Router } from 'express';
import type { AppDeps } from '../app.js';

/** Upload (`POST /api/runs`), export (`GET /api/runs/:id/subunit`) and raw artifacts. */
export function runRoutes(_deps: AppDeps): Router {
  return Router();
}
