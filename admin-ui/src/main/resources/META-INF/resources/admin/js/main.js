// The console's shell: sign-in, navigation between views (hash routes), and the health badge.
import { api, adminKey, setAdminKey } from './api.js';
import { h } from './dom.js';
import * as dashboard from './views/dashboard.js';
import * as models from './views/models.js';
import * as collections from './views/collections.js';
import * as guardrails from './views/guardrails.js';
import * as keys from './views/keys.js';
import * as playground from './views/playground.js';

const VIEWS = { dashboard, models, collections, guardrails, keys, playground };
let stopCurrent = null;
let authOn = true;
/** Counts route changes, so a render that finishes after the next one began is recognised. */
let routes = 0;

/** Checks the stored key (or no key) against an admin-only route: 'ok', 'signin' or an error message. */
async function probe() {
  try {
    await api.get('/v1/admin/models');
    return 'ok';
  } catch (e) {
    if (e.status === 401) return adminKey() ? 'The key was not accepted.' : 'signin';
    if (e.status === 403) return 'That key is not an admin key; the console needs one.';
    return `The server could not be asked: ${e.message}`;
  }
}

function showSignIn(message) {
  document.body.dataset.signedIn = 'false';
  document.getElementById('app').hidden = true;
  const panel = document.getElementById('signin');
  panel.hidden = false;
  const error = document.getElementById('signin-error');
  error.textContent = message || '';
  error.hidden = !message;
  document.getElementById('signin-key').focus();
}

async function signIn(event) {
  event.preventDefault();
  const input = document.getElementById('signin-key');
  const key = input.value.trim();
  if (!key) { showSignIn('Enter an admin API key.'); return; }
  setAdminKey(key);
  const verdict = await probe();
  if (verdict !== 'ok') {
    setAdminKey(null);
    showSignIn(verdict === 'signin' ? 'The key was not accepted.' : verdict);
    return;
  }
  input.value = '';
  start();
}

function signOut() {
  setAdminKey(null);
  if (stopCurrent) stopCurrent();
  stopCurrent = null;
  showSignIn('Signed out.');
}

function start() {
  document.getElementById('signin').hidden = true;
  document.getElementById('app').hidden = false;
  document.body.dataset.signedIn = 'true';
  document.getElementById('signout').hidden = !authOn;
  document.getElementById('auth-state').textContent = authOn ? 'signed in with an admin key' : 'authentication is off (loopback)';
  route();
}

/** '#/collections/docs?doc=a' → {view: 'collections', parts: ['docs'], params: {doc: 'a'}}. */
function parseHash() {
  const [path, q] = (location.hash.replace(/^#\/?/, '') || 'dashboard').split('?');
  const [view, ...parts] = path.split('/').map(decodeURIComponent);
  return { view: VIEWS[view] ? view : 'dashboard', parts, params: Object.fromEntries(new URLSearchParams(q || '')) };
}

async function route() {
  if (document.body.dataset.signedIn !== 'true') return;
  if (stopCurrent) stopCurrent();
  stopCurrent = null;
  const { view, parts, params } = parseHash();
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.view === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  // An error belongs to the page it happened on; notices expire by themselves.
  for (const stale of document.querySelectorAll('#messages .note.error')) stale.remove();
  const main = document.getElementById('view');
  // Each route renders into a page of its own: a view still loading when the operator moves on keeps
  // writing into its detached page, never into the next view's.
  const page = h('div', { class: 'page' });
  const current = ++routes;
  main.replaceChildren(page);
  main.dataset.view = view;
  main.setAttribute('aria-busy', 'true'); // until the view has drawn what it loads
  document.title = `LLM Platform · ${VIEWS[view].TITLE}`;
  let stop;
  try {
    stop = await VIEWS[view].render(page, parts, params);
  } finally {
    if (current === routes) main.setAttribute('aria-busy', 'false');
  }
  if (current !== routes) {
    if (typeof stop === 'function') stop(); // its timers and requests belong to a page no longer shown
    return;
  }
  stopCurrent = typeof stop === 'function' ? stop : null;
  const heading = page.querySelector('h1');
  if (heading) { heading.tabIndex = -1; heading.focus({ preventScroll: true }); }
}

async function showHealth() {
  const badge = document.getElementById('health');
  try {
    const health = await api.get('/actuator/health');
    badge.dataset.state = health.status;
    badge.textContent = `health: ${health.status}`;
  } catch (e) {
    // 503 with {"status":"DOWN"} is still an answer
    badge.dataset.state = e.status === 503 ? 'DOWN' : 'error';
    badge.textContent = e.status === 503 ? 'health: DOWN' : 'health: unreachable';
  }
}

function buildNav() {
  const nav = document.getElementById('nav');
  nav.replaceChildren(h('ul', {}, Object.entries(VIEWS).map(([id, v]) =>
    h('li', {}, h('a', { href: `#/${id}`, dataset: { view: id } }, v.TITLE)))));
}

async function boot() {
  buildNav();
  document.getElementById('signin-form').addEventListener('submit', signIn);
  document.getElementById('signout').addEventListener('click', signOut);
  window.addEventListener('hashchange', route);
  showHealth();
  setInterval(showHealth, 15000);
  // Without a key: 200 means authentication is off, 401 means sign in.
  const verdict = await probe();
  if (verdict === 'ok') {
    authOn = Boolean(adminKey());
    start();
  } else {
    setAdminKey(null);
    showSignIn(verdict === 'signin' ? '' : verdict);
  }
}

boot();
