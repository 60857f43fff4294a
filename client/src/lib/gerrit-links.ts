/** Links into the Gerrit web UI of the servers gatewatch collects from. */

/** Each server's web address by its configured name. */
export function serverUrls(servers: readonly { name: string; url: string }[]): Map<string, string> {
  return new Map(servers.map((s) => [s.name, s.url.replace(/\/+$/, '')]));
}

/**
 * A change (or one of its patch sets) in Gerrit's UI, `…/c/PROJECT/+/NUMBER[/PATCHSET]`; null
 * when the server's address is not known.
 */
export function gerritChangeUrl(
  base: string | undefined,
  project: string,
  change: number,
  patchSet?: number,
): string | null {
  if (!base) return null;
  const path = `${base}/c/${project.split('/').map(encodeURIComponent).join('/')}/+/${change}`;
  return patchSet === undefined ? path : `${path}/${patchSet}`;
}
