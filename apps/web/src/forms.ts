import { ApiProblem, type FieldError } from './api.js';
import { type Child, h } from './dom.js';

/** A field of a request body; `name` is its dotted path in the body, relative to its group. */
export type Field =
  | { kind: 'text' | 'textarea' | 'date' | 'amount' | 'quantity' | 'integer'; name: string; label: string; hint?: string; value?: string | number | undefined }
  | { kind: 'select'; name: string; label: string; hint?: string; options: readonly (readonly [string, string])[]; value?: string | undefined }
  | { kind: 'checkbox'; name: string; label: string; hint?: string; value?: boolean }
  | { kind: 'lines'; name: string; label: string; hint?: string; value?: readonly string[] | undefined }
  | { kind: 'group'; name: string; label: string; item: string; fields: readonly Field[]; value?: readonly Record<string, unknown>[] | undefined; min?: number };

export interface FormOptions {
  readonly id: string;
  readonly fields: readonly Field[];
  readonly submit: string;
  /** Sends the body; a thrown ApiProblem is shown at the fields its errors point at. */
  readonly onSubmit: (body: Record<string, unknown>) => Promise<void>;
  readonly intro?: Child;
  /** Said when the submission succeeded; by default "Opgeslagen." */
  readonly done?: string;
}

const pointerOf = (parent: string, name: string) => `${parent}/${name.replace(/\./g, '/')}`;
const idOf = (form: string, pointer: string) => `${form}${pointer.replace(/[#/]+/g, '-')}`;

function valueAt(source: Record<string, unknown> | undefined, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], source);
}

function setAt(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop()!;
  let node = target;
  for (const key of keys) node = (node[key] ??= {}) as Record<string, unknown>;
  node[last] = value;
}

function control(form: string, field: Exclude<Field, { kind: 'group' }>, pointer: string, describedBy: string): HTMLElement {
  const common = { id: idOf(form, pointer), name: pointer, 'data-pointer': pointer, 'aria-describedby': describedBy };
  switch (field.kind) {
    case 'textarea':
      return h('textarea', { ...common, rows: 4 }, String(field.value ?? ''));
    case 'lines':
      return h('textarea', { ...common, rows: 3 }, (field.value ?? []).join('\n'));
    case 'select':
      return h(
        'select',
        common,
        h('option', { value: '' }, '— kies —'),
        field.options.map(([value, label]) => h('option', { value, selected: value === field.value }, label)),
      );
    case 'checkbox':
      return h('input', { ...common, type: 'checkbox', checked: field.value === true });
    case 'date':
      return h('input', { ...common, type: 'date', value: field.value ?? '' });
    case 'amount':
    case 'quantity':
    case 'integer':
      return h('input', { ...common, type: 'text', inputmode: field.kind === 'integer' ? 'numeric' : 'decimal', value: field.value ?? '', autocomplete: 'off' });
    default:
      return h('input', { ...common, type: 'text', value: field.value ?? '' });
  }
}

function renderField(form: string, field: Field, parent: string): HTMLElement {
  const pointer = pointerOf(parent, field.name);
  const id = idOf(form, pointer);
  if (field.kind === 'group') return renderGroup(form, field, pointer);
  const hint = field.hint ? h('p', { class: 'hint', id: `${id}-hint` }, field.hint) : null;
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  const describedBy = [hint ? `${id}-hint` : '', `${id}-error`].filter(Boolean).join(' ');
  const input = control(form, field, pointer, describedBy);
  if (field.kind === 'checkbox') return h('div', { class: 'field field-checkbox', 'data-field': pointer }, input, h('label', { for: id }, field.label), hint, error);
  return h('div', { class: 'field', 'data-field': pointer }, h('label', { for: id }, field.label), hint, error, input);
}

function renderGroup(form: string, field: Extract<Field, { kind: 'group' }>, pointer: string): HTMLElement {
  const items = h('div', { class: 'group-items' });
  const error = () => h('p', { class: 'field-error', hidden: true });
  const group = h('fieldset', { class: 'group', 'data-field': pointer }, h('legend', null, field.label), error(), items);
  const draw = (values: readonly Record<string, unknown>[]) => {
    items.replaceChildren(
      ...values.map((value, index) =>
        h(
          'fieldset',
          { class: 'group-item', 'data-field': `${pointer}/${index}` },
          h('legend', null, `${field.item} ${index + 1}`),
          error(),
          field.fields.map((sub) => renderField(form, { ...sub, value: valueAt(value, sub.name) } as Field, `${pointer}/${index}`)),
          values.length > (field.min ?? 0)
            ? h('button', { type: 'button', class: 'secondary', onclick: () => draw(collectGroup(group, field, pointer).filter((_v, i) => i !== index)) }, `${field.item} ${index + 1} verwijderen`)
            : null,
        ),
      ),
    );
    group.dataset['count'] = String(values.length);
  };
  draw(field.value?.length ? field.value : Array.from({ length: field.min ?? 1 }, () => ({})));
  group.append(h('button', { type: 'button', class: 'secondary', onclick: () => draw([...collectGroup(group, field, pointer), {}]) }, `${field.item} toevoegen`));
  return group;
}

function collectGroup(group: HTMLElement, field: Extract<Field, { kind: 'group' }>, pointer: string): Record<string, unknown>[] {
  return Array.from({ length: Number(group.dataset['count'] ?? 0) }, (_v, index) => collect(group, field.fields, `${pointer}/${index}`));
}

function collect(root: HTMLElement, fields: readonly Field[], parent: string): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    const pointer = pointerOf(parent, field.name);
    if (field.kind === 'group') {
      setAt(body, field.name, collectGroup(root.querySelector<HTMLElement>(`[data-field="${pointer}"]`)!, field, pointer));
      continue;
    }
    const input = root.querySelector<HTMLInputElement>(`[data-pointer="${pointer}"]`)!;
    const raw = input.value.trim();
    if (field.kind === 'checkbox') setAt(body, field.name, input.checked);
    else if (field.kind === 'lines') setAt(body, field.name, raw.split('\n').map((line) => line.trim()).filter(Boolean));
    else if (raw === '') continue;
    else if (field.kind === 'integer') setAt(body, field.name, /^\d+$/.test(raw) ? Number(raw) : raw);
    else if (field.kind === 'amount' || field.kind === 'quantity') setAt(body, field.name, raw.replace(/\s/g, '').replace(',', '.'));
    else setAt(body, field.name, raw);
  }
  return body;
}

const detailInDutch = (detail: string) => (detail === 'required' ? 'Verplicht veld.' : detail);

/** Puts each error next to the field its pointer names (or the nearest enclosing one) and lists them on top. */
function showProblem(form: HTMLFormElement, summary: HTMLElement, problem: ApiProblem | Error): void {
  const errors: readonly FieldError[] = problem instanceof ApiProblem ? problem.errors : [];
  const items = errors.map((error) => {
    let pointer = error.pointer;
    let target = form.querySelector<HTMLElement>(`[data-field="${pointer}"]`);
    while (!target && pointer.includes('/')) {
      pointer = pointer.slice(0, pointer.lastIndexOf('/'));
      target = form.querySelector<HTMLElement>(`[data-field="${pointer}"]`);
    }
    const slot = target?.querySelector<HTMLElement>(':scope > .field-error');
    const input = target?.querySelector<HTMLElement>('input, select, textarea');
    if (slot) {
      slot.hidden = false;
      slot.append(h('span', null, detailInDutch(error.detail), ' '));
      input?.setAttribute('aria-invalid', 'true');
    }
    const label = target?.querySelector('label, legend')?.textContent ?? error.pointer;
    return h('li', null, input ? h('a', { href: `#${input.id}`, onclick: (event: Event) => (event.preventDefault(), input.focus()) }, `${label}: ${detailInDutch(error.detail)}`) : `${label}: ${detailInDutch(error.detail)}`);
  });
  const status = problem instanceof ApiProblem ? ` (${problem.status}${problem.code ? `, ${problem.code}` : ''})` : '';
  summary.replaceChildren(h('h2', null, 'Niet opgeslagen'), h('p', null, `De API weigerde het verzoek: ${problem.message}${status}`), items.length ? h('ul', null, items) : '');
  summary.hidden = false;
  summary.focus();
}

function clearProblem(form: HTMLFormElement, summary: HTMLElement): void {
  summary.hidden = true;
  summary.replaceChildren();
  form.querySelectorAll<HTMLElement>('.field-error').forEach((slot) => {
    slot.hidden = true;
    slot.replaceChildren();
  });
  form.querySelectorAll('[aria-invalid]').forEach((input) => input.removeAttribute('aria-invalid'));
}

/** A form whose fields make a request body; the API's validation messages appear at the fields. */
export function form(spec: FormOptions): HTMLFormElement {
  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: -1, hidden: true });
  const done = h('p', { class: 'form-status', role: 'status' });
  const button = h('button', { type: 'submit' }, spec.submit);
  const element = h('form', { id: spec.id, novalidate: true }, summary, spec.intro, spec.fields.map((field) => renderField(spec.id, field, '#')), h('div', { class: 'form-actions' }, button), done);
  element.addEventListener('submit', (event) => {
    event.preventDefault();
    clearProblem(element, summary);
    done.textContent = '';
    button.disabled = true;
    spec
      .onSubmit(collect(element, spec.fields, '#'))
      .then(
        () => (done.textContent = spec.done ?? 'Opgeslagen.'),
        (error: unknown) => showProblem(element, summary, error instanceof Error ? error : new Error(String(error))),
      )
      .finally(() => (button.disabled = false));
  });
  return element;
}

/** [code, label] pairs where the label is the code itself. */
export const options = (codes: readonly string[], labels: Readonly<Record<string, string>> = {}): [string, string][] => codes.map((code) => [code, labels[code] ?? code]);
