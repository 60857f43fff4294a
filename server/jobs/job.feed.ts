import { Router } from 'express';
import type { AppDeps } from '../app.js';

/** Atom feed of a job's failed runs: `GET /feeds/jobs/:name/failures`. */
export function feedRoutes(_deps: AppDeps): Router {
  return Router();
}
