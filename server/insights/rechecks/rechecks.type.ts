import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import { DateTime } from '../../graphql/scalars.js';
import { Signature } from '../signatures/signature.type.js';

@InputType({
  description: 'Which rechecks and re-runs `recheckCost` covers; every given condition holds.',
})
export class RecheckCostFilter {
  @Field(() => DateTime, {
    nullable: true,
    description: 'From this instant (default: 30 days before `until`; at most 90 days before it).',
  })
  since?: Date;

  @Field(() => DateTime, {
    nullable: true,
    description: 'Up to this instant, excluded (default: now).',
  })
  until?: Date;

  @Field(() => String, { nullable: true, description: 'Only changes of this project.' })
  project?: string;

  @Field(() => String, {
    nullable: true,
    description:
      "Only this CI's re-runs (its account, as `ciSystem` takes it); rechecks count whichever CI they ask.",
  })
  ci?: string;
}

@ObjectType({ description: 'A change rechecked in the window, with the re-runs spent on it.' })
export class RecheckedChange {
  @Field(() => Int, { description: 'The change number.' })
  change!: number;

  @Field(() => String, { description: 'Its project.' })
  project!: string;

  @Field(() => String, { nullable: true, description: 'Its subject (null when not known).' })
  subject!: string | null;

  @Field(() => Int, { description: 'Recheck comments on it in the window.' })
  rechecks!: number;

  @Field(() => Int, { description: 'Re-runs on its patch sets in the window (by any CI asked).' })
  reruns!: number;

  @Field(() => Float, { description: 'The node-hours of those re-runs.' })
  nodeHours!: number;
}

@ObjectType({ description: 'The re-runs a test caused: what fixing it would save.' })
export class TestRecheckCost {
  @Field(() => String, { description: 'The test id, without attributes.' })
  testId!: string;

  @Field(() => Int, { description: 'Re-runs whose previous report failed on it.' })
  reruns!: number;

  @Field(() => Float, {
    description: 'Its share of their node-hours (each split equally among its distinct tests).',
  })
  nodeHours!: number;

  @Field(() => [String], {
    description:
      'The scopes it is flaky on (`job:NAME`, …); empty when known-issue rules attributed it alone.',
  })
  flakyScopes!: string[];
}

@ObjectType({ description: 'The re-runs a failure signature caused: what fixing it would save.' })
export class SignatureRecheckCost {
  @Field(() => Signature, { description: 'The signature of the attributed failures.' })
  signature!: Signature;

  ruleIds!: number[];

  @Field(() => Int, { description: 'Re-runs whose previous report failed with it.' })
  reruns!: number;

  @Field(() => Float, {
    description:
      'Its share of their node-hours (each split equally among its distinct signatures).',
  })
  nodeHours!: number;
}

@ObjectType({
  description:
    'Recheck economics over a window: rechecks, the node-hours of re-runs (one node per build) and ' +
    'those that flaky tests and known issues caused, ranked by test and by signature.',
})
export class RecheckCost {
  @Field(() => DateTime, { description: 'The start of the window.' })
  since!: Date;

  @Field(() => DateTime, { description: 'The end of the window (excluded).' })
  until!: Date;

  @Field(() => Int, { description: 'Recheck comments in the window.' })
  rechecks!: number;

  @Field(() => Int, { description: 'Changes with at least one recheck comment in the window.' })
  changes!: number;

  @Field(() => Int, {
    description: 'Reports on a patch set the same CI had reported on already (its 2nd, 3rd…).',
  })
  reruns!: number;

  @Field(() => Float, {
    description:
      "The re-runs' builds' durations, in hours: one node per build (multi-node jobs count one).",
  })
  rerunNodeHours!: number;

  @Field(() => Int, { description: 'Builds of the re-runs without a duration (counted as 0).' })
  unknownDurations!: number;

  @Field(() => Int, {
    description:
      "Re-runs whose previous report's failed builds ran a flaky test or hit a known issue.",
  })
  attributedReruns!: number;

  @Field(() => Float, {
    description: 'The node-hours of the attributed re-runs: what each ranking shares out.',
  })
  attributedNodeHours!: number;

  @Field(() => Int, {
    description: 'Re-runs with no attributed failure (or no run linked to the failed builds).',
  })
  unattributedReruns!: number;

  @Field(() => [RecheckedChange], {
    description: 'The most rechecked changes, most rechecks first.',
  })
  topChanges!: RecheckedChange[];

  @Field(() => [TestRecheckCost], { description: 'Tests by the node-hours they cost, most first.' })
  byTest!: TestRecheckCost[];

  @Field(() => [SignatureRecheckCost], {
    description: 'Signatures by the node-hours they cost, most first.',
  })
  bySignature!: SignatureRecheckCost[];
}
