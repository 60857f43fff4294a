/** The GraphQL types of one test's history: buckets, duration statistics, jobs, filters. */
import { ArgsType, Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import { TestStatus } from '../runs/result.type.js';
import { DateTime } from '../graphql/scalars.js';

@ArgsType()
export class TestWindowArgs {
  @Field(() => DateTime, {
    nullable: true,
    description: 'Only results of runs at or after this instant.',
  })
  since?: Date;

  @Field(() => DateTime, {
    nullable: true,
    description: 'Only results of runs before this instant.',
  })
  until?: Date;

  @Field(() => String, { nullable: true, description: 'Only results of runs of this job.' })
  job?: string;
}

@ObjectType({
  description:
    "A test's results in one time bucket. Results are attempts: a retried test counts each.",
})
export class TestBucket {
  @Field(() => DateTime, { description: 'The start of the bucket (UTC).' })
  start!: Date;

  @Field(() => Int, { description: 'Results, counting retries and incomplete ones.' })
  runs!: number;

  @Field(() => Int, { description: 'success + xfail' })
  successes!: number;

  @Field(() => Int, { description: 'fail + uxsuccess' })
  failures!: number;

  @Field(() => Int)
  skips!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'failures / (successes + failures); null when there are neither.',
  })
  failureRate!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'Seconds summed over `success` results divided by `successes`, as `Test.meanDuration`; null when no success.',
  })
  meanDuration!: number | null;
}

@ObjectType({
  description:
    "Durations, in seconds, of a test's `success` results that have one. Percentiles are nearest-rank: the p-th is the value of rank ⌈p/100 × count⌉ in ascending order.",
})
export class DurationStats {
  @Field(() => Int, { description: 'How many results the statistics cover.' })
  count!: number;

  @Field(() => Float, { nullable: true })
  mean!: number | null;

  @Field(() => Float, { nullable: true })
  min!: number | null;

  @Field(() => Float, { nullable: true })
  max!: number | null;

  @Field(() => Float, { nullable: true, description: 'The median (nearest-rank).' })
  p50!: number | null;

  @Field(() => Float, { nullable: true, description: 'The 95th percentile (nearest-rank).' })
  p95!: number | null;
}

@ObjectType({ description: "A job a test ran in, with the test's results there." })
export class TestJob {
  @Field(() => String, {
    nullable: true,
    description: 'The job (`build_name`); null for runs without one.',
  })
  name!: string | null;

  @Field(() => Int, { description: 'Results, counting retries and incomplete ones.' })
  runs!: number;

  @Field(() => Int, { description: 'success + xfail' })
  successes!: number;

  @Field(() => Int, { description: 'fail + uxsuccess' })
  failures!: number;

  @Field(() => Int)
  skips!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'failures / (successes + failures); null when there are neither.',
  })
  failureRate!: number | null;
}

@InputType({ description: "Which of a test's results: every given condition must hold." })
export class TestResultFilter {
  @Field(() => [TestStatus], { nullable: true, description: 'Any of these statuses.' })
  status?: TestStatus[];

  @Field(() => String, { nullable: true, description: 'Results of runs of this job.' })
  job?: string;

  @Field(() => DateTime, { nullable: true, description: 'Results of runs at or after this.' })
  since?: Date;

  @Field(() => DateTime, { nullable: true, description: 'Results of runs before this.' })
  until?: Date;
}
