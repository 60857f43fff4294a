import { filter, map, pipe } from '@graphql-yoga/subscription';
import { Arg, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { insightEventDelivered, type InsightEventMessage } from './insight-event.topics.js';
import { InsightEvent, InsightEventKind, insightEventOf } from './insight-event.type.js';

@Resolver()
export class InsightEventSubscription {
  @Subscription(() => InsightEvent, {
    description:
      'Every insights event recorded from now on, of the `kinds` given (all when left out): once each, whichever server recorded it.',
    subscribe: ({ args, context }) => {
      const { events } = context as Context;
      const asked = (args as { kinds?: InsightEventKind[] | null }).kinds;
      const kinds = new Set<string>(asked ?? Object.values(InsightEventKind));
      return pipe(
        events.subscribe(insightEventDelivered),
        filter((message: InsightEventMessage) => kinds.has(message.event.kind)),
        map((message: InsightEventMessage) =>
          insightEventOf(message.id, new Date(message.recordedAt), message.event),
        ),
      );
    },
  })
  insightEvents(
    @Root() event: InsightEvent,
    @Arg('kinds', () => [InsightEventKind], { nullable: true }) _kinds?: InsightEventKind[],
  ): InsightEvent {
    return event;
  }
}
