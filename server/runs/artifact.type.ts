import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { DateTime } from '../graphql/scalars.js';

@ObjectType({
  simpleResolvers: true,
  description: 'An original input file, kept compressed: `GET url` returns it.',
})
export class Artifact {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: '`subunit` or `dstat`.' })
  kind!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  contentType!: string;

  @Field(() => String, { description: 'The Content-Encoding served: `gzip`.' })
  encoding!: string;

  @Field(() => Float, { description: 'Uncompressed bytes.' })
  size!: number;

  @Field(() => Float, { description: 'Stored (compressed) bytes.' })
  storedSize!: number;

  @Field(() => String)
  sha256!: string;

  @Field(() => String, { description: 'Path of the raw bytes on this server.' })
  url!: string;
}

@ObjectType({ simpleResolvers: true, description: 'One dstat column over the samples.' })
export class DstatSeries {
  @Field(() => String, { description: '`total_cpu_usage_usr`, `memory_usage_used`, …' })
  key!: string;

  @Field(() => [Float], { nullable: 'items' })
  values!: (number | null)[];
}

@ObjectType({ simpleResolvers: true, description: "The run's dstat recording." })
export class Dstat {
  dstatRowId!: number;

  @Field(() => String, { nullable: true })
  producer!: string | null;

  @Field(() => String, { nullable: true })
  host!: string | null;

  @Field(() => Int)
  samples!: number;

  @Field(() => DateTime, { nullable: true })
  start!: Date | null;

  @Field(() => DateTime, { nullable: true })
  stop!: Date | null;

  @Field(() => [Float], { description: 'Epoch milliseconds of each sample.' })
  times!: number[];
}
