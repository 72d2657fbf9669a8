import { api } from '../api.js';
import { h } from '../dom.js';
import { type Field, form, options } from '../forms.js';
import { roleLabel } from '../format.js';
import { go, type Page } from '../page.js';
import { claims, logIn } from '../session.js';

const roles = Object.keys(roleLabel);

/**
 * Login with a bearer token from the municipality's identity provider, or in development with a token the API
 * issues for a chosen role and municipality.
 */
export async function loginPage(): Promise<Page> {
  const development: Field[] = [
    { kind: 'select', name: 'roles', label: 'Rol', options: options(roles, roleLabel), value: 'professional' },
    { kind: 'text', name: 'municipality', label: 'Gemeente (CBS-code)', hint: 'Bijvoorbeeld gm9001 (Demodorp, de demodata).', value: 'gm9001' },
    { kind: 'text', name: 'sub', label: 'Gebruikersnaam (pseudoniem)', hint: 'Wordt als actor vastgelegd bij alles wat u doet. Leeg: de rol met -1.' },
    { kind: 'checkbox', name: 'narrative', label: 'Toestemming om het verhaal te lezen (alleen voor auditors)', value: false },
  ];
  const devForm = form({
    id: 'dev-login',
    fields: development,
    submit: 'Inloggen (ontwikkeling)',
    onSubmit: async (body) => {
      const role = String(body['roles'] ?? '');
      const claims = { sub: body['sub'] ?? (role ? `${role}-1` : undefined), municipality: body['municipality'], roles: role ? [role] : [], grants: body['narrative'] ? ['narrative'] : [] };
      const { token } = await api<{ token: string }>('POST', '/v1/development-tokens', claims);
      logIn(token);
      go('#/');
    },
  });
  const tokenForm = form({
    id: 'token-login',
    fields: [{ kind: 'textarea', name: 'token', label: 'Bearer token', hint: 'Van de identity provider van uw gemeente.' }],
    submit: 'Inloggen met token',
    onSubmit: async (body) => {
      logIn(String(body['token'] ?? ''));
      if (!claims()) throw new Error('dit is geen geldig of een verlopen token');
      go('#/');
    },
  });
  return {
    title: 'Inloggen',
    content: h(
      'div',
      { class: 'columns' },
      h('section', { 'aria-labelledby': 'dev-title', class: 'card' }, h('h2', { id: 'dev-title' }, 'Ontwikkelomgeving'), h('p', null, 'Kies een rol en een gemeente. Alleen beschikbaar buiten productie.'), devForm),
      h('section', { 'aria-labelledby': 'token-title', class: 'card' }, h('h2', { id: 'token-title' }, 'Met een token'), tokenForm),
    ),
  };
}
