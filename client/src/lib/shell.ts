/** A word as a POSIX shell reads it back unchanged: as is when safe, else single-quoted. */
export function shellQuote(word: string): string {
  return /^[\w.@%+=:,/-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
