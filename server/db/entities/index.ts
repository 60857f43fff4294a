import { CiBuild } from './ci-build.entity.js';
import { CiJobDay } from './ci-job-day.entity.js';
import { CiReport } from './ci-report.entity.js';
import { CiSystem } from './ci-system.entity.js';
import { GerritAccount } from './gerrit-account.entity.js';
import { GerritChange } from './gerrit-change.entity.js';
import { GerritComment } from './gerrit-comment.entity.js';
import { GerritLease } from './gerrit-lease.entity.js';
import { GerritPatchSet } from './gerrit-patch-set.entity.js';
import { GerritProject } from './gerrit-project.entity.js';
import { GerritServer } from './gerrit-server.entity.js';
import { GerritStateChange } from './gerrit-state-change.entity.js';
import { InsightDelivery } from './insight-delivery.entity.js';
import { InsightEvent } from './insight-event.entity.js';
import { FlakyTransition } from './flaky-transition.entity.js';
import { FlakyVerdict } from './flaky-verdict.entity.js';
import { KnownIssueRule } from './known-issue-rule.entity.js';
import { ResultSignature } from './result-signature.entity.js';
import { RuleHit } from './rule-hit.entity.js';
import { RunLogKey } from './run-log-key.entity.js';
import { ScrapeTask } from './scrape-task.entity.js';
import { Signature } from './signature.entity.js';
import { SignatureDaily } from './signature-daily.entity.js';
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
  CiBuild,
  CiJobDay,
  CiReport,
  CiSystem,
  GerritAccount,
  GerritChange,
  GerritComment,
  GerritLease,
  GerritPatchSet,
  GerritProject,
  GerritServer,
  GerritStateChange,
  InsightDelivery,
  InsightEvent,
  FlakyVerdict,
  FlakyTransition,
  KnownIssueRule,
  ResultSignature,
  RuleHit,
  RunLogKey,
  ScrapeTask,
  Signature,
  SignatureDaily,
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
  GerritServer,
  GerritProject,
  GerritAccount,
  GerritChange,
  GerritPatchSet,
  GerritStateChange,
  GerritComment,
  CiSystem,
  CiReport,
  CiBuild,
  CiJobDay,
  GerritLease,
  RunLogKey,
  ScrapeTask,
  InsightEvent,
  FlakyVerdict,
  FlakyTransition,
  InsightDelivery,
  Signature,
  ResultSignature,
  SignatureDaily,
  KnownIssueRule,
  RuleHit,
];
