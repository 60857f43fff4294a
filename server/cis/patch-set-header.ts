/**
 * The `Patch Set N: …` header Gerrit puts on the first line of a change message. REST always
 * sends it; stream-events sends it on newer servers and leaves it out on older ones, so
 * everything that must not depend on the delivery path reads the message through
 * {@link splitPatchSetHeader}.
 */

/** A vote named in the header: `Verified+1` → +1, `Code-Review-2` → −2, `-Verified` → removed. */
export interface HeaderVote {
  readonly label: string;
  /** `null` when the header removes the vote (`-Verified`). */
  readonly value: number | null;
}

export interface SplitMessage {
  /** The header's patch set number; `null` when the message has no header. */
  readonly patchSet: number | null;
  readonly votes: readonly HeaderVote[];
  /** The message without the header line and the blank lines after it, CRLF → LF. */
  readonly body: string;
}

const HEADER = /^Patch Set (\d+):(.*)$/;
const VOTE = /^([A-Za-z][\w-]*?)([+-]\d+)$/;
const REMOVED_VOTE = /^-([A-Za-z][\w-]*)$/;

/** Splits a change message into its `Patch Set N:` header (when present) and its body. */
export function splitPatchSetHeader(message: string): SplitMessage {
  const text = message.includes('\r') ? message.replace(/\r\n?/g, '\n') : message;
  const lineEnd = text.indexOf('\n');
  const firstLine = lineEnd < 0 ? text : text.slice(0, lineEnd);
  const header = HEADER.exec(firstLine.trimEnd());
  if (!header) return { patchSet: null, votes: [], body: text };
  const votes: HeaderVote[] = [];
  for (const word of header[2]!.trim().split(/\s+/)) {
    const vote = VOTE.exec(word);
    if (vote) votes.push({ label: vote[1]!, value: Number(vote[2]) });
    else {
      const removed = REMOVED_VOTE.exec(word);
      if (removed) votes.push({ label: removed[1]!, value: null });
    }
  }
  const body = lineEnd < 0 ? '' : text.slice(lineEnd + 1).replace(/^\n+/, '');
  return { patchSet: Number(header[1]), votes, body };
}
