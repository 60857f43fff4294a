import { shellQuote } from '../../lib/shell.js';

/** The command that does the same scrape with the CLI, quoted for a POSIX shell. */
export function scrapeCommand(input: string, job: string | null): string {
  const words = ['npx', 'gatewatch', 'scrape', ...(job === null ? [] : ['--job', job]), input];
  return words.map(shellQuote).join(' ');
}
