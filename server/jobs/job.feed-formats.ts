/** The job feed written as Atom 1.0 and as RSS 2.0: the same entries, each format's fields. */
import { failingResults } from '../runs/outcome.js';
import type { JobFailure } from './job.service.js';

/** What both formats say: a job's failed runs, with the absolute URLs they link to. */
export interface JobFeed {
  readonly job: string;
  /** The feed's own URL in this format. */
  readonly self: string;
  /** The job's dashboard page. */
  readonly page: string;
  /** The run page of a run id. */
  runPage(id: string): string;
  /** The newest failed run's time, or the job's newest run's when none failed. */
  readonly updated: Date;
  readonly failures: readonly JobFailure[];
}

/** The feed as an Atom 1.0 document. */
export function atomFeed(feed: JobFeed): string {
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${text(feed.self)}</id>`,
    `  <title>${text(channelTitle(feed))}</title>`,
    `  <updated>${feed.updated.toISOString()}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${attribute(feed.self)}"/>`,
    '  <author><name>gatewatch</name></author>',
    '  <generator>gatewatch</generator>',
  ];
  for (const failure of feed.failures) {
    const { run } = failure;
    lines.push(
      '  <entry>',
      `    <id>urn:uuid:${text(run.id)}</id>`,
      `    <title>${text(entryTitle(feed.job, failure))}</title>`,
      `    <updated>${run.runAt.toISOString()}</updated>`,
      `    <link rel="alternate" type="text/html" href="${attribute(feed.runPage(run.id))}"/>`,
      `    <summary type="text">${text(entrySummary(failure))}</summary>`,
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}

/** The feed as an RSS 2.0 document (with Atom's `self` link, as feed validators ask). */
export function rssFeed(feed: JobFeed): string {
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    '  <channel>',
    `    <title>${text(channelTitle(feed))}</title>`,
    `    <link>${text(feed.page)}</link>`,
    `    <description>${text(`The newest failed runs of the job ${feed.job}`)}</description>`,
    `    <lastBuildDate>${feed.updated.toUTCString()}</lastBuildDate>`,
    '    <generator>gatewatch</generator>',
    `    <atom:link rel="self" type="application/rss+xml" href="${attribute(feed.self)}"/>`,
  ];
  for (const failure of feed.failures) {
    const { run } = failure;
    lines.push(
      '    <item>',
      `      <title>${text(entryTitle(feed.job, failure))}</title>`,
      `      <link>${text(feed.runPage(run.id))}</link>`,
      `      <guid isPermaLink="false">urn:uuid:${text(run.id)}</guid>`,
      `      <pubDate>${run.runAt.toUTCString()}</pubDate>`,
      `      <description>${text(entrySummary(failure))}</description>`,
      '    </item>',
    );
  }
  lines.push('  </channel>', '</rss>', '');
  return lines.join('\n');
}

function channelTitle(feed: JobFeed): string {
  return `${feed.job}: failed runs`;
}

function entryTitle(job: string, { run }: JobFailure): string {
  const failures = failingResults(run);
  return `${job}: ${failures} ${failures === 1 ? 'failure' : 'failures'}`;
}

function entrySummary({ testIds, more }: JobFailure): string {
  return [
    'Failing tests:',
    ...testIds,
    ...(more > 0 ? [`… and ${more} more failing results`] : []),
  ].join('\n');
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
