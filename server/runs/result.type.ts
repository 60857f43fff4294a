import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../graphql/pagination.js';
import { DateTime } from '../graphql/scalars.js';

/** A result's status as subunit reports it. */
export enum TestStatus {
  SUCCESS = 'success',
  FAIL = 'fail',
  SKIP = 'skip',
  XFAIL = 'xfail',
  UXSUCCESS = 'uxsuccess',
  INCOMPLETE = 'incomplete',
}
registerEnumType(TestStatus, { name: 'TestStatus' });

// simpleResolvers: fields are read straight off the object, with no middleware wrapper: a
// timeline returns tens of thousands of these.
@ObjectType({
  simpleResolvers: true,
  description: 'One attempt of one test in one run; a retried test has several.',
})
export class TestResult {
  runRowId!: number;
  testRowId!: number;

  @Field(() => ID, { description: '`RUN_ID:SEQ`.' })
  id!: string;

  @Field(() => Int, { description: 'Order of the result in its stream.' })
  seq!: number;

  @Field(() => String, { description: 'The test id, without attributes.' })
  testId!: string;

  @Field(() => TestStatus)
  status!: TestStatus;

  @Field(() => DateTime, { nullable: true })
  startTime!: Date | null;

  @Field(() => DateTime, { nullable: true })
  stopTime!: Date | null;

  @Field(() => Float, { nullable: true, description: 'Seconds.' })
  duration!: number | null;

  @Field(() => Int, { nullable: true, description: 'The worker (`worker-N` tag) that ran it.' })
  worker!: number | null;

  @Field(() => [String])
  tags!: string[];

  @Field(() => String, { description: 'The `[…]` attributes of the raw test id.' })
  attrs!: string;
}

@ObjectType()
export class TestResultConnection extends Connection(TestResult) {}

@ObjectType({
  simpleResolvers: true,
  description: "A file from the stream: a result's traceback, stdout, log…",
})
export class Attachment {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: '`traceback`, `stdout`, `reason`, `pythonlogging:…`' })
  name!: string;

  @Field(() => String)
  mime!: string;

  @Field(() => Int, { description: 'Bytes in the stream.' })
  size!: number;

  @Field(() => Boolean, { description: 'Stored cut short (the run artifact has every byte).' })
  truncated!: boolean;
}

@ObjectType({
  simpleResolvers: true,
  description: "A run's results arranged for a timeline: one lane per worker.",
})
export class WorkerLane {
  @Field(() => Int, { nullable: true, description: 'Null for results with no worker.' })
  worker!: number | null;

  @Field(() => [TestResult], { description: 'By start time.' })
  results!: TestResult[];
}

@ObjectType({ simpleResolvers: true })
export class Timeline {
  @Field(() => DateTime, { nullable: true })
  start!: Date | null;

  @Field(() => DateTime, { nullable: true })
  stop!: Date | null;

  @Field(() => [WorkerLane])
  lanes!: WorkerLane[];
}
