import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import { DateTime } from '../../graphql/scalars.js';
import { Connection } from '../../graphql/pagination.js';

@ObjectType({
  description:
    "A test's successful durations (seconds) over a window: what a scheduler or a page needs.",
})
export class TestTiming {
  @Field(() => String, { description: 'The test id, without attributes.' })
  testId!: string;

  @Field(() => Int, { description: '`success` results with a duration in the window.' })
  count!: number;

  @Field(() => Float)
  mean!: number;

  @Field(() => Float, { description: 'The median (nearest rank).' })
  p50!: number;

  @Field(() => Float, { description: 'The 95th percentile (nearest rank).' })
  p95!: number;
}

@ObjectType()
export class TestTimingConnection extends Connection(TestTiming) {}

@InputType({ description: 'Which results `testTimings` covers; every given condition holds.' })
export class TestTimingsFilter {
  @Field(() => String, { nullable: true, description: 'Only runs of this job (`build_name`).' })
  job?: string;

  @Field(() => DateTime, {
    nullable: true,
    description: 'Only runs at or after this instant (default: `timings.window` back from now).',
  })
  since?: Date;

  @Field(() => String, {
    nullable: true,
    description: 'Only tests whose id starts with this text (case-sensitive).',
  })
  testIdPrefix?: string;
}
