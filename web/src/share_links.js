// Share links of one file (docs/protocol.md "Share links"): create with an expiry,
// copy, revoke. Kept apart from the library so the feature stands on its own.
// The server keeps only a hash of a link's token, so a link's address exists only in
// the answer that created it: the panel shows it (with Copy) right then, and lists the
// live links afterwards by when they were made and when they expire.
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
  const created = h('div', { class: 'new-link', hidden: true });
  const list = h('ul', { class: 'links', 'aria-label': `Live share links of ${file.fileName}` });
  const expiry = h(
    'select',
    { 'aria-label': 'Link expires in' },
    EXPIRIES.map(([label, seconds]) => h('option', { value: seconds }, label)),
  );
  expiry.value = String(7 * 86400);

  const render = (links) => {
    list.replaceChildren(
      ...links.map((link) =>
        h(
          'li',
          { 'data-link-id': link.linkId },
          h(
            'span',
            { class: 'expires' },
            `Link made ${formatDate(link.createdAt)}, works until ${formatDate(link.expiresAt)}`,
          ),
          h(
            'button',
            {
              type: 'button',
              'aria-label': `Revoke the link made ${formatDate(link.createdAt)}`,
              onClick: () => revoke(link),
            },
            'Revoke',
          ),
        ),
      ),
    );
    message.textContent = links.length
      ? 'Live links (their addresses are shown only once, when made):'
      : 'No live share links.';
  };
  const failed = (error) => {
    message.textContent = `Share links are unavailable: ${error.message}`;
  };
  const load = () =>
    api.request('GET', base).then(({ body }) => render(body.links ?? []), failed);
  const showCreated = (link) => {
    const input = h('input', { type: 'text', readonly: true, value: link.url, 'aria-label': 'New share link' });
    created.replaceChildren(
      h(
        'p',
        {},
        `New link, works until ${formatDate(link.expiresAt)}. Copy it now: `,
        'the server keeps no copy of the address, so it cannot be shown again.',
      ),
      h(
        'div',
        { class: 'create' },
        input,
        h('button', { type: 'button', onClick: () => copy(link.url, input) }, 'Copy link'),
      ),
    );
    created.hidden = false;
    return input;
  };
  const create = async () => {
    try {
      const { body } = await api.request('POST', base, { json: { expiresIn: Number(expiry.value) } });
      const input = showCreated(body);
      await load();
      await copy(body.url, input);
    } catch (error) {
      failed(error);
    }
  };
  const revoke = (link) =>
    api.request('DELETE', `${base}/${link.linkId}`).then(() => {
      announce('Share link revoked');
      return load();
    }, failed);

  const panel = h(
    'div',
    { class: 'share-panel', hidden: true },
    h('div', { class: 'create' }, expiry, h('button', { type: 'button', onClick: create }, 'Create link')),
    created,
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
