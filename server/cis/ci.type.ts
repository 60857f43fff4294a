import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Connection } from '../graphql/pagination.js';
import { DateTime } from '../graphql/scalars.js';

@ObjectType({
  simpleResolvers: true,
  description: 'A CI system: a Gerrit account whose comments are CI results.',
})
export class CiSystem {
  rowId!: number;

  @Field(() => String, {
    description: "The CI's account: its username (`email:…` when Gerrit sent none).",
  })
  ci!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'The Gerrit server (as configured).' })
  server!: string;

  @Field(() => Boolean, { description: 'The trusted CI the others are compared with.' })
  upstream!: boolean;

  @Field(() => DateTime, { nullable: true })
  firstReportAt!: Date | null;

  @Field(() => DateTime, { nullable: true })
  lastReportAt!: Date | null;
}

@ObjectType({ simpleResolvers: true, description: 'One job line of a CI report.' })
export class CiBuild {
  rowId!: number;
  runId!: number | null;

  @Field(() => String)
  job!: string;

  @Field(() => String, { nullable: true })
  logUrl!: string | null;

  @Field(() => String, { description: 'SUCCESS, FAILURE, ERROR, … as the report wrote it.' })
  result!: string;

  @Field(() => String, { nullable: true, description: "Zuul v3's error detail." })
  detail!: string | null;

  @Field(() => Int, { nullable: true, description: 'Seconds.' })
  duration!: number | null;

  @Field(() => Boolean)
  voting!: boolean;
}

@ObjectType({
  simpleResolvers: true,
  description: "A CI's result on a patch set, parsed from its comment.",
})
export class CiReport {
  rowId!: number;
  ciId!: number;
  patchSetId!: number;

  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'The Gerrit project.' })
  project!: string;

  @Field(() => String, { nullable: true })
  pipeline!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'SUCCESS, FAILURE, UNSTABLE, MERGE_FAILED, DEPENDENCY_FAILED, ERROR; null when not said.',
  })
  verdict!: string | null;

  @Field(() => Int, { nullable: true, description: 'The Verified vote it carried.' })
  vote!: number | null;

  @Field(() => DateTime)
  createdAt!: Date;
}

@ObjectType()
export class CiReportConnection extends Connection(CiReport) {}

@InputType({ description: 'Which reports: every given condition must hold.' })
export class CiReportFilter {
  @Field(() => String, { nullable: true, description: "The CI's account." })
  ci?: string;

  @Field(() => String, { nullable: true })
  project?: string;

  @Field(() => String, { nullable: true, description: 'The Gerrit server.' })
  server?: string;

  @Field(() => String, { nullable: true })
  verdict?: string;

  @Field(() => DateTime, { nullable: true, description: 'Reports at or after this instant.' })
  since?: Date;

  @Field(() => DateTime, { nullable: true, description: 'Reports before this instant.' })
  until?: Date;
}

@ObjectType({
  simpleResolvers: true,
  description:
    "A CI's health over a window (see the README's definitions): reports, builds, unparsed comments, success rate, coverage of the eligible patch sets, missed ones.",
})
export class CiFigures {
  ciId!: number;

  @Field(() => String)
  ci!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  server!: string;

  @Field(() => Boolean)
  upstream!: boolean;

  @Field(() => Int)
  reports!: number;

  @Field(() => Int)
  builds!: number;

  @Field(() => Int)
  unparsed!: number;

  @Field(() => Float, { nullable: true, description: 'SUCCESS reports ÷ reports with a verdict.' })
  successRate!: number | null;

  @Field(() => Int, { description: 'Patch sets eligible in the projects it covers.' })
  eligible!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Eligible patch sets it reported on ÷ eligible (0–1).',
  })
  coverage!: number | null;

  @Field(() => Int)
  missed!: number;

  @Field(() => DateTime, { nullable: true })
  lastReport!: Date | null;
}
