import { Backoff, type EventStore, pause, type LogPosition, type Projection, type ReadAllOptions, type ReadAllResult, type RecordedEvent, START } from '@doorbraak/event-store';
import type { SqlClient } from '@doorbraak/sql';
import { randomUUID } from 'node:crypto';
import type { GenerationRow, Generations } from './generations';
import { type Leases, LeaseLostError } from './leases';
import { RowCache, commitPage, foldPage } from './page-writer';

/** Opens the sealed personal parts of events (the crypto-shredding store does). */
export interface PersonalParts {
  openPersonal(events: readonly RecordedEvent[]): Promise<RecordedEvent[]>;
}

export interface PassContext {
  readonly store: EventStore;
  readonly client: SqlClient;
  readonly schema: string;
  readonly generations: Generations;
  readonly leases: Leases;
  readonly personal: PersonalParts | undefined;
  readonly batchSize: number;
  /** Events per page while every generation of the pass is building (fewer, larger transactions). */
  readonly buildBatchSize: number;
  readonly idleMs: number;
  /** Bound on the rows a pass keeps in memory, shared by its generations (serialized size). */
  readonly cacheBytes: number;
  /** Prefix of the lease owners of this process. */
  readonly owner: string;
  readonly notify: () => void;
}

/** Where one generation of a pass stands after a page. */
export interface PassProgress {
  readonly target: GenerationRow;
  readonly status: GenerationRow['status'];
  readonly position: LogPosition;
  readonly applied: number;
}

export interface PassOptions {
  readonly signal: AbortSignal;
  /** End once every generation is live and has read everything there is; otherwise follow the log until `signal`. */
  readonly untilLive: boolean;
  readonly onPage?: (progress: PassProgress) => Promise<void> | void;
  /** A generation went live. */
  readonly onLive?: (target: GenerationRow) => void;
  /**
   * A generation left the pass, its lease released: at the end, when its lease was taken by another runner
   * (or never free), or with the error it failed with (to be run again on its own).
   */
  readonly onLeave?: (target: GenerationRow, error?: unknown) => void;
}

interface Member {
  readonly target: GenerationRow;
  readonly projection: Projection;
  readonly owner: string;
  readonly table: string;
  readonly cache: RowCache;
  readonly lost: AbortController;
  readonly stopKeeping: () => void;
  readonly categories: ReadonlySet<string> | undefined;
  readonly types: ReadonlySet<string> | undefined;
  status: GenerationRow['status'];
  position: LogPosition;
  applied: number;
  /** The member's pages in order: each is folded and committed after the one before. */
  chain: Promise<void>;
  left: boolean;
}

/** Memory the database may use for a build page's statement, beyond its default `work_mem`. */
const BUILD_PAGE_WORK_MEM = '64MB';

/** Pages handed to the generations and not yet committed by all of them, at most (bounds the memory a pass holds). */
const PAGES_IN_FLIGHT = 2;

const matches = (m: Member, e: RecordedEvent) => (!m.categories || m.categories.has(e.category)) && (!m.types || m.types.has(e.type));

/** The smallest filter that lets through every event any member's filter does. */
function unionFilter(projections: readonly Projection[]): Pick<ReadAllOptions, 'categories' | 'types'> {
  const union = (lists: readonly (readonly string[] | undefined)[]) => (lists.some((l) => l === undefined) ? undefined : [...new Set(lists.flat() as string[])]);
  const categories = union(projections.map((p) => p.filter.categories));
  const types = union(projections.map((p) => p.filter.types));
  return { ...(categories ? { categories } : {}), ...(types ? { types } : {}) };
}

/**
 * One ordered read of the log for many generations: each page is read once (the next one is already being read
 * while this one is folded), decoded once, and handed to every generation it concerns. Each generation folds
 * and commits its own rows and checkpoint in its own transaction, so one that fails leaves the pass (and is run
 * again on its own) while the others go on.
 */
export async function runPass(context: PassContext, targets: readonly { target: GenerationRow; projection: Projection }[], options: PassOptions): Promise<number> {
  const members: Member[] = [];
  for (const { target, projection } of targets) {
    const owner = `${context.owner}/${randomUUID()}`;
    const position = await context.leases.acquire(target, owner);
    if (position === undefined) {
      options.onLeave?.(target);
      continue;
    }
    const lost = new AbortController();
    members.push({
      target,
      projection,
      owner,
      table: `${context.schema}.${target.table_name}`,
      cache: new RowCache(context.cacheBytes / targets.length, position === START),
      lost,
      stopKeeping: context.leases.keep(target, owner, lost),
      categories: projection.filter.categories && new Set(projection.filter.categories),
      types: projection.filter.types && new Set(projection.filter.types),
      status: target.status,
      position,
      applied: Number(target.events_applied),
      chain: Promise.resolve(),
      left: false,
    });
  }
  const ran = members.length;
  const leave = async (member: Member, error?: unknown) => {
    if (member.left) return;
    member.left = true;
    members.splice(members.indexOf(member), 1);
    member.stopKeeping();
    await context.leases.release(member.target, member.owner);
    options.onLeave?.(member.target, error);
  };
  if (members.length === 0) return 0;

  const filter = unionFilter(members.map((m) => m.projection));
  // The first page is a small one, so that folding starts while the larger pages of a build are read.
  let first = true;
  const read = (after: LogPosition) => {
    const limit = !first && members.every((m) => m.status === 'building') ? context.buildBatchSize : context.batchSize;
    first = false;
    const reading = context.store.readAll({ after, limit, ...filter });
    reading.catch(() => undefined);
    return reading;
  };
  let appended = false;
  let wake: (() => void) | undefined;
  const unsubscribe = context.store.onAppended(() => {
    appended = true;
    wake?.();
  });
  const backoff = new Backoff(1_000, 30_000);
  let from = members.reduce((min, m) => (m.position < min ? m.position : min), members[0]!.position);
  let next = read(from);
  // Pages dispatched to the members' chains, oldest first: the next page is read and folded while the
  // generations still commit the ones before.
  const inFlight: Promise<unknown>[] = [];
  const drain = () => Promise.all(inFlight.splice(0));
  try {
    while (!options.signal.aborted) {
      for (const member of members.filter((m) => m.lost.signal.aborted)) await leave(member);
      if (members.length === 0) break;
      appended = false;
      let page: ReadAllResult;
      try {
        page = await next;
        backoff.reset();
      } catch {
        // The read failed: read the same page again after a backoff that appends do not cut short.
        await pause(backoff.next(), options.signal);
        next = read(from);
        continue;
      }
      if (page.scannedTo === from) {
        await drain();
        // Each goes live in its own transaction (its indexes built, its predecessor dropped): side by side where
        // the store runs transactions at the same time.
        const goLive = async (member: Member) => {
          try {
            await context.generations.goLive(member.target, member.projection, member.owner);
            member.status = 'live';
            options.onLive?.(member.target);
            context.notify();
          } catch (error) {
            await leave(member, error);
          }
        };
        const building = members.filter((m) => m.status === 'building');
        if (context.client.concurrentTransactions) await Promise.all(building.map(goLive));
        else for (const member of building) await goLive(member);
        if (options.untilLive) break;
        if (!appended) await pause(context.idleMs, options.signal, (w) => (wake = w));
        wake = undefined;
        next = read(from);
        continue;
      }
      next = read(page.scannedTo);
      const opened = openForReaders(context, members, page.events);
      opened.catch(() => undefined);
      const steps = members.map((member) => {
        member.chain = member.chain.then(async () => {
          if (member.left) return;
          try {
            await apply(context, member, page, await opened, options);
          } catch (error) {
            await leave(member, error);
          }
        });
        return member.chain;
      });
      inFlight.push(Promise.all(steps));
      if (inFlight.length >= PAGES_IN_FLIGHT) await inFlight.shift();
      from = page.scannedTo;
    }
  } finally {
    await drain();
    unsubscribe();
    for (const member of [...members]) await leave(member);
  }
  return ran;
}

/** The page's events with their personal parts opened, once, for the generations whose projection reads them. */
async function openForReaders(context: PassContext, members: readonly Member[], events: readonly RecordedEvent[]): Promise<ReadonlyMap<string, RecordedEvent> | undefined> {
  const readers = members.filter((m) => m.projection.readsPersonal);
  if (!context.personal || readers.length === 0) return undefined;
  const needed = events.filter((e) => readers.some((m) => e.logPosition > m.position && matches(m, e)));
  return new Map((await context.personal.openPersonal(needed)).map((e) => [e.eventId, e]));
}

async function apply(context: PassContext, member: Member, page: ReadAllResult, opened: ReadonlyMap<string, RecordedEvent> | undefined, options: PassOptions): Promise<void> {
  if (member.position >= page.scannedTo) return;
  let events = page.events.filter((e) => e.logPosition > member.position && matches(member, e));
  if (opened && member.projection.readsPersonal) events = events.map((e) => opened.get(e.eventId) ?? e);
  const target = { target: member.target, table: member.table, schema: context.schema, projection: member.projection, live: member.status === 'live' };
  // Only the lease holder writes the table, so the rows it lacks can be read before the page's statement.
  const folded = await foldPage(context.client, target, events, member.cache);
  const move = { before: member.position, to: page.scannedTo, events: events.length, owner: member.owner, leaseMs: context.leases.leaseMs };
  const moved =
    member.status === 'live'
      ? await commitPage(context.client, target, folded, move)
      : await context.client.transaction(async (tx) => {
          // Nobody reads a building generation, and its rows and checkpoint commit together: a crash may lose its
          // last pages, never part of one, so its commits need not wait for the disk. A build page's rows (tens of
          // MiB for the larger read models) are held by the statement once: in memory, not in a temporary file.
          await tx.exec(`SET LOCAL synchronous_commit = off; SET LOCAL work_mem = '${BUILD_PAGE_WORK_MEM}'`);
          return commitPage(tx, target, folded, move);
        });
  if (!moved) throw new LeaseLostError(`${member.target.name} generation ${member.target.generation} moved on without this runner`);
  for (const [key, { doc, bytes }] of folded?.touched ?? []) member.cache.set(key, doc, bytes);
  member.position = page.scannedTo;
  member.applied += events.length;
  context.notify();
  await options.onPage?.({ target: member.target, status: member.status, position: member.position, applied: member.applied });
}
