import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../graphql/pagination.js';
import { DateTime } from '../../graphql/scalars.js';

export enum Verdict {
  FLAKY = 'flaky',
  BROKEN = 'broken',
  FIXED = 'fixed',
}

registerEnumType(Verdict, {
  name: 'Verdict',
  valuesConfig: {
    FLAKY: { description: 'Passed and failed on the same code, or flips between pass and fail.' },
    BROKEN: { description: "Failed in every one of the scope's last N runs." },
    FIXED: { description: 'Was flaky or broken; has not failed there for the set time.' },
  },
});

@ObjectType({ description: 'A run behind a verdict: how the test did in it.' })
export class VerdictRun {
  @Field(() => ID, { description: 'The run (its uuid).' })
  run!: string;

  @Field(() => String, { nullable: true })
  job!: string | null;

  @Field(() => DateTime)
  at!: Date;

  @Field(() => String, { description: '`pass` or `fail` (any failing attempt).' })
  result!: string;

  @Field(() => Boolean, { description: 'Both a failing and a passing attempt in the run.' })
  retried!: boolean;

  @Field(() => Int, { nullable: true, description: 'The Gerrit change the run tested.' })
  change!: number | null;

  @Field(() => Int, { nullable: true })
  patchset!: number | null;
}

@ObjectType({ description: 'A Gerrit patch set the test both passed and failed on.' })
export class VerdictPatchSet {
  @Field(() => Int)
  change!: number;

  @Field(() => Int)
  patchset!: number;

  @Field(() => Int, { description: 'Runs it passed in.' })
  passes!: number;

  @Field(() => Int, { description: 'Runs it failed in.' })
  failures!: number;
}

@ObjectType({ description: 'What a verdict rests on.' })
export class VerdictEvidence {
  @Field(() => [VerdictRun], {
    description:
      "The runs: on the patch sets (same code), the scope's last N (broken), the window (transitions); oldest first.",
  })
  runs!: VerdictRun[];

  @Field(() => [VerdictPatchSet])
  patchSets!: VerdictPatchSet[];

  @Field(() => Int, { description: 'Pass↔fail transitions over the window.' })
  transitions!: number;
}

@ObjectType({ description: "A change of a test's verdict on a scope." })
export class VerdictTransition {
  @Field(() => Verdict, { nullable: true, description: 'Null: its first verdict there.' })
  from!: Verdict | null;

  @Field(() => Verdict)
  to!: Verdict;

  @Field(() => String, { nullable: true, description: '`same-code`, `transitions` or `broken`.' })
  reason!: string | null;

  @Field(() => DateTime)
  at!: Date;

  @Field(() => ID, {
    nullable: true,
    description: 'The run whose ingest made it; null: made as time passed.',
  })
  run!: string | null;
}

@ObjectType({ description: "A test's verdict on one scope, with its evidence and history." })
export class TestVerdict {
  @Field(() => String)
  testId!: string;

  @Field(() => String, {
    description: '`job:NAME`, `project:NAME`, `branch:NAME` or `queue:NAME`.',
  })
  scope!: string;

  @Field(() => Verdict)
  verdict!: Verdict;

  @Field(() => String, { nullable: true, description: '`same-code`, `transitions` or `broken`.' })
  reason!: string | null;

  @Field(() => Int, { description: 'Runs of the test in the window judged.' })
  runs!: number;

  @Field(() => Int, { description: 'Of those, the runs it failed in.' })
  failures!: number;

  @Field(() => DateTime, { description: 'Its first failure on the scope.' })
  firstSeen!: Date;

  @Field(() => DateTime, { description: 'Its latest failure on the scope.' })
  lastSeen!: Date;

  @Field(() => DateTime, { nullable: true, description: 'When the verdict last changed.' })
  changedAt!: Date | null;

  @Field(() => VerdictEvidence)
  evidence!: VerdictEvidence;

  @Field(() => [VerdictTransition], { description: 'Every change of verdict, oldest first.' })
  history!: VerdictTransition[];
}

@ObjectType()
export class TestVerdictConnection extends Connection(TestVerdict) {}

@InputType({ description: 'Which verdicts: on any of the scopes given (none: every scope).' })
export class FlakyFilter {
  @Field(() => String, { nullable: true, description: 'The job (build_name).' })
  job?: string;

  @Field(() => String, { nullable: true })
  project?: string;

  @Field(() => String, { nullable: true })
  branch?: string;

  @Field(() => String, { nullable: true, description: 'The queue (pipeline).' })
  queue?: string;

  @Field(() => DateTime, { nullable: true, description: 'Failed there at or after this.' })
  since?: Date;

  @Field(() => Verdict, { nullable: true, description: 'Default: flaky and broken.' })
  verdict?: Verdict;
}
