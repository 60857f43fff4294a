import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { DateTime } from '../../graphql/scalars.js';
import {
  addRule,
  flagRule,
  knownCauseShare,
  listRules,
  removeRule,
  type RuleRow,
} from './rule.service.js';
import {
  KnownCausePoint,
  type KnownIssueField,
  KnownIssueRule,
  KnownIssueRuleInput,
} from './signature.type.js';
import type { SignaturesContext } from './signatures.loaders.js';

export function toKnownIssueRule(row: RuleRow): KnownIssueRule {
  return Object.assign(new KnownIssueRule(), {
    ...row,
    id: String(row.id),
    field: row.field as KnownIssueField,
  });
}

/** The rules with these ids, through the request's loader (one query per page, not per item). */
export async function knownIssueRulesOf(
  ctx: SignaturesContext,
  ids: readonly number[],
): Promise<KnownIssueRule[]> {
  const rules = await Promise.all(ids.map((id) => ctx.loaders.knownIssueRule.load(id)));
  return rules
    .filter((rule) => rule !== null)
    .map((rule) => toKnownIssueRule(flagRule(rule, ctx.config.signatures)));
}

/** Days of `knownCauseShare` when no `since` is given. */
const DEFAULT_SHARE_DAYS = 30;

@Resolver(() => KnownIssueRule)
export class RuleResolver {
  @Query(() => [KnownIssueRule], {
    description: 'Every known-issue rule, oldest first, with hits and flags.',
  })
  async knownIssueRules(@Ctx() ctx: SignaturesContext): Promise<KnownIssueRule[]> {
    return (await listRules(ctx.db, ctx.config.signatures)).map(toKnownIssueRule);
  }

  @Query(() => [KnownCausePoint], {
    description: `Per day (UTC): failing results with a signature and those with a known cause (default: the last ${DEFAULT_SHARE_DAYS} days).`,
  })
  knownCauseShare(
    @Arg('since', () => DateTime, { nullable: true }) since: Date | null,
    @Ctx() ctx: SignaturesContext,
  ): Promise<KnownCausePoint[]> {
    return knownCauseShare(ctx.db, since ?? new Date(Date.now() - DEFAULT_SHARE_DAYS * 86_400_000));
  }

  @Mutation(() => KnownIssueRule, {
    description:
      'Adds a known-issue rule and applies it to the newest stored failures; needs a token.',
  })
  async addKnownIssueRule(
    @Arg('rule', () => KnownIssueRuleInput) rule: KnownIssueRuleInput,
    @Ctx() ctx: SignaturesContext,
  ): Promise<KnownIssueRule> {
    await ctx.requireToken();
    return toKnownIssueRule(await addRule(ctx.db, ctx.config.signatures, rule));
  }

  @Mutation(() => ID, { description: 'Removes a known-issue rule and its hits; needs a token.' })
  async removeKnownIssueRule(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: SignaturesContext,
  ): Promise<string> {
    await ctx.requireToken();
    await removeRule(ctx.db, id);
    return id;
  }
}
