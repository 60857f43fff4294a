import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { Page } from '../../db/page.js';
import { DateTime } from '../../graphql/scalars.js';
import {
  signatureByFingerprint,
  signatureOverTime,
  signatureShares,
  signaturesPage,
  type SignatureRow,
} from './signature.service.js';
import {
  KnownIssueRule,
  Signature,
  SignatureConnection,
  SignaturePoint,
  SignatureResolution,
  SignatureShare,
  SignaturesArgs,
} from './signature.type.js';
import type { SignaturesContext } from './signatures.loaders.js';
import { knownIssueRulesOf } from './rule.resolver.js';

export function toSignature(row: SignatureRow): Signature {
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

  @FieldResolver(() => [KnownIssueRule], { description: 'The rules naming its fingerprint.' })
  async knownIssues(
    @Root() s: Signature,
    @Ctx() ctx: SignaturesContext,
  ): Promise<KnownIssueRule[]> {
    const ids = await ctx.loaders.fingerprintRules.load(s.fingerprint);
    return knownIssueRulesOf(ctx, ids);
  }
}
