import { Router } from 'express';
import type { Database } from '../db/orm.js';
import { ApiError, ErrorCode } from '../graphql/errors.js';
import { failingResults } from '../runs/outcome.js';
import { jobFailures, type JobFailure } from './job.service.js';

/** Entries of a feed: the job's newest failed runs. */
export const FEED_ENTRIES = 50;
/** Failing results read and listed per entry; the rest are counted. */
const TESTS_PER_ENTRY = 50;

/**
 * Atom 1.0 feed of a job's failed runs: `GET /feeds/jobs/:name/failures`, the newest
 * {@link FEED_ENTRIES}, each linking to its run page on this server. An unknown job is a
 * 404 with the app's JSON error body.
 */
export function feedRoutes(deps: { readonly db: Database }): Router {
  const router = Router();
  router.get('/feeds/jobs/:name/failures', async (req, res) => {
    const job = req.params.name;
    const found = await jobFailures(deps.db, job, FEED_ENTRIES, TESTS_PER_ENTRY);
    if (!found) throw new ApiError(ErrorCode.NOT_FOUND, `no job named "${job}"`);
    const base = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    res.type('application/atom+xml; charset=utf-8').send(
      atomFeed({
        base,
        job,
        // With no failed run, the feed is as recent as the job's newest run.
        updated: found.failures[0]?.run.runAt ?? found.newestRunAt,
        failures: found.failures,
      }),
    );
  });
  return router;
}

function atomFeed(feed: { base: string; job: string; updated: Date; failures: JobFailure[] }) {
  const self = `${feed.base}/feeds/jobs/${encodeURIComponent(feed.job)}/failures`;
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${text(self)}</id>`,
    `  <title>${text(`${feed.job}: failed runs`)}</title>`,
    `  <updated>${feed.updated.toISOString()}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${attribute(self)}"/>`,
    '  <author><name>gatewatch</name></author>',
    '  <generator>gatewatch</generator>',
  ];
  for (const { run, testIds, more } of feed.failures) {
    const failures = failingResults(run);
    const summary = [
      'Failing tests:',
      ...testIds,
      ...(more > 0 ? [`… and ${more} more failing results`] : []),
    ].join('\n');
    lines.push(
      '  <entry>',
      `    <id>urn:uuid:${text(run.id)}</id>`,
      `    <title>${text(`${feed.job}: ${failures} ${failures === 1 ? 'failure' : 'failures'}`)}</title>`,
      `    <updated>${run.runAt.toISOString()}</updated>`,
      `    <link rel="alternate" type="text/html" href="${attribute(`${feed.base}/runs/${encodeURIComponent(run.id)}`)}"/>`,
      `    <summary type="text">${text(summary)}</summary>`,
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}

/** Characters XML 1.0 cannot carry at all (controls, lone surrogates, U+FFFE/U+FFFF). */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function text(value: string): string {
  return value
    .replace(NOT_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function attribute(value: string): string {
  return text(value).replace(/"/g, '&quot;');
}
