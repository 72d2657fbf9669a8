import { Buffer } from 'node:buffer';
import { createServer, type Server } from 'node:http';
import type { AddCheckpointRequest, AddCheckpointResult, Witness } from './witness';

const MAX_BODY = 64 * 1024;

/** Parses a C2SP tlog-witness add-checkpoint body: "old <size>", proof hashes in base64, a blank line, the note. */
export function parseAddCheckpoint(body: string): AddCheckpointRequest | string {
  const blank = body.indexOf('\n\n');
  if (blank < 0) return 'request has no blank line before the checkpoint';
  const [oldLine, ...proofLines] = body.slice(0, blank).split('\n');
  const old = /^old (0|[1-9][0-9]*)$/.exec(oldLine ?? '');
  if (!old || !Number.isSafeInteger(Number(old[1]))) return 'first line is not "old <size>"';
  const proof: Buffer[] = [];
  for (const line of proofLines) {
    const hash = Buffer.from(line, 'base64');
    if (hash.length !== 32 || hash.toString('base64') !== line) return 'a proof line is not a base64 SHA-256 hash';
    proof.push(hash);
  }
  return { oldSize: Number(old[1]), proof, checkpoint: body.slice(blank + 2) };
}

export function formatAddCheckpoint(request: AddCheckpointRequest): string {
  const proof = request.proof.map((hash) => `${Buffer.from(hash).toString('base64')}\n`).join('');
  return `old ${request.oldSize}\n${proof}\n${request.checkpoint}`;
}

/** Serves `POST /add-checkpoint` with the tlog-witness status codes; anything else is 404. */
export function witnessServer(witness: Witness): Server {
  return createServer((request, response) => {
    if (request.method !== 'POST' || request.url !== '/add-checkpoint') {
      response.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    let length = 0;
    request.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > MAX_BODY) request.destroy();
      else chunks.push(chunk);
    });
    request.on('end', () => {
      const parsed = parseAddCheckpoint(Buffer.concat(chunks).toString('utf8'));
      const result: AddCheckpointResult = typeof parsed === 'string' ? { status: 400, reason: parsed } : witness.addCheckpoint(parsed);
      if (result.status === 200) response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(result.cosignature);
      else if (result.status === 409) response.writeHead(409, { 'content-type': 'text/x.tlog.size' }).end(`${result.size}\n`);
      else response.writeHead(result.status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${result.reason}\n`);
    });
  });
}
