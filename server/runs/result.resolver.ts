import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { RunsContext } from './run.loaders.js';
import { ApiError, ErrorCode } from '../graphql/errors.js';
import { Run } from './run.type.js';
import { Attachment, TestResult } from './result.type.js';
import { tracebackTail } from './result.service.js';

@Resolver(() => TestResult)
export class ResultResolver {
  @FieldResolver(() => Run)
  async run(@Root() result: TestResult, @Ctx() ctx: RunsContext): Promise<Run> {
    return (await ctx.loaders.run.load(result.runRowId))!;
  }

  @FieldResolver(() => [Attachment], { description: 'traceback, stdout, logs, skip reason…' })
  attachments(@Root() result: TestResult, @Ctx() ctx: RunsContext): Promise<Attachment[]> {
    return ctx.loaders.attachments.load(`${result.runRowId}:${result.seq}`);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The traceback's last non-blank lines: usually the exception.",
  })
  async tracebackTail(
    @Root() result: TestResult,
    @Arg('lines', () => Int, { defaultValue: 5 }) lines: number,
    @Ctx() ctx: RunsContext,
  ): Promise<string | null> {
    const files = await ctx.loaders.attachments.load(`${result.runRowId}:${result.seq}`);
    const traceback = files.find((f) => f.name === 'traceback');
    if (!traceback) return null;
    return tracebackTail(await ctx.loaders.attachmentContent.load(traceback.id), lines);
  }
}

const MAX_TEXT = 16 << 20;

@Resolver(() => Attachment)
export class AttachmentResolver {
  @FieldResolver(() => String, {
    description: 'The content as UTF-8 text (invalid bytes replaced), at most `maxBytes`.',
  })
  async text(
    @Root() attachment: Attachment,
    @Arg('maxBytes', () => Int, { defaultValue: 1 << 20 }) maxBytes: number,
    @Ctx() ctx: RunsContext,
  ): Promise<string> {
    if (maxBytes < 1 || maxBytes > MAX_TEXT) {
      throw new ApiError(ErrorCode.BAD_USER_INPUT, `maxBytes must be 1…${MAX_TEXT}`);
    }
    const bytes = await ctx.loaders.attachmentContent.load(attachment.id);
    return bytes.subarray(0, maxBytes).toString('utf8');
  }
}
