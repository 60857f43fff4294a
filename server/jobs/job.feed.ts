import { Router, type Request } from 'express';
import type { Config } from '../config/config.js';
import type { Database } from '../db/orm.js';
import { ApiError, ErrorCode } from '../graphql/errors.js';
import { publicBaseUrl } from '../http/base-url.js';
import { atomFeed, rssFeed, type JobFeed } from './job.feed-formats.js';
import { jobFailures } from './job.service.js';

/** Entries of a feed: the job's newest failed runs. */
export const FEED_ENTRIES = 50;
/** Failing results read and listed per entry; the rest are counted. */
const TESTS_PER_ENTRY = 50;

/** The feed formats, by the suffix of their path. */
const FORMATS = [
  { suffix: '', type: 'application/atom+xml', write: atomFeed },
  { suffix: '.rss', type: 'application/rss+xml', write: rssFeed },
] as const;

/** What the feeds read: the database, and the settings their links follow. */
export interface FeedDeps {
  readonly db: Database;
  readonly config: Config;
}

/**
 * A job's failed runs, the newest {@link FEED_ENTRIES}, each linking to its run page:
 * `GET /feeds/jobs/:name/failures` (Atom 1.0) and `…/failures.rss` (RSS 2.0). Links are
 * absolute, under `server.baseUrl` when set, else the request's own (or a trusted proxy's)
 * protocol and host. An unknown job is a 404 with the app's JSON error body.
 */
export function feedRoutes(deps: FeedDeps): Router {
  const router = Router();
  for (const format of FORMATS) {
    router.get(`/feeds/jobs/:name/failures${format.suffix}`, async (req, res) => {
      const job = req.params.name;
      const found = await jobFailures(deps.db, job, FEED_ENTRIES, TESTS_PER_ENTRY);
      if (!found) throw new ApiError(ErrorCode.NOT_FOUND, `no job named "${job}"`);
      const feed: JobFeed = {
        ...links(req, deps.config, job, format.suffix),
        job,
        // With no failed run, the feed is as recent as the job's newest run.
        updated: found.failures[0]?.run.runAt ?? found.newestRunAt,
        failures: found.failures,
      };
      res.type(`${format.type}; charset=utf-8`).send(format.write(feed));
    });
  }
  return router;
}

function links(req: Request, config: Config, job: string, suffix: string) {
  const base = publicBaseUrl(req, config.server.baseUrl);
  const name = encodeURIComponent(job);
  return {
    self: `${base}/feeds/jobs/${name}/failures${suffix}`,
    page: `${base}/jobs/${name}`,
    runPage: (id: string) => `${base}/runs/${encodeURIComponent(id)}`,
  };
}
