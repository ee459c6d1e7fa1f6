import { h } from './dom.js';

// `signIn(token)` resolves to null on success or to the message to show.
export function signInView(signIn, notice = '') {
  const input = h('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
  });
  const error = h('p', { id: 'sign-in-error', class: 'error', role: 'alert' }, notice);
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const form = h(
    'form',
    { class: 'sign-in', 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title' }, 'Sign in to Hoist'),
    h('label', { for: 'token' }, 'Access token'),
    input,
    h('p', { class: 'hint' }, 'Your administrator gives you a token. It is kept in this tab only.'),
    error,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    error.textContent = '';
    error.textContent = (await signIn(input.value.trim())) ?? '';
    submit.disabled = false;
  });
  return { element: form, focus: () => input.focus() };
}
