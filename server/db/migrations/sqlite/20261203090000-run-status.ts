import { Migration } from '@mikro-orm/migrations';

const FAILING = '(r.`failures` + r.`uxsuccesses`) > 0';
const PASSING = '(r.`passes` + r.`xfails`) > 0';
const BROKEN = '(r.`incomplete` > 0 or r.`parse_errors` > 0)';

/** The runs of a `job_daily` row. SQLite keeps `run_at` as epoch ms and `day` as 'YYYY-MM-DD' text. */
const OF_ROW =
  "r.`build_name` = `job_daily`.`build_name` and date(r.`run_at` / 1000, 'unixepoch') = `job_daily`.`day`";

/**
 * Recounts the passed, failed and skipped runs of the `job_daily` rows holding a run that
 * has no failing result but an incomplete one or parse errors: `failed` tells whether such a
 * run counts as failed. Rows without one read the same under either rule and stay as they are.
 */
function recount(failed: boolean): string {
  const isFailed = failed ? `(${FAILING} or ${BROKEN})` : FAILING;
  const count = (condition: string) =>
    `(select count(*) from \`runs\` r where ${OF_ROW} and ${condition})`;
  return (
    'update `job_daily` set ' +
    `\`passed_runs\` = ${count(`not ${isFailed} and ${PASSING}`)}, ` +
    `\`failed_runs\` = ${count(isFailed)}, ` +
    `\`skipped_runs\` = ${count(`not ${isFailed} and not ${PASSING}`)} ` +
    `where exists (select 1 from \`runs\` r where ${OF_ROW} and not ${FAILING} and ${BROKEN});`
  );
}

/**
 * A run with an incomplete result (a worker died) or damaged packets is FAILED, no longer
 * PASSED or SKIPPED (server/runs/outcome.ts): the job rollups of the runs stored before are
 * recounted under that rule, so that deleting such a run takes out what it added.
 */
export class Migration20261203090000_run_status extends Migration {
  override async up(): Promise<void> {
    this.addSql(recount(true));
  }

  override async down(): Promise<void> {
    this.addSql(recount(false));
  }
}
