/** Relay-style cursor connections over the keyset pages of server/db/page.ts. */
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { DEFAULT_PAGE, MAX_PAGE, type Page } from '../db/page.js';

@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: `Page size, 1…${MAX_PAGE} (default ${DEFAULT_PAGE}).`,
  })
  first?: number;

  @Field(() => String, { nullable: true, description: 'The `endCursor` of the previous page.' })
  after?: string;
}

@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/** The `XConnection` and `XEdge` object types for a node type. */
export function Connection<T extends object>(node: ClassType<T>) {
  const name = node.name;

  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => String)
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  // Abstract and unreferenced: only the named subclass (`class RunConnection extends
  // Connection(Run)`) appears in the schema.
  @ObjectType()
  abstract class ConnectionType implements Page<T> {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => [node], { description: 'The nodes of `edges`, for clients that need no cursors.' })
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'How many nodes match, over all pages.' })
    totalCount!: Promise<number>;
  }
  return ConnectionType;
}
