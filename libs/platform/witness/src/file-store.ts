import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { CosignedState, ForkEvidence, WitnessStore } from './witness';

interface StateFile {
  logs: Record<string, CosignedState>;
  forks: ForkEvidence[];
}

/** The witness state as one JSON file, replaced atomically (write then rename) so a restart resumes from it. */
export class FileWitnessStore implements WitnessStore {
  private state: StateFile;

  constructor(private readonly path: string) {
    this.state = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as StateFile) : { logs: {}, forks: [] };
  }

  get(origin: string): CosignedState | undefined {
    return this.state.logs[origin];
  }

  compareAndSet(origin: string, expectedSize: number | undefined, next: CosignedState): boolean {
    if (this.state.logs[origin]?.size !== expectedSize) return false;
    this.write({ ...this.state, logs: { ...this.state.logs, [origin]: next } });
    return true;
  }

  recordFork(evidence: ForkEvidence): void {
    this.write({ ...this.state, forks: [...this.state.forks, evidence] });
  }

  forks(): readonly ForkEvidence[] {
    return this.state.forks;
  }

  private write(next: StateFile): void {
    writeFileSync(`${this.path}.tmp`, JSON.stringify(next), { flush: true });
    renameSync(`${this.path}.tmp`, this.path);
    this.state = next;
  }
}
