import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Connection } from '../graphql/pagination.js';

@ObjectType({
  simpleResolvers: true,
  description: 'A test, known by its id without attributes, over every run.',
})
export class Test {
  rowId!: number;

  @Field(() => ID, { description: 'The test id.' })
  id!: string;

  @Field(() => String)
  testId!: string;

  @Field(() => Int, { description: 'Results, counting retries.' })
  runs!: number;

  @Field(() => Int, { description: 'success + xfail' })
  successes!: number;

  @Field(() => Int, { description: 'fail + uxsuccess' })
  failures!: number;

  @Field(() => Int)
  skips!: number;

  /** failures / (successes + failures) over every result; the field is TestResolver's. */
  failureRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'Mean seconds of successful results.' })
  meanDuration!: number | null;
}

@ObjectType()
export class TestConnection extends Connection(Test) {}

@InputType({
  description:
    'Which tests: by test id prefix and/or substring, both literal (no wildcards) and case-sensitive.',
})
export class TestFilter {
  @Field(() => String, { nullable: true, description: 'The test id starts with this.' })
  prefix?: string;

  @Field(() => String, { nullable: true, description: 'The test id contains this.' })
  contains?: string;
}
