// Share links of one file (docs/protocol.md "Share links"): create with an expiry,
// copy, revoke. Kept apart from the library so the feature stands on its own.
import { announce, h } from './dom.js';
import { formatDate } from './format.js';

const EXPIRIES = [
  ['1 hour', 3600],
  ['1 day', 86400],
  ['7 days', 7 * 86400],
  ['30 days', 30 * 86400],
];

async function copy(url, input) {
  try {
    await navigator.clipboard.writeText(url);
  } catch {
    input.select();
    document.execCommand('copy');
  }
  announce('Share link copied');
}

export function shareControls(api, file) {
  const base = `/files/${file.fileId}/links`;
  const message = h('p', { class: 'message', role: 'status' });
  const list = h('ul', { class: 'links', 'aria-label': `Share links of ${file.fileName}` });
  const expiry = h(
    'select',
    { 'aria-label': 'Link expires in' },
    EXPIRIES.map(([label, seconds]) => h('option', { value: seconds }, label)),
  );
  expiry.value = String(7 * 86400);

  const render = (links) => {
    list.replaceChildren(
      ...links.map((link) => {
        const input = h('input', { type: 'text', readonly: true, value: link.url, 'aria-label': 'Share link' });
        return h(
          'li',
          {},
          input,
          h('span', { class: 'expires' }, `expires ${formatDate(link.expiresAt)}`),
          h('button', { type: 'button', onClick: () => copy(link.url, input) }, 'Copy link'),
          h('button', { type: 'button', onClick: () => revoke(link) }, 'Revoke'),
        );
      }),
    );
    message.textContent = links.length ? '' : 'No share links yet.';
  };
  const failed = (error) => {
    message.textContent = `Share links are unavailable: ${error.message}`;
  };
  const load = () =>
    api.request('GET', base).then(({ body }) => render(body.links ?? []), failed);
  const create = async () => {
    try {
      const { body } = await api.request('POST', base, { json: { expiresIn: Number(expiry.value) } });
      await load();
      const input = [...list.querySelectorAll('input')].find((i) => i.value === body.url);
      if (input) await copy(body.url, input);
    } catch (error) {
      failed(error);
    }
  };
  const revoke = (link) =>
    api.request('DELETE', `${base}/${link.linkId}`).then(load, failed);

  const panel = h(
    'div',
    { class: 'share-panel', hidden: true },
    h('div', { class: 'create' }, expiry, h('button', { type: 'button', onClick: create }, 'Create link')),
    message,
    list,
  );
  const toggle = h('button', {
    type: 'button',
    'aria-expanded': 'false',
    'aria-label': `Share ${file.fileName}`,
    onClick: () => {
      panel.hidden = !panel.hidden;
      toggle.setAttribute('aria-expanded', String(!panel.hidden));
      if (!panel.hidden) load();
    },
  }, 'Share');
  return { toggle, panel };
}
