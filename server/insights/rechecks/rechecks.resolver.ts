import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { knownIssueRulesOf } from '../signatures/rule.resolver.js';
import { toSignature } from '../signatures/signature.resolver.js';
import { KnownIssueRule } from '../signatures/signature.type.js';
import type { SignaturesContext } from '../signatures/signatures.loaders.js';
import { recheckCost } from './recheck-cost.service.js';
import { RecheckCost, RecheckCostFilter, SignatureRecheckCost } from './rechecks.type.js';

@Resolver(() => RecheckCost)
export class RecheckCostResolver {
  @Query(() => RecheckCost, {
    description:
      'Rechecks and the node-hours of re-runs over a window (at most 90 days), with the share ' +
      'flaky tests and known issues caused, ranked (`first`: 1…100 per ranking).',
  })
  async recheckCost(
    @Arg('filter', () => RecheckCostFilter, { nullable: true })
    filter: RecheckCostFilter | undefined,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Ctx() ctx: Context,
  ): Promise<RecheckCost> {
    const cost = await recheckCost(ctx.db, filter ?? {}, first);
    return {
      ...cost,
      bySignature: cost.bySignature.map((s) => ({
        ...s,
        signature: toSignature(s.signature),
      })),
    };
  }
}

@Resolver(() => SignatureRecheckCost)
export class SignatureRecheckCostResolver {
  @FieldResolver(() => [KnownIssueRule], {
    description: 'The known-issue rules that hit its failures or name its fingerprint.',
  })
  knownIssues(
    @Root() cost: SignatureRecheckCost,
    @Ctx() ctx: SignaturesContext,
  ): Promise<KnownIssueRule[]> {
    return knownIssueRulesOf(ctx, cost.ruleIds);
  }
}
