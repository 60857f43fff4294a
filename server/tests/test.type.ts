import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { MAX_TEST_ID_FILTER } from '../db/test-id-filter.js';
import { Connection } from '../graphql/pagination.js';
import {
  MAX_TRACEBACK_SEARCH,
  RECENT_FAILURES_SEARCHED,
  TRACEBACK_TAIL_BYTES,
} from './traceback-search.js';

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
    'Which tests: every given condition holds. Test id texts are case-sensitive, at most ' +
    `${MAX_TEST_ID_FILTER} characters.`,
})
export class TestFilter {
  @Field(() => String, {
    nullable: true,
    description: 'The test id starts with this, literally (no wildcards).',
  })
  prefix?: string;

  @Field(() => String, {
    nullable: true,
    description: 'The test id contains this, literally (no wildcards).',
  })
  contains?: string;

  @Field(() => String, {
    nullable: true,
    description:
      'A regular expression the test id matches somewhere (anchor it with ^ and $): ' +
      '. [...] [^...] (...) | * + ? {m,n} ^ $ \\d \\w \\s \\b (and \\D \\W \\S), \\xHH and the ' +
      'metacharacters escaped (\\. \\( …), at most two {m,n} with bounds up to 100; no (?...) ' +
      'groups, backreferences, POSIX classes or other escapes.',
  })
  matches?: string;

  @Field(() => String, {
    nullable: true,
    description:
      `Among the ${RECENT_FAILURES_SEARCHED} newest failing results (of every test, or of the ` +
      "job's tests), one of the test's has a traceback holding this text, case-sensitively; " +
      `the last ${TRACEBACK_TAIL_BYTES / 1024} KiB of each traceback are searched, and the ` +
      `text is at most ${MAX_TRACEBACK_SEARCH} characters.`,
  })
  tracebackContains?: string;
}

/** How a list of tests is ranked; ties go by test id. */
export enum TestOrder {
  FAILURES = 'failures',
  FAILURE_RATE = 'failure_rate',
  MEAN_DURATION = 'mean_duration',
  RUNS = 'runs',
  PASSES = 'passes',
  SKIPS = 'skips',
  TEST_ID = 'test_id',
}
registerEnumType(TestOrder, {
  name: 'TestOrder',
  description:
    'What tests are ranked by; ties by test id ascending. A null rate or duration ranks last in either direction.',
  valuesConfig: {
    FAILURES: { description: 'Failing results (fail + uxsuccess).' },
    FAILURE_RATE: { description: 'failures / (successes + failures).' },
    MEAN_DURATION: { description: 'Mean seconds of successful results.' },
    RUNS: { description: 'Results, counting retries.' },
    PASSES: { description: 'Passing results (success + xfail).' },
    SKIPS: { description: 'Skipped results.' },
    TEST_ID: { description: 'Test id, byte by byte.' },
  },
});

export enum SortDirection {
  ASC = 'asc',
  DESC = 'desc',
}
registerEnumType(SortDirection, {
  name: 'SortDirection',
  description: 'Smallest first (ASC) or biggest first (DESC).',
});
