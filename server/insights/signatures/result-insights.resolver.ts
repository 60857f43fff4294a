/**
 * The signatures' fields on the runs' types: a failing result's signature, its novelty and
 * its known issues; a signature's example run and traceback. The insights sit above the runs
 * (deleteRun reaches them only through a lazy import).
 */
import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { knownIssueRulesOf } from './rule.resolver.js';
import type { SignaturesContext } from './signatures.loaders.js';
import { KnownIssueRule, ResultSignature, Signature } from './signature.type.js';
import type { RunsContext } from '../../runs/run.loaders.js';
import { Run } from '../../runs/run.type.js';
import { TestResult } from '../../runs/result.type.js';
import { tracebackTail } from '../../runs/result.service.js';

type InsightsContext = RunsContext & SignaturesContext;

const keyOf = (result: TestResult) => `${result.runRowId}:${result.seq}`;

@Resolver(() => TestResult)
export class ResultSignatureResolver {
  @FieldResolver(() => ResultSignature, {
    nullable: true,
    description: 'Its failure signature (failing results with a traceback).',
  })
  signature(
    @Root() result: TestResult,
    @Ctx() ctx: InsightsContext,
  ): Promise<ResultSignature | null> {
    return ctx.loaders.resultSignature.load(keyOf(result));
  }

  @FieldResolver(() => Boolean, { description: 'Its signature was never seen before its run.' })
  async newSignature(@Root() result: TestResult, @Ctx() ctx: InsightsContext): Promise<boolean> {
    return (await ctx.loaders.resultSignature.load(keyOf(result)))?.isNew ?? false;
  }

  @FieldResolver(() => [KnownIssueRule], { description: 'The known-issue rules it matched.' })
  async knownIssues(
    @Root() result: TestResult,
    @Ctx() ctx: InsightsContext,
  ): Promise<KnownIssueRule[]> {
    const ids = await ctx.loaders.resultRules.load(keyOf(result));
    return knownIssueRulesOf(ctx, ids);
  }
}

@Resolver(() => Signature)
export class SignatureExampleResolver {
  @FieldResolver(() => Run, { description: 'The run of its first failure.' })
  async exampleRun(@Root() s: Signature, @Ctx() ctx: InsightsContext): Promise<Run> {
    return (await ctx.loaders.run.load(s.exampleRunId))!;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'The traceback of its first failure, its last lines.',
  })
  async exampleTraceback(
    @Root() s: Signature,
    @Arg('lines', () => Int, { defaultValue: 40 }) lines: number,
    @Ctx() ctx: InsightsContext,
  ): Promise<string | null> {
    const files = await ctx.loaders.attachments.load(`${s.exampleRunId}:${s.exampleSeq}`);
    const traceback = files.find((f) => f.name === 'traceback');
    if (!traceback) return null;
    return tracebackTail(await ctx.loaders.attachmentContent.load(traceback.id), lines);
  }
}
