import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    "One dstat column while a test ran against the whole recording's baseline; flagged when " +
    'its robust z-score exceeds `resources.threshold`.',
})
export class ResourceColumn {
  @Field(() => String, { description: '`total_cpu_usage_wai`, `memory_usage_used`, …' })
  key!: string;

  @Field(() => Float, {
    nullable: true,
    description: 'Mean of the samples taken while the test ran; null when none was.',
  })
  during!: number | null;

  @Field(() => Int, { description: 'Samples taken while the test ran.' })
  samples!: number;

  @Field(() => Float, { nullable: true, description: 'Median over the recording.' })
  baseline!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: '1.4826 × the median absolute deviation (1.2533 × the mean one when that is 0).',
  })
  spread!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: '(during − baseline) / spread; null when the spread is 0 or a value unknown.',
  })
  score!: number | null;

  @Field(() => Boolean)
  flagged!: boolean;
}
