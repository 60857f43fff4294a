import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, PageArgs } from '../../graphql/pagination.js';
import { DateTime } from '../../graphql/scalars.js';

@ObjectType({
  description:
    'Failures whose tracebacks are the same once numbers, ids, addresses, paths, times and durations are masked.',
})
export class Signature {
  rowId!: number;
  exampleRunId!: number;
  exampleSeq!: number;

  @Field(() => ID, { description: 'sha256 (hex) of `normalised`.' })
  fingerprint!: string;

  @Field(() => String, { description: 'The masked exception line.' })
  summary!: string;

  @Field(() => String, {
    description: 'The masked traceback: frames (file, function) and exception.',
  })
  normalised!: string;

  @Field(() => DateTime)
  firstSeen!: Date;

  @Field(() => DateTime)
  lastSeen!: Date;

  @Field(() => Int, { description: 'Failing results with it.' })
  failures!: number;

  @Field(() => Int, { description: 'Runs with at least one of them.' })
  runs!: number;
}

@ObjectType()
export class SignatureConnection extends Connection(Signature) {}

@ObjectType({ description: 'A signature’s failures in one time bucket.' })
export class SignaturePoint {
  @Field(() => DateTime, { description: 'Start of the bucket (UTC).' })
  start!: Date;

  @Field(() => Int)
  failures!: number;

  @Field(() => Int)
  runs!: number;
}

@ObjectType({ description: 'A test, job or CI a signature touched, and how often.' })
export class SignatureShare {
  @Field(() => String)
  name!: string;

  @Field(() => Int)
  failures!: number;
}

export enum SignatureResolution {
  DAY = 'day',
  WEEK = 'week',
}
registerEnumType(SignatureResolution, {
  name: 'SignatureResolution',
  description: 'Buckets of a signature’s trend (UTC; weeks start on Mondays).',
});

@ArgsType()
export class SignaturesArgs extends PageArgs {
  @Field(() => DateTime, { nullable: true, description: 'Only signatures seen at or after.' })
  since?: Date;

  @Field(() => String, { nullable: true, description: 'Only signatures seen in runs of this job.' })
  job?: string;
}

@ObjectType({ description: 'The signature of a failing result.' })
export class ResultSignature {
  @Field(() => ID)
  fingerprint!: string;

  @Field(() => String)
  summary!: string;
}

/** The rule fields of rule-matcher.ts (`RuleField`), as a GraphQL enum. */
export enum KnownIssueField {
  MESSAGE = 'message',
  TRACEBACK = 'traceback',
  TEST = 'test',
  FINGERPRINT = 'fingerprint',
}
registerEnumType(KnownIssueField, {
  name: 'KnownIssueField',
  description:
    'What a rule looks at: a regular expression on the exception line, the traceback or the test id; or a fingerprint.',
});

@ObjectType({ description: 'A known issue: failures matching it are this bug.' })
export class KnownIssueRule {
  @Field(() => ID)
  id!: string;

  @Field(() => KnownIssueField)
  field!: KnownIssueField;

  @Field(() => String, { description: 'The regular expression, or the fingerprint.' })
  pattern!: string;

  @Field(() => String)
  bugUrl!: string;

  @Field(() => String)
  title!: string;

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => String, {
    nullable: true,
    description: 'Why the rule is no longer applied (a match ran out of time); null while it is.',
  })
  disabledReason!: string | null;

  @Field(() => Int, { description: 'Failing results it matched.' })
  hits!: number;

  @Field(() => Int, { description: 'Of those, hits on runs that passed after retries.' })
  passedHits!: number;

  @Field(() => DateTime, { nullable: true, description: 'When the newest run it matched ran.' })
  lastHit!: Date | null;

  @Field(() => Boolean, {
    description:
      'More than `signatures.imprecisePercent` % of its hits fall on runs that passed after retries.',
  })
  imprecise!: boolean;

  @Field(() => Boolean, { description: 'No hit for `signatures.staleAfter` (30 days by default).' })
  stale!: boolean;
}

@InputType({ description: 'A new known-issue rule.' })
export class KnownIssueRuleInput {
  @Field(() => KnownIssueField)
  field!: KnownIssueField;

  @Field(() => String, {
    description: 'A regular expression (JavaScript syntax), or a fingerprint.',
  })
  pattern!: string;

  @Field(() => String)
  bugUrl!: string;

  @Field(() => String)
  title!: string;
}

@ObjectType({ description: 'Failures with a known cause in one day.' })
export class KnownCausePoint {
  @Field(() => DateTime)
  start!: Date;

  @Field(() => Int, { description: 'Failing results with a signature.' })
  failures!: number;

  @Field(() => Int, { description: 'Those a known-issue rule matched.' })
  known!: number;
}
