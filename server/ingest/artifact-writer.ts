import type { SqlEntityManager as EntityManager } from '@mikro-orm/knex';
import { Artifact, ArtifactChunk } from '../db/entities/index.js';

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
    private readonly em: EntityManager,
    private readonly id: number,
  ) {}

  static async open(em: EntityManager, runId: number, info: ArtifactInfo): Promise<ArtifactWriter> {
    const id = await em.insert(Artifact, {
      run: runId,
      ...info,
      encoding: 'gzip',
      size: 0,
      sha256: '',
      storedSize: 0,
    });
    return new ArtifactWriter(em, id);
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
    await this.em.nativeUpdate(Artifact, this.id, { size, sha256, storedSize: this.stored });
  }

  private async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const data = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    this.stored += data.length;
    await this.em.insert(ArtifactChunk, { artifact: this.id, seq: this.seq++, data });
  }
}
