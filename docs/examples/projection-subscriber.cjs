// Example consumer of a Doorbraak Ledger projection feed (Node 20+, standard library only).
//
//   node docs/examples/projection-subscriber.cjs http://127.0.0.1:3000 cost_per_law ./cost-per-law.json
//
// It keeps a local copy of the projection's rows in a JSON file together with the id of the last change it
// applied. Stop it at any time; started again it resumes with Last-Event-ID from that id, so it misses nothing,
// and because each change carries the whole new row under a stable key, a change delivered twice is harmless.
'use strict';
const { readFile, rename, writeFile } = require('node:fs/promises');

async function load(stateFile) {
  try {
    return JSON.parse(await readFile(stateFile, 'utf8'));
  } catch {
    return { lastEventId: '', rows: {} };
  }
}

async function save(stateFile, state) {
  await writeFile(`${stateFile}.tmp`, JSON.stringify(state));
  await rename(`${stateFile}.tmp`, stateFile);
}

/** Applies one change record to the local copy. */
function apply(state, change) {
  if (change.kind === 'reset') state.rows = {};
  else if (change.kind === 'delete') delete state.rows[change.key];
  else state.rows[change.key] = change.row;
  state.lastEventId = change.cursor;
}

/**
 * Follows the feed until `signal` aborts, reconnecting after errors. `onChange` sees each applied record.
 * Headers carry the caller's municipality and identity (X-Tenant, X-Actor-Id, later a bearer token).
 */
async function subscribe({ baseUrl, projection, stateFile, headers = {}, signal, onChange = () => {} }) {
  const state = await load(stateFile);
  while (!signal?.aborted) {
    try {
      const response = await fetch(`${baseUrl}/v1/projections/${projection}/changes/stream`, {
        headers: { ...headers, accept: 'text/event-stream', ...(state.lastEventId ? { 'last-event-id': state.lastEventId } : {}) },
        signal,
      });
      if (!response.ok) throw new Error(`feed answered ${response.status}: ${await response.text()}`);
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = message.split('\n').find((line) => line.startsWith('data: '));
          if (!data) continue;
          const change = JSON.parse(data.slice(6));
          apply(state, change);
          await save(stateFile, state);
          onChange(change, state);
        }
      }
    } catch (error) {
      if (signal?.aborted) break;
      process.stderr.write(`subscriber: ${error.message}; reconnecting\n`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  return state;
}

module.exports = { apply, subscribe };

if (require.main === module) {
  const [baseUrl, projection, stateFile] = process.argv.slice(2);
  if (!baseUrl || !projection || !stateFile || !process.env.LEDGER_TOKEN) {
    process.stderr.write('usage: LEDGER_TOKEN=<bearer token of an analyst> projection-subscriber.cjs <base-url> <projection> <state-file>\n');
    process.exit(2);
  }
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  subscribe({
    baseUrl,
    projection,
    stateFile,
    headers: { authorization: `Bearer ${process.env.LEDGER_TOKEN}` },
    signal: controller.signal,
    onChange: (change) => process.stdout.write(`${change.kind} ${change.key ?? ''} (${change.cursor})\n`),
  });
}
