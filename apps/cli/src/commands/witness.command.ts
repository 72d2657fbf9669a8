import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { FileWitnessStore, Witness, witnessServer, witnessVkey } from '@doorbraak/witness';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context';

const list = (value: string, previous: string[] = []) => [...previous, value];

export function witnessCommand(program: Command, context: CliContext): void {
  program
    .command('witness')
    .description('run a C2SP tlog-witness: cosign checkpoints of the followed logs that extend the last one cosigned')
    .requiredOption('--name <name>', 'the witness key name, e.g. witness.gm0363.nl')
    .requiredOption('--key <file>', 'PEM file with the witness Ed25519 private key')
    .requiredOption('--state <file>', 'JSON file with the last cosigned checkpoint per log and the fork evidence')
    .requiredOption('--log <origin=vkey>', 'a log to follow and its verifier key (repeatable)', list)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 picks a free one)', '0')
    .action(async (options: { name: string; key: string; state: string; log: string[]; host: string; port: string }) => {
      const privateKey = createPrivateKey(readFileSync(options.key, 'utf8'));
      const logs = new Map(options.log.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)] as const));
      const server = witnessServer(new Witness(options.name, privateKey, logs, new FileWitnessStore(options.state)));
      await new Promise<void>((resolve) => server.listen(Number(options.port), options.host, resolve));
      const { address, port } = server.address() as AddressInfo;
      context.print(JSON.stringify({ witness: witnessVkey(options.name, privateKey), url: `http://${address}:${port}` }));
      await new Promise<void>((resolve) => process.once('SIGTERM', resolve).once('SIGINT', resolve));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
}
