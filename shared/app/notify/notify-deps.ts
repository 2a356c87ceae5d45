import type { Destination } from '../../adapters/notify/destinations.js';
import type { Locale } from '../../core/notify/events.js';
import type { Clock } from '../../ports/clock.port.js';
import type { Logger } from '../../ports/logger.port.js';
import type { Store } from '../../ports/store.port.js';

export interface NotifyDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly destinations: readonly Destination[];
  readonly settings: {
    readonly locale: Locale;
    readonly mode: 'paper' | 'live';
    readonly pair: string;
    readonly dailySummaryHourUtc: number;
    readonly incidentAfterRuns: number;
    /** How long a claimed delivery is held (longer than a run's attempts and waits on it). */
    readonly leaseMs?: number;
  };
}
