import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { Page } from '../../db/page.js';
import { DateTime } from '../../graphql/scalars.js';
import { Run } from '../../runs/run.type.js';
import { TestResult } from '../../runs/result.type.js';
import { tracebackTail } from '../../runs/result.service.js';
import { listRules } from './rule.service.js';
import {
  signatureByFingerprint,
  signatureOverTime,
  signatureShares,
  signaturesPage,
  type SignatureRow,
} from './signature.service.js';
import {
  KnownIssueField,
  KnownIssueRule,
  ResultSignature,
  Signature,
  SignatureConnection,
  SignaturePoint,
  SignatureResolution,
  SignatureShare,
  SignaturesArgs,
} from './signature.type.js';
import type { SignaturesContext } from './signatures.loaders.js';
import { toKnownIssueRule } from './rule.resolver.js';

function toSignature(row: SignatureRow): Signature {
  return Object.assign(new Signature(), { ...row, rowId: row.id });
}

const LIMIT = { defaultValue: 20, description: 'At most this many, 1…500.' };

@Resolver(() => Signature)
export class SignatureResolver {
  @Query(() => SignatureConnection, { description: 'Failure signatures, last seen first.' })
  async signatures(
    @Args(() => SignaturesArgs) args: SignaturesArgs,
    @Ctx() ctx: SignaturesContext,
  ): Promise<Page<Signature>> {
    const page = await signaturesPage(ctx.db, { since: args.since, job: args.job }, args);
    return {
      ...page,
      nodes: page.nodes.map(toSignature),
      edges: page.edges.map((e) => ({ ...e, node: toSignature(e.node) })),
      totalCount: page.totalCount,
    };
  }

  @Query(() => Signature, { nullable: true })
  async signature(
    @Arg('fingerprint', () => ID) fingerprint: string,
    @Ctx() ctx: SignaturesContext,
  ): Promise<Signature | null> {
    const row = await signatureByFingerprint(ctx.db, fingerprint);
    return row && toSignature(row);
  }

  @FieldResolver(() => [SignaturePoint], { description: 'Failures per day or week, oldest first.' })
  overTime(
    @Root() signature: Signature,
    @Arg('resolution', () => SignatureResolution, { defaultValue: SignatureResolution.DAY })
    resolution: SignatureResolution,
    @Arg('since', () => DateTime, { nullable: true }) since: Date | null,
    @Ctx() ctx: SignaturesContext,
  ): Promise<SignaturePoint[]> {
    return signatureOverTime(ctx.db, signature.rowId, resolution, since);
  }

  @FieldResolver(() => [SignatureShare], {
    description: 'The tests it failed, most failures first.',
  })
  tests(
    @Root() s: Signature,
    @Arg('limit', () => Int, LIMIT) limit: number,
    @Ctx() ctx: SignaturesContext,
  ) {
    return signatureShares(ctx.db, s.rowId, 'tests', limit);
  }

  @FieldResolver(() => [SignatureShare], {
    description: 'The jobs (build_name) it failed in; empty name: no job.',
  })
  jobs(
    @Root() s: Signature,
    @Arg('limit', () => Int, LIMIT) limit: number,
    @Ctx() ctx: SignaturesContext,
  ) {
    return signatureShares(ctx.db, s.rowId, 'jobs', limit);
  }

  @FieldResolver(() => [SignatureShare], {
    description: 'The CIs whose builds it failed (through their runs).',
  })
  cis(
    @Root() s: Signature,
    @Arg('limit', () => Int, LIMIT) limit: number,
    @Ctx() ctx: SignaturesContext,
  ) {
    return signatureShares(ctx.db, s.rowId, 'cis', limit);
  }

  @FieldResolver(() => Run, { description: 'The run of its first failure.' })
  async exampleRun(@Root() s: Signature, @Ctx() ctx: SignaturesContext): Promise<Run> {
    return (await ctx.loaders.run.load(s.exampleRunId))!;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'The traceback of its first failure, its last lines.',
  })
  async exampleTraceback(
    @Root() s: Signature,
    @Arg('lines', () => Int, { defaultValue: 40 }) lines: number,
    @Ctx() ctx: SignaturesContext,
  ): Promise<string | null> {
    const files = await ctx.loaders.attachments.load(`${s.exampleRunId}:${s.exampleSeq}`);
    const traceback = files.find((f) => f.name === 'traceback');
    if (!traceback) return null;
    return tracebackTail(await ctx.loaders.attachmentContent.load(traceback.id), lines);
  }

  @FieldResolver(() => [KnownIssueRule], { description: 'The rules naming its fingerprint.' })
  async knownIssues(
    @Root() s: Signature,
    @Ctx() ctx: SignaturesContext,
  ): Promise<KnownIssueRule[]> {
    const rules = await listRules(ctx.db, ctx.config.signatures);
    return rules
      .filter((r) => r.field === KnownIssueField.FINGERPRINT && r.pattern === s.fingerprint)
      .map(toKnownIssueRule);
  }
}

@Resolver(() => TestResult)
export class ResultSignatureResolver {
  @FieldResolver(() => ResultSignature, {
    nullable: true,
    description: 'Its failure signature (failing results with a traceback).',
  })
  signature(
    @Root() result: TestResult,
    @Ctx() ctx: SignaturesContext,
  ): Promise<ResultSignature | null> {
    return ctx.loaders.resultSignature.load(`${result.runRowId}:${result.seq}`);
  }

  @FieldResolver(() => Boolean, { description: 'Its signature was never seen before its run.' })
  async newSignature(@Root() result: TestResult, @Ctx() ctx: SignaturesContext): Promise<boolean> {
    return (
      (await ctx.loaders.resultSignature.load(`${result.runRowId}:${result.seq}`))?.isNew ?? false
    );
  }

  @FieldResolver(() => [KnownIssueRule], { description: 'The known-issue rules it matched.' })
  async knownIssues(
    @Root() result: TestResult,
    @Ctx() ctx: SignaturesContext,
  ): Promise<KnownIssueRule[]> {
    const ids = await ctx.loaders.resultRules.load(`${result.runRowId}:${result.seq}`);
    if (ids.length === 0) return [];
    const rules = await listRules(ctx.db, ctx.config.signatures);
    return rules.filter((r) => ids.includes(r.id)).map(toKnownIssueRule);
  }
}
