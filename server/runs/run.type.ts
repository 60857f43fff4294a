import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../graphql/pagination.js';
import { DateTime } from '../graphql/scalars.js';
import { maxMetadataFilters } from './run-limits.js';

/**
 * openstack-health's rule, made strict as stestr is: failed if any test failed, never ended
 * or a packet was damaged; else passed if any passed; else skipped (server/runs/outcome.ts).
 */
export enum RunStatus {
  PASSED = 'passed',
  FAILED = 'failed',
  SKIPPED = 'skipped',
}
registerEnumType(RunStatus, {
  name: 'RunStatus',
  valuesConfig: {
    PASSED: { description: 'No failing or incomplete result, no parse error, one passing.' },
    FAILED: {
      description:
        'A failing result (fail, uxsuccess), an incomplete one (`incomplete` > 0: a worker ' +
        'died mid-test) or damaged packets (`parseErrors` > 0).',
    },
    SKIPPED: { description: 'Neither: every result skipped, or none at all.' },
  },
});

@ObjectType({
  simpleResolvers: true,
  description: 'A key/value pair describing a run (`build_name`, `project`, …).',
})
export class RunMetadata {
  @Field(() => String)
  key!: string;

  @Field(() => String)
  value!: string;
}

@ObjectType({
  simpleResolvers: true,
  description: 'The results of one subunit stream, with its metadata.',
})
export class Run {
  /** The database key; never exposed (runs are known by uuid). */
  rowId!: number;

  @Field(() => ID, { description: 'The run uuid.' })
  id!: string;

  @Field(() => DateTime, { description: "The first test's start, else when it was ingested." })
  runAt!: Date;

  @Field(() => DateTime)
  ingestedAt!: Date;

  @Field(() => String, { nullable: true, description: 'The job: the `build_name` metadata.' })
  buildName!: string | null;

  @Field(() => RunStatus)
  status!: RunStatus;

  @Field(() => String, { description: '`v1` or `v2`.' })
  format!: string;

  @Field(() => Int, { description: 'Results stored (attempts, counting retries).' })
  tests!: number;

  @Field(() => Int)
  passes!: number;

  @Field(() => Int)
  failures!: number;

  @Field(() => Int)
  skips!: number;

  @Field(() => Int)
  xfails!: number;

  @Field(() => Int)
  uxsuccesses!: number;

  @Field(() => Int)
  incomplete!: number;

  @Field(() => Int)
  parseErrors!: number;

  @Field(() => Int, { description: 'Distinct workers that ran tests.' })
  workers!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Seconds from the first start to the last stop.',
  })
  wallTime!: number | null;

  @Field(() => Float, { description: "Sum of every result's duration, seconds." })
  summedTime!: number;

  @Field(() => String, { nullable: true, description: "Where the run's logs live." })
  artifactsUrl!: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'The Gerrit change number: the `build_change` metadata, when a number.',
  })
  change!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'The patch set number: the `build_patchset` metadata, when a number.',
  })
  patchset!: number | null;

  @Field(() => String, { nullable: true, description: 'The CI build: the `build_uuid` metadata.' })
  buildUuid!: string | null;

  @Field(() => String, { nullable: true, description: 'The project: the `project` metadata.' })
  project!: string | null;

  @Field(() => String, { nullable: true, description: 'The pipeline: the `build_queue` metadata.' })
  pipeline!: string | null;

  @Field(() => String, { nullable: true, description: 'The branch: the `build_branch` metadata.' })
  branch!: string | null;
}

@ObjectType()
export class RunConnection extends Connection(Run) {}

@InputType({ description: 'A metadata pair a run must have.' })
export class MetadataFilter {
  @Field(() => String)
  key!: string;

  @Field(() => String)
  value!: string;
}

@InputType({ description: 'Which runs: every given condition must hold.' })
export class RunFilter {
  @Field(() => String, { nullable: true, description: 'The job (`build_name`).' })
  job?: string;

  @Field(() => DateTime, { nullable: true, description: 'Runs at or after this instant.' })
  since?: Date;

  @Field(() => DateTime, { nullable: true, description: 'Runs before this instant.' })
  until?: Date;

  @Field(() => [MetadataFilter], {
    nullable: true,
    description: `Metadata pairs a run must all have; at most ${maxMetadataFilters}.`,
  })
  metadata?: MetadataFilter[];

  @Field(() => RunStatus, { nullable: true })
  status?: RunStatus;
}
