/** The insights events as GraphQL clients see them (the `insightEvents` subscription). */
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateTime } from '../graphql/scalars.js';
import type { InsightEventPayload } from '../insights/events.js';
import { Verdict } from '../insights/flaky/flaky.type.js';

/** Its values are the outbox's kinds, as the webhooks' `X-Gatewatch-Event` names them. */
export enum InsightEventKind {
  TEST_VERDICT = 'test.verdict',
  NEW_SIGNATURE = 'signature.new',
}

registerEnumType(InsightEventKind, {
  name: 'InsightEventKind',
  description:
    'TEST_VERDICT: a test became or stopped being flaky or broken on a scope; NEW_SIGNATURE: a failure signature was seen for the first time.',
});

@ObjectType({ simpleResolvers: true, description: 'A test’s verdict changed on a scope.' })
export class TestVerdictChange {
  @Field(() => String, { description: 'The test id as in the stream.' })
  testId!: string;

  @Field(() => String, { description: 'The scope the verdict holds on (`job:NAME`, …).' })
  scope!: string;

  @Field(() => Verdict, {
    nullable: true,
    description: 'The verdict before; null for the test’s first verdict on the scope.',
  })
  from!: Verdict | null;

  @Field(() => Verdict)
  to!: Verdict;
}

@ObjectType({
  simpleResolvers: true,
  description: 'A failure whose signature was never seen before.',
})
export class NewSignatureEvent {
  @Field(() => String, { description: 'The signature’s fingerprint (hex).' })
  fingerprint!: string;

  @Field(() => String, { description: 'The normalised message.' })
  summary!: string;

  @Field(() => String)
  testId!: string;

  @Field(() => ID, { description: 'The run it first appeared in (its id).' })
  runId!: string;
}

@ObjectType({
  simpleResolvers: true,
  description: 'An insights event: `kind` tells which of `testVerdict` and `newSignature` is set.',
})
export class InsightEvent {
  @Field(() => ID, { description: 'The outbox id (the webhook body’s `id`).' })
  id!: string;

  @Field(() => InsightEventKind)
  kind!: InsightEventKind;

  @Field(() => DateTime, { description: 'When the transition happened.' })
  at!: Date;

  @Field(() => DateTime, { description: 'When it was recorded (committed with it).' })
  recordedAt!: Date;

  @Field(() => TestVerdictChange, { nullable: true })
  testVerdict!: TestVerdictChange | null;

  @Field(() => NewSignatureEvent, { nullable: true })
  newSignature!: NewSignatureEvent | null;
}

export function insightEventOf(
  id: string,
  recordedAt: Date,
  event: InsightEventPayload,
): InsightEvent {
  const common = { id, recordedAt, at: new Date(event.at) };
  if (event.kind === 'test.verdict') {
    return {
      ...common,
      kind: InsightEventKind.TEST_VERDICT,
      testVerdict: {
        testId: event.testId,
        scope: event.scope,
        from: event.from as Verdict | null,
        to: event.to as Verdict,
      },
      newSignature: null,
    };
  }
  return {
    ...common,
    kind: InsightEventKind.NEW_SIGNATURE,
    testVerdict: null,
    newSignature: {
      fingerprint: event.fingerprint,
      summary: event.summary,
      testId: event.testId,
      runId: event.run,
    },
  };
}
