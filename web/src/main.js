import './styles.css';
import { ApiError, HoistApi, NetworkError } from './api.js';
import { LibraryView } from './library_view.js';
import { signInView } from './sign_in_view.js';
import { UploadView } from './upload_view.js';

// The token lives in this tab's sessionStorage only: it is gone when the tab closes
// and never reaches another tab, a cookie or the disk's long-term storage.
const TOKEN_KEY = 'hoist.token';

const app = document.getElementById('app');
const nav = document.getElementById('nav');
let views = null;

async function signIn(token) {
  if (!token) return 'Enter your access token.';
  const api = new HoistApi(token);
  try {
    await api.files();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401)
      return 'This access token was not accepted by the server. Check it and try again.';
    if (error instanceof NetworkError) return 'The server cannot be reached. Try again later.';
    return `Signing in failed: ${error.message}`;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  start(api);
  return null;
}

function start(api) {
  views = { upload: new UploadView(api), library: new LibraryView(api) };
  nav.hidden = false;
  route();
}

function signOut(notice = '') {
  views?.upload.stop();
  views = null;
  sessionStorage.removeItem(TOKEN_KEY);
  nav.hidden = true;
  const view = signInView(signIn, notice);
  app.replaceChildren(view.element);
  view.focus();
}

function route() {
  if (!views) return;
  const library = location.hash === '#/library';
  for (const [id, current] of [['nav-upload', !library], ['nav-library', library]]) {
    if (current) document.getElementById(id).setAttribute('aria-current', 'page');
    else document.getElementById(id).removeAttribute('aria-current');
  }
  if (library) {
    app.replaceChildren(views.library.element);
    views.library.load();
  } else {
    app.replaceChildren(views.upload.element);
  }
}

document.getElementById('sign-out').addEventListener('click', () => signOut());
window.addEventListener('hashchange', route);

const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) start(new HoistApi(saved));
else signOut();
