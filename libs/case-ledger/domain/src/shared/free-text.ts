import { z } from 'zod';

/**
 * Where the free text of an event stands in what a professional writes: `true` for a field of free text, an
 * object for the free text inside a nested object, a one-element array for the free text of every item of a
 * list. The stored event (schema version 2) holds that text under its `personal` part, in the same nesting,
 * so that it is sealed under the household's key and erased with it.
 */
export type FreeTextShape = { readonly [field: string]: true | FreeTextShape | readonly [FreeTextShape] };

type Item<T> = T extends readonly (infer I)[] ? I : never;

/** The facts of content `T`: its free text taken out. */
export type Facts<T, S> = T extends readonly unknown[]
  ? Facts<Item<T>, S>[]
  : {
      [K in keyof T as K extends keyof S ? (S[K] extends true ? never : K) : K]: K extends keyof S
        ? S[K] extends readonly [infer I]
          ? T[K] extends readonly unknown[] | undefined
            ? Facts<Item<NonNullable<T[K]>>, I>[] | Extract<T[K], undefined>
            : never
          : Facts<NonNullable<T[K]>, S[K]> | Extract<T[K], undefined>
        : T[K];
    };

/** The free text of content `T`, in its nesting. */
export type Moved<T, S> = {
  [K in keyof T as K extends keyof S ? K : never]: K extends keyof S
    ? S[K] extends true
      ? T[K]
      : S[K] extends readonly [infer I]
        ? Moved<Item<NonNullable<T[K]>>, I>[] | Extract<T[K], undefined>
        : Moved<NonNullable<T[K]>, S[K]> | Extract<T[K], undefined>
    : never;
};

type PersonalOf<T> = T extends { personal?: infer P } ? P : object;

/** An event's data as stored: the facts in the clear, the free text with the rest of the personal part. */
export type Sealed<T, S> = Facts<Omit<T, 'personal'>, S> & { personal?: NonNullable<PersonalOf<T>> & Moved<T, S> };

function unwrapOptional(schema: z.ZodType): { inner: z.ZodType; optional: boolean } {
  return schema instanceof z.ZodOptional ? { inner: schema.unwrap() as z.ZodType, optional: true } : { inner: schema, optional: false };
}

function splitObject(schema: z.ZodObject, shape: FreeTextShape): { facts: z.ZodObject; moved: z.ZodObject } {
  const facts: Record<string, z.ZodType> = { ...(schema.shape as Record<string, z.ZodType>) };
  const moved: Record<string, z.ZodType> = {};
  for (const [key, part] of Object.entries(shape)) {
    const field = facts[key];
    if (!field) throw new Error(`free text field ${key} is not in the schema`);
    if (part === true) {
      moved[key] = field;
      delete facts[key];
      continue;
    }
    const { inner, optional } = unwrapOptional(field);
    const wrap = (s: z.ZodType) => (optional ? s.optional() : s);
    if (Array.isArray(part)) {
      const array = inner as z.ZodArray<z.ZodObject>;
      const split = splitObject(array.element, part[0] as FreeTextShape);
      const checks = (array._zod.def.checks ?? []) as z.core.$ZodCheck<unknown[]>[];
      facts[key] = wrap(z.array(split.facts).check(...checks));
      moved[key] = wrap(z.array(split.moved).check(...checks));
    } else {
      const split = splitObject(inner as z.ZodObject, part as FreeTextShape);
      facts[key] = wrap(split.facts);
      moved[key] = wrap(split.moved);
    }
  }
  return { facts: z.object(facts), moved: z.object(moved) };
}

/**
 * The schema of the stored event from the schema of its content: the free text moves into `personal` (merged
 * with the personal part the content already had, whose fields become optional when that part was). The
 * personal part is optional only when all of it is.
 */
export function sealedSchema(content: z.ZodObject, shape: FreeTextShape): z.ZodObject {
  if (Object.keys(shape).length === 0) return content;
  const { personal, ...rest } = content.shape as Record<string, z.ZodType>;
  const { facts, moved } = splitObject(z.object(rest), shape);
  const own = personal ? unwrapOptional(personal) : { inner: z.object({}), optional: true };
  // An optional personal part may be absent beside free text: then none of its own fields is there.
  const merged = (own.optional ? (own.inner as z.ZodObject).partial() : (own.inner as z.ZodObject)).extend(moved.shape);
  const optional = own.optional && Object.values(moved.shape).every((s) => s instanceof z.ZodOptional);
  return facts.extend({ personal: optional ? merged.optional() : merged });
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The content without its free text (in the content's order) and the free text (in the shape's order). */
function take(content: Json, shape: FreeTextShape): { facts: Json; moved: Json } {
  const facts: Json = {};
  for (const key of Object.keys(content)) if (shape[key] !== true || content[key] === undefined) facts[key] = content[key];
  const moved: Json = {};
  for (const key of Object.keys(shape)) {
    const value = content[key];
    const part = shape[key]!;
    if (value === undefined) continue;
    if (part === true) {
      moved[key] = value;
    } else if (Array.isArray(part)) {
      const items = (value as Json[]).map((item) => take(item, part[0] as FreeTextShape));
      facts[key] = items.map((i) => i.facts);
      moved[key] = items.map((i) => i.moved);
    } else {
      const split = take(value as Json, part as FreeTextShape);
      facts[key] = split.facts;
      moved[key] = split.moved;
    }
  }
  return { facts, moved };
}

/** Content as written → data as stored: the free text moves under `personal` (also the upcaster from version 1). */
export function sealFreeText<T extends object, S extends FreeTextShape>(content: T, shape: S): Sealed<T, S> {
  const { facts, moved } = take(content as Json, shape);
  const personal = facts['personal'];
  const merged = isObject(personal) ? { ...personal, ...moved } : moved;
  if (personal !== undefined || Object.keys(merged).length > 0) facts['personal'] = merged;
  return facts as Sealed<T, S>;
}

function nest(facts: Json, personal: unknown, shape: FreeTextShape, erased: Json | undefined): Json {
  const result: Json = { ...facts };
  const own: Json = {};
  let leaves = false;
  const from = isObject(personal) ? personal : {};
  for (const [key, part] of Object.entries(shape)) {
    if (part === true) {
      leaves = true;
      if (!erased && from[key] !== undefined) own[key] = from[key];
    } else if (Array.isArray(part) && Array.isArray(facts[key])) {
      const texts = Array.isArray(from[key]) ? (from[key] as unknown[]) : [];
      result[key] = (facts[key] as Json[]).map((item, i) => nest(item, texts[i], part[0] as FreeTextShape, erased));
    } else if (!Array.isArray(part) && isObject(facts[key])) {
      result[key] = nest(facts[key] as Json, from[key], part as FreeTextShape, erased);
    }
  }
  if (erased && leaves) result['personal'] = erased;
  else if (Object.keys(own).length > 0) result['personal'] = own;
  return result;
}

/**
 * Data as stored → data as people read it: each piece of free text back on the object it describes, under that
 * object's own `personal` key (a doorbraak's title on the doorbraak, a rule's purpose on the rule). What is
 * withheld or erased is then replaced per object, and everything else stays readable. The rest of the event's
 * personal part stays under `personal` at the top.
 */
export function nestFreeText(data: Json, shape: FreeTextShape, erasedMarker: Json): Json {
  const { personal, ...facts } = data;
  const erased = isObject(personal) && personal['erased'] === true ? erasedMarker : undefined;
  const nested = nest(facts, personal, shape, erased);
  if (personal === undefined) return nested;
  if (erased) return { ...nested, personal: erased };
  const rest = Object.fromEntries(Object.entries(personal as Json).filter(([key]) => !(key in shape)));
  const top = { ...rest, ...(isObject(nested['personal']) ? (nested['personal'] as Json) : {}) };
  const { personal: _p, ...withoutPersonal } = nested;
  return Object.keys(top).length > 0 ? { ...withoutPersonal, personal: top } : withoutPersonal;
}

function join(facts: Json, moved: unknown, shape: FreeTextShape): Json {
  const result: Json = { ...facts };
  const from = isObject(moved) ? moved : {};
  for (const [key, part] of Object.entries(shape)) {
    if (part === true) {
      if (from[key] !== undefined) result[key] = from[key];
    } else if (Array.isArray(part) && Array.isArray(facts[key])) {
      const texts = Array.isArray(from[key]) ? (from[key] as unknown[]) : [];
      result[key] = (facts[key] as Json[]).map((item, i) => join(item, texts[i], part[0] as FreeTextShape));
    } else if (!Array.isArray(part) && isObject(facts[key])) {
      result[key] = join(facts[key] as Json, from[key], part as FreeTextShape);
    }
  }
  return result;
}

/**
 * Data as stored → content as written (the inverse of `sealFreeText`), for exports in the exchange format. An
 * erased personal part stays `{ erased: true }` and its free text is absent.
 */
export function joinFreeText(data: Json, shape: FreeTextShape): Json {
  const { personal, ...facts } = data;
  if (personal === undefined) return facts;
  if (isObject(personal) && personal['erased'] === true) return { ...facts, personal };
  const joined = join(facts, personal, shape);
  const rest = Object.fromEntries(Object.entries(personal as Json).filter(([key]) => !(key in shape)));
  return Object.keys(rest).length > 0 ? { ...joined, personal: rest } : joined;
}
