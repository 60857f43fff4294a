import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../graphql/pagination.js';
import { DateTime } from '../graphql/scalars.js';
import { TestResult } from '../runs/result.type.js';
import { Run } from '../runs/run.type.js';
import type { RunTotals, TimeWindow } from './series.service.js';
import type { Resolution } from '../graphql/resolution.js';
import type { RunBucket } from './series.type.js';

@ObjectType({
  description:
    'A CI job: the runs sharing a `build_name`. Its figures cover the window it was asked ' +
    'for (`jobs(filter)`; all time from `job`) unless a field is given its own since/until.',
})
export class Job {
  @Field(() => String)
  name!: string;

  /** The window the job was asked for: what its fields cover by default. */
  window!: TimeWindow;

  /** Its run totals over a window, loaded with the other jobs of the same page. */
  totalsFor!: (window: TimeWindow) => Promise<RunTotals>;

  /** Its buckets over a window, loaded with the other jobs of the same page. */
  seriesFor!: (resolution: Resolution, window: TimeWindow) => Promise<RunBucket[]>;
}

@ObjectType()
export class JobConnection extends Connection(Job) {}

@InputType({ description: 'Which jobs: those with runs in the window, by name.' })
export class JobFilter {
  @Field(() => String, {
    nullable: true,
    description: 'Jobs whose name holds this text (case-insensitive for ASCII).',
  })
  nameContains?: string;

  @Field(() => DateTime, { nullable: true, description: 'Runs at or after this instant.' })
  since?: Date;

  @Field(() => DateTime, { nullable: true, description: 'Runs before this instant.' })
  until?: Date;
}

/** How a job's tests are ranked; ties go by test id. */
export enum JobTestOrder {
  FAILURES = 'failures',
  FAILURE_RATE = 'failure_rate',
  MEAN_DURATION = 'mean_duration',
  TEST_ID = 'test_id',
  RUNS = 'runs',
  PASSES = 'passes',
  SKIPS = 'skips',
}
registerEnumType(JobTestOrder, {
  name: 'JobTestOrder',
  description:
    'Most first, except TEST_ID (byte order), unless reversed by `direction`; a null rate or ' +
    'duration ranks last either way.',
  valuesConfig: {
    FAILURES: { description: 'Failed results.' },
    FAILURE_RATE: { description: 'failures / (passes + failures).' },
    MEAN_DURATION: { description: 'Mean seconds of successful results.' },
    TEST_ID: { description: 'Test id, ascending.' },
    RUNS: { description: 'Results, counting retries.' },
    PASSES: { description: 'Passing results (success + xfail).' },
    SKIPS: { description: 'Skipped results.' },
  },
});

@ObjectType({ description: "One test's results in one job's runs, from the daily rollups." })
export class JobTest {
  testRowId!: number;

  @Field(() => Int, { description: 'Results, counting retries.' })
  runs!: number;

  @Field(() => Int, { description: 'success + xfail' })
  passes!: number;

  @Field(() => Int, { description: 'fail + uxsuccess' })
  failures!: number;

  @Field(() => Int)
  skips!: number;

  @Field(() => Float, { nullable: true, description: 'failures / (passes + failures).' })
  failureRate!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Seconds of successful results over passes, as `Test.meanDuration`.',
  })
  meanDuration!: number | null;
}

@ObjectType()
export class JobTestConnection extends Connection(JobTest) {}

@ObjectType({
  description:
    "A run's wall time beside the rolling mean and population standard deviation of the " +
    'last `window` runs of its job that have a wall time, this one included.',
})
export class RunTimePoint {
  @Field(() => Run)
  run!: Run;

  @Field(() => DateTime)
  runAt!: Date;

  @Field(() => Float, { description: 'Seconds.' })
  wallTime!: number;

  @Field(() => Int, {
    description: 'Runs the rolling figures cover: fewer than `window` early on.',
  })
  samples!: number;

  @Field(() => Float)
  rollingMean!: number;

  @Field(() => Float)
  rollingStdDev!: number;

  @Field(() => Float, { description: 'rollingMean + 2 × rollingStdDev.' })
  upper!: number;

  @Field(() => Float, { description: 'rollingMean − 2 × rollingStdDev.' })
  lower!: number;
}

@ObjectType({ description: 'A test that failed in some of the last failed runs.' })
export class FailedTest {
  testRowId!: number;

  @Field(() => Int, { description: 'Of those runs, how many it failed in (fail or uxsuccess).' })
  failures!: number;

  @Field(() => TestResult, { description: 'Its newest failing result among those runs.' })
  lastFailure!: TestResult;
}
