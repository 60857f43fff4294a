import { Artifact } from './artifact.entity.js';
import { ArtifactChunk } from './artifact-chunk.entity.js';
import { Attachment } from './attachment.entity.js';
import { Dstat } from './dstat.entity.js';
import { DstatSeries } from './dstat-series.entity.js';
import { JobDaily } from './job-daily.entity.js';
import { Run } from './run.entity.js';
import { RunMetadata } from './run-metadata.entity.js';
import { Test } from './test.entity.js';
import { TestDaily } from './test-daily.entity.js';
import { TestResult } from './test-result.entity.js';
import { Token } from './token.entity.js';

export {
  Artifact,
  ArtifactChunk,
  Attachment,
  Dstat,
  DstatSeries,
  JobDaily,
  Run,
  RunMetadata,
  Test,
  TestDaily,
  TestResult,
  Token,
};

export const entities = [
  Run,
  RunMetadata,
  Test,
  TestResult,
  Attachment,
  Artifact,
  ArtifactChunk,
  Dstat,
  DstatSeries,
  TestDaily,
  JobDaily,
  Token,
];
