import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Connection } from '../graphql/pagination.js';

@ObjectType({ description: 'A test, known by its id without attributes, over every run.' })
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

  @Field(() => Float, { nullable: true, description: 'failures / (successes + failures).' })
  failureRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'Mean seconds of successful results.' })
  meanDuration!: number | null;
}

@ObjectType()
export class TestConnection extends Connection(Test) {}

@InputType({ description: 'Which tests: by test id prefix and/or substring.' })
export class TestFilter {
  @Field(() => String, { nullable: true })
  prefix?: string;

  @Field(() => String, { nullable: true })
  contains?: string;
}
