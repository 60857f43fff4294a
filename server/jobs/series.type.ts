/** GraphQL types of run aggregations shared by jobs, groups and the home page. */
import { ArgsType, Field, Float, Int, ObjectType } from 'type-graphql';
import { DateTime } from '../graphql/scalars.js';

@ArgsType()
export class WindowArgs {
  @Field(() => DateTime, { nullable: true, description: 'Runs at or after this instant.' })
  since?: Date;

  @Field(() => DateTime, { nullable: true, description: 'Runs before this instant.' })
  until?: Date;
}

/**
 * How a set of runs ended (openstack-health's rule, see server/db/sql.ts). Abstract and never
 * referenced: its fields appear in the types that extend it.
 */
@ObjectType()
export abstract class RunOutcomes {
  @Field(() => Int)
  passedRuns!: number;

  @Field(() => Int)
  failedRuns!: number;

  @Field(() => Int)
  skippedRuns!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'failedRuns / (passedRuns + failedRuns); null when both are 0.',
  })
  failureRate!: number | null;
}

@ObjectType({
  description:
    'The runs of one time bucket. Test figures count results: passes are success + xfail, ' +
    'failures fail + uxsuccess.',
})
export class RunBucket extends RunOutcomes {
  @Field(() => DateTime, { description: 'Where the bucket starts (UTC).' })
  start!: Date;

  @Field(() => Int)
  runs!: number;

  @Field(() => Int)
  testPasses!: number;

  @Field(() => Int)
  testFailures!: number;

  @Field(() => Int)
  testSkips!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'testFailures / (testPasses + testFailures); null when both are 0.',
  })
  testFailureRate!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Mean wall time of the runs that have one, seconds.',
  })
  meanWallTime!: number | null;
}

@ObjectType({ description: 'The buckets of one group of runs.' })
export class GroupSeries {
  @Field(() => String, {
    nullable: true,
    description: 'The group: null when not grouped, or for the runs lacking the key.',
  })
  value!: string | null;

  @Field(() => [RunBucket], {
    description: 'Oldest first; buckets without runs are left out, not given as zeros.',
  })
  buckets!: RunBucket[];
}
