import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Connection } from '../graphql/pagination.js';
import { DateTime } from '../graphql/scalars.js';
import type { FailedTest } from '../jobs/job.type.js';
import type { TimeWindow } from '../jobs/series.service.js';
import type { Resolution } from '../graphql/resolution.js';
import { RunOutcomes, type RunBucket } from '../jobs/series.type.js';

@ObjectType({
  description:
    'The runs sharing one value of a metadata key (a project, a branch…), counted over the ' +
    'runs matching the filter the groups were asked with.',
})
export class Group extends RunOutcomes {
  @Field(() => String)
  key!: string;

  @Field(() => String)
  value!: string;

  @Field(() => Int)
  runCount!: number;

  @Field(() => DateTime, { nullable: true })
  lastRunAt!: Date | null;

  /** Its buckets over a window, loaded with the other groups of the same page. */
  seriesFor!: (resolution: Resolution, window: TimeWindow) => Promise<RunBucket[]>;

  /** The tests failing in its newest failed runs, loaded with the other groups of the page. */
  failedTestsFor!: (lastRuns: number) => Promise<FailedTest[]>;
}

@ObjectType({
  description:
    'The runs matching the filter that lack the key (or the job): the group the others leave ' +
    'out, shown as "(none)".',
})
export class UngroupedRuns extends RunOutcomes {
  // Named as Group's field; the value is the service's RunTotals as it is.
  @Field(() => Int, { name: 'runCount' })
  runs!: number;

  @Field(() => DateTime, { nullable: true })
  lastRunAt!: Date | null;
}

@ObjectType()
export class GroupConnection extends Connection(Group) {
  @Field(() => UngroupedRuns, {
    nullable: true,
    description:
      'The runs matching the filter that lack the key, on every page; null when none does. ' +
      'With the groups, they add up to every run matching the filter.',
  })
  withoutKey!: Promise<UngroupedRuns | null>;
}

@ObjectType({ description: 'How recent the newest data is: tells a stalled collector.' })
export class Freshness {
  @Field(() => DateTime, { nullable: true, description: 'The newest run; null when none.' })
  newestRunAt!: Date | null;

  @Field(() => Float, { nullable: true, description: 'Seconds from newestRunAt to now.' })
  ageSeconds!: number | null;
}
