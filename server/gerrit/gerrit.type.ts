import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { Connection } from '../graphql/pagination.js';
import { DateTime } from '../graphql/scalars.js';

@ObjectType({ simpleResolvers: true, description: 'A Gerrit server gatewatch collects from.' })
export class GerritServer {
  rowId!: number;

  @Field(() => String, { description: 'Its name in the configuration.' })
  name!: string;

  @Field(() => String)
  url!: string;

  @Field(() => DateTime, { nullable: true, description: 'The newest event stored.' })
  lastEventAt!: Date | null;
}

@ObjectType({ simpleResolvers: true, description: 'A Gerrit project.' })
export class GerritProject {
  rowId!: number;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'The Gerrit server.' })
  server!: string;
}

@ObjectType()
export class GerritProjectConnection extends Connection(GerritProject) {}

@ObjectType({ simpleResolvers: true, description: 'A Gerrit account.' })
export class GerritAccount {
  rowId!: number;

  @Field(() => String, { description: 'The username, else `email:…`, `id:…` or `name:…`.' })
  key!: string;

  @Field(() => String, { nullable: true })
  username!: string | null;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => String, { nullable: true })
  email!: string | null;

  @Field(() => Int, { nullable: true })
  accountId!: number | null;
}

@ObjectType({ simpleResolvers: true, description: 'A change under review.' })
export class GerritChange {
  rowId!: number;
  ownerId!: number | null;

  @Field(() => Int)
  number!: number;

  @Field(() => String)
  server!: string;

  @Field(() => String)
  project!: string;

  @Field(() => String)
  branch!: string;

  @Field(() => String, { nullable: true })
  subject!: string | null;

  @Field(() => String, { nullable: true, description: 'NEW, MERGED or ABANDONED.' })
  status!: string | null;

  @Field(() => DateTime, { nullable: true })
  createdAt!: Date | null;

  @Field(() => DateTime, { description: 'The newest event seen on it.' })
  updatedAt!: Date;
}

@ObjectType()
export class GerritChangeConnection extends Connection(GerritChange) {}

@ObjectType({ simpleResolvers: true, description: 'A patch set of a change.' })
export class GerritPatchSet {
  rowId!: number;
  changeId!: number;
  uploaderId!: number | null;

  @Field(() => Int)
  number!: number;

  @Field(() => Int, { description: 'The change number (`change` gives the change).' })
  changeNumber!: number;

  @Field(() => String)
  project!: string;

  @Field(() => String, { nullable: true })
  revision!: string | null;

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => String, { nullable: true, description: 'REWORK, TRIVIAL_REBASE, …' })
  kind!: string | null;

  @Field(() => DateTime, { nullable: true, description: 'When the next patch set was created.' })
  supersededAt!: Date | null;

  @Field(() => DateTime, { nullable: true })
  mergedAt!: Date | null;

  @Field(() => DateTime, { nullable: true })
  abandonedAt!: Date | null;
}

@ObjectType()
export class GerritPatchSetConnection extends Connection(GerritPatchSet) {}

@InputType({ description: 'Which changes or patch sets: every given condition must hold.' })
export class GerritFilter {
  @Field(() => String, { nullable: true, description: 'The Gerrit server.' })
  server?: string;

  @Field(() => String, { nullable: true })
  project?: string;

  @Field(() => String, { nullable: true, description: 'Changes only: NEW, MERGED or ABANDONED.' })
  status?: string;

  @Field(() => DateTime, {
    nullable: true,
    description: 'Updated (changes) or created (patch sets) at or after.',
  })
  since?: Date;

  @Field(() => DateTime, {
    nullable: true,
    description: 'Updated (changes) or created (patch sets) before.',
  })
  until?: Date;
}

@ObjectType('GerritEvent', {
  simpleResolvers: true,
  description: 'An event the collector accepted.',
})
export class GerritEventNotice {
  @Field(() => String, {
    description: "Gerrit's own event type: `comment-added`, `patchset-created`, …",
  })
  type!: string;

  @Field(() => String, { nullable: true })
  project!: string | null;

  @Field(() => Int, { nullable: true })
  change!: number | null;

  @Field(() => Int, { nullable: true })
  patchSet!: number | null;

  @Field(() => DateTime)
  createdOn!: Date;
}

@ObjectType({
  simpleResolvers: true,
  description: 'A `recheck` or `reverify` comment on a change, asking its CIs to run again.',
})
export class GerritRecheck {
  authorId!: number;

  @Field(() => Int, { description: 'The patch set it was left on.' })
  patchSet!: number;

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => String, {
    nullable: true,
    description: 'The text after the word (`recheck bug 123` → `bug 123`); null when none.',
  })
  reason!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The CI a `recheck-<ci>` is aimed at; null for a plain recheck.',
  })
  ci!: string | null;
}
