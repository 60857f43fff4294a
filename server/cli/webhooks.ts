import { switchOption, textOption, type Invocation } from '../command.js';
import { GatewatchError } from '../errors.js';
import { listDeliveries, type DeliveryRecord, type DeliveryState } from '../webhooks/deliveries.js';
import { withDatabase } from './database.js';
import { formatTable, utcTime } from './table.js';

const STATES: readonly DeliveryState[] = ['queued', 'running', 'delivered', 'failed'];

/** The most deliveries one listing shows. */
const MAX_LIMIT = 10_000;

/** `gatewatch webhooks list [--state S] [--limit N] [--json]`. */
export async function listWebhooks(invocation: Invocation): Promise<number> {
  const state = textOption(invocation, 'state') ?? null;
  if (state !== null && !STATES.includes(state as DeliveryState)) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `--state ${state}: expected one of ${STATES.join(', ')}`,
    );
  }
  const limitText = textOption(invocation, 'limit') ?? '50';
  const limit = Number(limitText);
  if (!/^[1-9]\d*$/.test(limitText) || limit > MAX_LIMIT) {
    throw new GatewatchError('BAD_ARGUMENT', `--limit ${limitText}: expected 1…${MAX_LIMIT}`);
  }
  return withDatabase(invocation, async (db) => {
    const deliveries = await listDeliveries(db, { state: state as DeliveryState | null, limit });
    invocation.io.stdout.write(
      switchOption(invocation, 'json')
        ? `${JSON.stringify(deliveries, null, 2)}\n`
        : `${formatDeliveries(deliveries)}\n`,
    );
    return 0;
  });
}

function formatDeliveries(deliveries: readonly DeliveryRecord[]): string {
  if (deliveries.length === 0) return 'no webhook deliveries';
  const rows = [
    ['EVENT', 'KIND', 'URL', 'STATE', 'ATTEMPTS', 'STATUS', 'RECORDED', 'ERROR'],
    ...deliveries.map((d) => [
      String(d.event),
      d.kind,
      d.url,
      d.state,
      String(d.attempts),
      d.status === null ? '-' : String(d.status),
      utcTime(d.recordedAt),
      d.error ?? '',
    ]),
  ];
  return formatTable(rows, [0, 4]);
}
