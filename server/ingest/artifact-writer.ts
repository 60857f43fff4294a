import type { Knex } from '@mikro-orm/knex';

/** Chunk size of stored artifacts: far below MySQL's default 16 MiB packet. */
const CHUNK_BYTES = 2 << 20;

export interface ArtifactInfo {
  kind: 'subunit' | 'dstat';
  name: string;
  contentType: string;
}

/** Streams an artifact's gzip bytes into chunk rows; `finish` records its size and hash. */
export class ArtifactWriter {
  private seq = 0;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private stored = 0;

  private constructor(
    private readonly trx: Knex,
    private readonly id: number,
  ) {}

  static async open(trx: Knex, runId: number, info: ArtifactInfo): Promise<ArtifactWriter> {
    const [id] = await trx('artifacts').insert({
      run_id: runId,
      kind: info.kind,
      name: info.name,
      content_type: info.contentType,
      encoding: 'gzip',
      size: 0,
      sha256: '',
      stored_size: 0,
    });
    return new ArtifactWriter(trx, Number(id));
  }

  async append(chunks: Uint8Array[]): Promise<void> {
    for (const chunk of chunks) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      if (this.pendingBytes >= CHUNK_BYTES) await this.flush();
    }
  }

  /** Stores the rest; `size` and `sha256` describe the uncompressed content. */
  async finish(size: number, sha256: string): Promise<void> {
    await this.flush();
    await this.trx('artifacts')
      .where('id', this.id)
      .update({ size, sha256, stored_size: this.stored });
  }

  private async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const data = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    this.stored += data.length;
    await this.trx('artifact_chunks').insert({ artifact_id: this.id, seq: this.seq++, data });
  }
}
