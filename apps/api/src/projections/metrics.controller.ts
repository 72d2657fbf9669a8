import { Controller, Get, Header, Inject } from '@nestjs/common';
import type { Ledger } from '@doorbraak/ledger-infrastructure';
import { LEDGER } from '../tokens';
import { Permit } from '../auth/permit';

/** Prometheus text: projection lag and progress, and the checkpoints waiting for witnesses, for dashboards and alerts. */
@Controller('v1/metrics')
export class MetricsController {
  constructor(@Inject(LEDGER) private readonly ledger: Ledger) {}

  @Get()
  @Permit('operations:read')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async metrics(): Promise<string> {
    const [generations, witnesses] = await Promise.all([this.ledger.runtime.status(), this.ledger.witnesses.status()]);
    const label = (g: (typeof generations)[number]) => `projection="${g.name}",generation="${g.generation}",version="${g.version}",status="${g.status}"`;
    return [
      '# HELP ledger_projection_lag_events Events matching the projection that it has not applied yet.',
      '# TYPE ledger_projection_lag_events gauge',
      ...generations.map((g) => `ledger_projection_lag_events{${label(g)}} ${g.lag}`),
      '# HELP ledger_projection_events_applied_total Events the generation has applied since it started building.',
      '# TYPE ledger_projection_events_applied_total counter',
      ...generations.map((g) => `ledger_projection_events_applied_total{${label(g)}} ${g.eventsApplied}`),
      '# HELP ledger_witness_cosigned_size The largest checkpoint size the ledger holds the cosignature of the witness for.',
      '# TYPE ledger_witness_cosigned_size gauge',
      ...witnesses.map((w) => `ledger_witness_cosigned_size{witness="${w.name}"} ${w.cosignedSize}`),
      '# HELP ledger_witness_waiting_checkpoints Signed checkpoints waiting for the cosignature of the witness.',
      '# TYPE ledger_witness_waiting_checkpoints gauge',
      ...witnesses.map((w) => `ledger_witness_waiting_checkpoints{witness="${w.name}"} ${w.waiting}`),
      '# HELP ledger_witness_failed_attempts Failed attempts to reach the witness since it last cosigned.',
      '# TYPE ledger_witness_failed_attempts gauge',
      ...witnesses.map((w) => `ledger_witness_failed_attempts{witness="${w.name}"} ${w.attempts}`),
      '',
    ].join('\n');
  }
}
