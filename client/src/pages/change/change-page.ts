/** The change page as plain data: its patch sets newest first, each one's reports by CI. */
import type { ChangePatchSet, ChangeReport } from '../../documents/change.js';

/** One CI's reports on one patch set, oldest first (a recheck adds one). */
export interface CiReports {
  ci: ChangeReport['ci'];
  reports: ChangeReport[];
}

export function newestFirst(patchSets: readonly ChangePatchSet[]): ChangePatchSet[] {
  return [...patchSets].sort((a, b) => b.number - a.number);
}

/** The reports grouped by CI: the upstream CI first, then by name (as the CI matrix orders). */
export function reportsByCi(reports: readonly ChangeReport[]): CiReports[] {
  const groups = new Map<string, CiReports>();
  for (const report of reports) {
    const group = groups.get(report.ci.ci) ?? { ci: report.ci, reports: [] };
    group.reports.push(report);
    groups.set(report.ci.ci, group);
  }
  for (const group of groups.values()) {
    group.reports.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  }
  return [...groups.values()].sort(
    (a, b) =>
      Number(b.ci.upstream) - Number(a.ci.upstream) ||
      a.ci.name.localeCompare(b.ci.name) ||
      a.ci.ci.localeCompare(b.ci.ci),
  );
}
