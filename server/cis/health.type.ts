/**
 * The CI health views of a window (README "CI health figures"): the matrix of a project, the
 * record of one CI, who has CI per project. Patch sets appear here by row id only; the Gerrit
 * domain adds their `patchSet` fields (cis never imports gerrit).
 */
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Connection } from '../graphql/pagination.js';
import { DateTime } from '../graphql/scalars.js';
import { CiFigures, CiReport, CiSystem } from './ci.type.js';

@ObjectType({
  simpleResolvers: true,
  description: "One CI's result on one patch set of the matrix.",
})
export class CiMatrixCell {
  ciId!: number;

  @Field(() => String, { description: "The CI's account (the column)." })
  ci!: string;

  @Field(() => Int, { description: 'Its reports on the patch set (more than one after rechecks).' })
  reports!: number;

  @Field(() => CiReport, {
    nullable: true,
    description: 'Its newest report on the patch set; null when it did not report.',
  })
  latest!: CiReport | null;
}

@ObjectType({
  simpleResolvers: true,
  description: 'A patch set of the matrix and one cell per CI.',
})
export class CiMatrixRow {
  patchSetId!: number;

  @Field(() => [CiMatrixCell], { description: "One per CI of the matrix's `cis`, in that order." })
  cells!: CiMatrixCell[];
}

@ObjectType()
export class CiMatrixRowConnection extends Connection(CiMatrixRow) {}

@ObjectType({
  simpleResolvers: true,
  description:
    "A project's recent patch sets × the CI systems that report on it, as CI Watch drew it.",
})
export class CiMatrix {
  @Field(() => String)
  project!: string;

  @Field(() => DateTime)
  since!: Date;

  @Field(() => DateTime)
  until!: Date;

  @Field(() => [CiSystem], {
    description:
      'The columns: the CIs asked for, else every CI that reported on the project in the window; upstream first, then by name.',
  })
  cis!: CiSystem[];

  @Field(() => CiMatrixRowConnection, {
    description: 'The rows: patch sets created in the window, newest first.',
  })
  rows!: CiMatrixRowConnection;
}

@ObjectType({ simpleResolvers: true, description: 'Patch set created → first report, in seconds.' })
export class CiLatency {
  @Field(() => Int, { description: 'Patch sets measured (those it reported on in the window).' })
  patchSets!: number;

  @Field(() => Float, { nullable: true, description: 'Seconds; nearest rank (the ⌈n/2⌉-th).' })
  median!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Seconds; nearest rank (the ⌈0.95·n⌉-th).',
  })
  p95!: number | null;
}

@ObjectType({ simpleResolvers: true, description: "A CI's reports in one time bucket." })
export class CiReportBucket {
  @Field(() => DateTime)
  start!: Date;

  @Field(() => Int)
  reports!: number;

  @Field(() => Int, { description: 'Reports whose verdict is SUCCESS.' })
  successes!: number;

  @Field(() => Int, { description: 'Reports with a verdict other than SUCCESS.' })
  failures!: number;
}

@ObjectType({
  simpleResolvers: true,
  description:
    "A CI against the upstream CI on the patch sets both reported on in the window (each one's newest report there).",
})
export class CiAgreement {
  upstreamId!: number;

  @Field(() => Int, {
    description: 'Patch sets both passed or failed (the sum of the four counts).',
  })
  patchSets!: number;

  @Field(() => Int)
  bothPassed!: number;

  @Field(() => Int)
  bothFailed!: number;

  @Field(() => Int, { description: 'It failed where upstream passed.' })
  failedWhereUpstreamPassed!: number;

  @Field(() => Int, { description: 'It passed where upstream failed.' })
  passedWhereUpstreamFailed!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Disagreements ÷ patch sets (what ci-status showed); null with none.',
  })
  disagreementRate!: number | null;
}

@ObjectType({ simpleResolvers: true, description: 'One job of a CI over the window.' })
export class CiJobRecord {
  @Field(() => String)
  job!: string;

  @Field(() => Int, { description: 'Its builds (job lines) in the window.' })
  builds!: number;

  @Field(() => Int, {
    description:
      'Builds whose result is neither SUCCESS nor a non-result (SKIPPED, NOT_BUILT, CANCELED, ABORTED).',
  })
  failures!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Failures ÷ builds with a result; null with none.',
  })
  failureRate!: number | null;

  @Field(() => Int, {
    description:
      'Pass↔fail changes between consecutive patch sets of the same change (each patch set by its newest build of the job).',
  })
  flips!: number;

  @Field(() => String, { nullable: true, description: 'Its newest build’s result.' })
  lastResult!: string | null;

  @Field(() => DateTime, { nullable: true, description: 'Its newest build’s report time.' })
  lastAt!: Date | null;
}

@ObjectType({
  simpleResolvers: true,
  description: 'An eligible patch set the CI did not report on.',
})
export class CiMissedPatchSet {
  patchSetId!: number;

  @Field(() => DateTime)
  createdAt!: Date;
}

@ObjectType()
export class CiMissedPatchSetConnection extends Connection(CiMissedPatchSet) {}

@ObjectType({ simpleResolvers: true, description: "One CI's record over a window." })
export class CiRecord {
  // The parts are promises: each is computed only when a query asks for it.
  ciId!: number;

  @Field(() => CiSystem)
  ci!: CiSystem;

  @Field(() => DateTime)
  since!: Date;

  @Field(() => DateTime)
  until!: Date;

  @Field(() => CiFigures)
  figures!: Promise<CiFigures>;

  @Field(() => CiLatency)
  latency!: Promise<CiLatency>;

  @Field(() => CiAgreement, {
    nullable: true,
    description: 'Null for the upstream CI itself, or when its server has no upstream CI.',
  })
  agreement!: Promise<CiAgreement | null>;

  @Field(() => [CiJobRecord], {
    description:
      'Unstable first: flips, then failure rate, descending, then by name; at most 1,000.',
  })
  jobs!: Promise<CiJobRecord[]>;
}

@ObjectType({ simpleResolvers: true, description: "A CI's place in a project over a window." })
export class ProjectCiEntry {
  ciId!: number;

  @Field(() => CiSystem)
  ci!: CiSystem;

  @Field(() => Int)
  reports!: number;

  @Field(() => Float, { nullable: true, description: 'As in CiFigures, within this project.' })
  coverage!: number | null;

  @Field(() => DateTime, { nullable: true })
  lastReport!: Date | null;
}

@ObjectType({ simpleResolvers: true, description: 'Who has CI on a project.' })
export class ProjectCi {
  @Field(() => String)
  project!: string;

  @Field(() => String)
  server!: string;

  @Field(() => Int, { description: 'Patch sets created in the window.' })
  patchSets!: number;

  @Field(() => [ProjectCiEntry], {
    description: 'Every CI that reported in the window, upstream first, then by name.',
  })
  cis!: ProjectCiEntry[];

  @Field(() => [ProjectCiEntry], {
    description:
      'The CIs that reported in the window of the same length before it and not in this one.',
  })
  stopped!: ProjectCiEntry[];
}
