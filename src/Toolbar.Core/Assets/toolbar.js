// Toolbar UI. Runs in an open shadow root, so the page's CSS cannot reach it and ours cannot leak.
// No inline script or style is ever created (pages with a strict CSP keep working); dynamic text
// goes through textContent, and panel HTML comes only from our own server, rendered by Razor.
//
// Page markup must not be able to steer this script (DOM clobbering): it finds itself through the
// Document prototype's own getters (a named <img> or <form> can shadow document.currentScript,
// document.body, ...), takes its host element from its own snippet (the element right before it),
// takes its prefix from its own src, refuses every URL outside its own origin and prefix, and keeps
// its API under a Symbol key on window (an element id or name can never produce a Symbol property).
(() => {
  'use strict';
  const D = Document.prototype;
  const docGet = name => Object.getOwnPropertyDescriptor(D, name).get.call(document);
  const me = docGet('currentScript');
  const API_KEY = Symbol.for('toolbar');
  if (!(me instanceof HTMLScriptElement) || window[API_KEY]) return;

  const ASSET_PATH = '/assets/toolbar.js';
  let selfUrl;
  try { selfUrl = new URL(me.src); } catch { return; }
  if (selfUrl.origin !== location.origin || !selfUrl.pathname.endsWith(ASSET_PATH)) return;
  const prefix = selfUrl.pathname.slice(0, -ASSET_PATH.length);

  const isSnippetHost = node => node instanceof HTMLDivElement && node.id === 'toolbar-root' && !node.shadowRoot;
  const host = me.previousElementSibling;
  if (!isSnippetHost(host)) return;

  const createElement = D.createElement.bind(document);
  // Window's EventTarget methods sit below its named-element lookup in the prototype chain: call them from the prototype.
  const onWindow = (type, fn, options) => EventTarget.prototype.addEventListener.call(window, type, fn, options);
  const emit = (type, detail) => EventTarget.prototype.dispatchEvent.call(window, new CustomEvent(type, { detail }));
  const nativeFetch = window.fetch.bind(window);
  const isId = id => typeof id === 'string' && /^[0-9a-f]{32}$/.test(id);

  /** Resolves a URL and refuses anything that is not under this toolbar's own origin and prefix. */
  function ownUrl(url) {
    const u = new URL(String(url), location.origin + prefix + '/');
    if (u.origin !== location.origin || !u.pathname.startsWith(prefix + '/')) {
      throw new Error(`The toolbar only talks to its own endpoints (refused ${u.href}).`);
    }
    return u.href;
  }
  const toolbarUrl = path => ownUrl(prefix + path);

  const pageMode = host.dataset.toolbarMode === 'page';
  const nonce = me.nonce || '';
  const styleNonce = me.dataset.toolbarStyleNonce || nonce;
  // The server read the page's CSP: 'policy' = Trusted Types are enforced and our policy is allowed,
  // 'blocked' = enforced and our policy is not allowed, 'skip' = policy names restricted, not enforced.
  const ttMode = me.dataset.toolbarTt || '';
  let policy = null;
  let trustedTypesProblem = null;
  if (ttMode === 'policy' && window.trustedTypes) {
    try {
      policy = window.trustedTypes.createPolicy('toolbar', { createHTML: s => s, createScriptURL: s => ownUrl(s) });
    } catch (err) {
      trustedTypesProblem = `This page requires Trusted Types and the toolbar could not create its policy 'toolbar' (${err && err.message}).`;
    }
  } else if (ttMode === 'blocked') {
    trustedTypesProblem = "This page's Content-Security-Policy requires Trusted Types (require-trusted-types-for 'script') "
      + "and its trusted-types directive does not allow the policy 'toolbar', so panels cannot be shown. "
      + "Add 'toolbar' to the trusted-types directive in Development.";
  }

  const storageKey = 'toolbar.state';
  let pageId = host.dataset.toolbarId;
  const panelInits = new Map();
  const loadedAssets = new Set();
  const history = []; // records seen by this page: the page itself, then fetch/XHR calls
  let current = null; // nav model of the record shown
  let openPanelId = null;

  const api = {
    prefix,
    get recordId() { return current && current.id; },
    /** Panel scripts call this once; init(container, api) runs each time the panel's HTML is shown. */
    register(panelId, init) {
      panelInits.set(panelId, init);
      const body = shadow.querySelector(`[data-panel-content="${CSS.escape(panelId)}"]`);
      if (body) safely(() => init(body, api));
    },
    /** fetch() for toolbar endpoints only: same origin, under the prefix, with the header state-changing endpoints require. */
    request(url, options = {}) {
      let target;
      try { target = ownUrl(url); } catch (err) { return Promise.reject(err); }
      const headers = new Headers(options.headers || {});
      headers.set('X-Toolbar-Request', '1');
      return nativeFetch(target, { ...options, credentials: 'same-origin', headers });
    },
    /** The message of a toolbar endpoint's error answer ({error} or ProblemDetails), from its parsed body (or null). */
    errorMessage(body, response) { return (body && (body.error || body.detail || body.title)) || `HTTP ${response.status}`; },
    switchTo(id) { return showRecord(id); },
    reloadPanel() { if (openPanelId) openPanel(openPanelId); },
    enhance(root) { enhance(root); },
    /** Announces a short message politely to screen readers (e.g. a finished snapshot). */
    announce(message) { announce(message); },
  };
  Object.defineProperty(window, API_KEY, { value: api });
  // Panels written before the Symbol key read window.__toolbar. An own property of window wins over an element
  // named __toolbar (named elements live further down the prototype chain), so markup cannot shadow it.
  try { Object.defineProperty(window, '__toolbar', { value: api, configurable: false, writable: false }); } catch { /* taken by the page */ }

  const shadow = host.attachShadow({ mode: 'open' });
  const el = (tag, attrs = {}, ...children) => {
    const node = createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else node.setAttribute(k, v === true ? '' : v);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  };
  /** el(tag, {class, text, ...attributes}, ...children): builds DOM without HTML strings; panel scripts use it too. */
  api.el = el;

  const stylesheet = href => {
    const link = el('link', { rel: 'stylesheet', href: ownUrl(href) });
    if (styleNonce) link.nonce = styleNonce;
    return link;
  };
  const style = stylesheet(`${prefix}/assets/toolbar.css`);
  // Ctrl+Shift+` (the key left of 1, matched by its position so every layout has it), never with Alt: AltGr
  // (Ctrl+Alt) and Firefox's access keys (Alt+Shift) cannot trigger it.
  const SHORTCUT = 'Ctrl+Shift+`';
  const handleTitle = `Debug toolbar (${SHORTCUT} shows or hides)`;
  // The handle's name is its visible text plus a hidden lead-in, so what a speech user says matches what is shown.
  const handle = el('button', { type: 'button', class: 'tb-handle', 'data-toolbar-handle': true, 'aria-expanded': 'false', title: handleTitle, 'aria-keyshortcuts': 'Control+Shift+`' },
    el('span', { class: 'tb-logo', text: 'TB', 'aria-hidden': 'true' }),
    el('span', { class: 'tb-sr-only', text: 'Debug toolbar, status' }),
    el('span', { class: 'tb-handle-kind', hidden: true }),
    el('span', { class: 'tb-handle-status', text: '…' }),
    el('span', { class: 'tb-handle-time', text: '' }),
    el('span', { class: 'tb-handle-flag', text: 'error', hidden: true }));
  // "+3": fetch/XHR records that arrived since the newest one looked at; a button of its own (never inside the handle).
  const dockNew = el('button', { type: 'button', class: 'tb-new', 'data-toolbar-new': 'handle', hidden: true });
  const dock = el('div', { class: 'tb-dock' }, handle, dockNew);
  const navList = el('div', { class: 'tb-nav-list', role: 'tablist', 'aria-orientation': 'vertical', 'aria-label': 'Toolbar panels' });
  const recordSelect = el('select', { class: 'tb-record-select', 'aria-label': 'Request shown', hidden: true });
  const followBox = el('input', { type: 'checkbox', id: 'tb-follow', 'data-toolbar-follow': true });
  const navNew = el('button', { type: 'button', class: 'tb-new tb-nav-new', 'data-toolbar-new': 'nav', hidden: true });
  const followRow = el('div', { class: 'tb-follow-row', hidden: pageMode },
    el('label', { class: 'tb-follow', for: 'tb-follow', title: 'Switch to each new fetch/XHR request of this page as it arrives' },
      followBox, el('span', { text: 'Follow fetch/XHR' })),
    navNew);
  const corners = { 'bottom-right': 'Bottom right', 'bottom-left': 'Bottom left', 'top-right': 'Top right', 'top-left': 'Top left' };
  const cornerSelect = el('select', { id: 'tb-corner', class: 'tb-corner-select', 'data-toolbar-corner': true },
    ...Object.entries(corners).map(([value, text]) => el('option', { value, text })));
  const settingsRow = el('div', { class: 'tb-settings', hidden: pageMode },
    el('label', { for: 'tb-corner', text: 'Corner' }), cornerSelect,
    el('span', { class: 'tb-shortcut-hint', text: `${SHORTCUT} shows or hides` }));
  const summary = el('div', { class: 'tb-summary' });
  const themes = ['auto', 'light', 'dark'];
  const themeKey = 'toolbar.theme';
  const themeButton = el('button', { type: 'button', class: 'tb-icon-button tb-theme', 'data-toolbar-theme': true });
  const hideButton = el('button', { type: 'button', class: 'tb-icon-button tb-hide', 'aria-label': 'Hide toolbar', title: `Hide toolbar (Esc or ${SHORTCUT})`, text: '»', hidden: pageMode });
  const openLink = el('a', { class: 'tb-link', target: '_blank', rel: 'noopener', text: 'Open as page ↗', hidden: pageMode });
  // Downloads the record as a JSON file, to attach to a bug report; {prefix}/import opens it again.
  const exportLink = el('a', { class: 'tb-link', 'data-tb-export': true, text: 'Export ↓', title: 'Download this request as a JSON file' });
  const nav = el('nav', { class: 'tb-nav', 'aria-label': 'Toolbar navigation' },
    el('div', { class: 'tb-nav-head' }, el('span', { class: 'tb-brand', text: 'Toolbar' }), el('span', { class: 'tb-head-buttons' }, themeButton, hideButton)),
    summary, recordSelect, followRow, navList,
    el('div', { class: 'tb-nav-foot' }, el('div', { class: 'tb-foot-links' }, openLink, exportLink), settingsRow));
  const contentTitle = el('h2', { class: 'tb-content-title', id: 'tb-content-title' });
  const closeButton = el('button', { type: 'button', class: 'tb-icon-button', 'aria-label': 'Close panel', title: 'Close panel (Esc)', text: '×' });
  // Focusable: a keyboard user can scroll a long panel even when it holds no control.
  const contentBody = el('div', { class: 'tb-content-body', tabindex: '0', role: 'region', 'aria-labelledby': 'tb-content-title' });
  const content = el('div', { class: 'tb-content', id: 'tb-tabpanel', hidden: true, role: 'tabpanel', 'aria-labelledby': 'tb-content-title' },
    el('div', { class: 'tb-content-head' }, contentTitle, closeButton), contentBody);
  const placeholder = el('div', { class: 'tb-placeholder', hidden: !pageMode }, el('p', { text: 'Choose a panel on the left to inspect this request.' }));
  const live = el('div', { class: 'tb-sr-only', role: 'status', 'aria-live': 'polite' });
  const drawer = el('div', { class: 'tb-drawer', hidden: true }, content, placeholder, nav);
  // One complementary landmark for all of it: never a second banner or main on the host page.
  const rootEl = el('aside', { class: pageMode ? 'tb tb-page' : 'tb', 'aria-label': 'Debug toolbar' }, dock, drawer, live);
  shadow.append(style, rootEl);

  /** Per-browser choices (theme, follow, corner) in localStorage, which may be off: then they last for the page. */
  const prefs = {
    get(key, fallback) { try { return localStorage.getItem(key) || fallback; } catch { return fallback; } },
    set(key, value) { try { localStorage.setItem(key, value); } catch { /* storage may be off */ } },
  };

  /** Light, dark or the system's choice (auto), remembered per browser. */
  function applyTheme(theme) {
    const chosen = themes.includes(theme) ? theme : 'auto';
    if (chosen === 'auto') rootEl.removeAttribute('data-theme'); else rootEl.setAttribute('data-theme', chosen);
    themeButton.textContent = chosen === 'dark' ? '☾' : chosen === 'light' ? '☀' : '◐';
    themeButton.setAttribute('aria-label', `Theme: ${chosen}. Change theme`);
    themeButton.title = `Theme: ${chosen} (click to change)`;
    return chosen;
  }
  let theme = applyTheme(prefs.get(themeKey, 'auto'));
  themeButton.addEventListener('click', () => {
    theme = applyTheme(themes[(themes.indexOf(theme) + 1) % themes.length]);
    prefs.set(themeKey, theme);
  });

  /** The corner of the handle (and the side of the drawer), remembered per browser. */
  const cornerKey = 'toolbar.corner';
  function applyCorner(corner) {
    const chosen = Object.hasOwn(corners, corner) ? corner : 'bottom-right';
    rootEl.setAttribute('data-corner', chosen);
    cornerSelect.value = chosen;
    hideButton.textContent = chosen.endsWith('left') ? '«' : '»';
    return chosen;
  }
  applyCorner(prefs.get(cornerKey, 'bottom-right'));
  function chooseCorner(corner) { prefs.set(cornerKey, applyCorner(corner)); }
  cornerSelect.addEventListener('change', () => chooseCorner(cornerSelect.value));

  function safely(fn) {
    try { return fn(); } catch (err) { showError(`A panel script failed: ${err && err.message ? err.message : err}`); }
  }

  function showError(message) {
    const box = el('div', { class: 'tb-error', role: 'alert', text: message });
    contentBody.prepend(box);
  }

  let announceTimer = 0;
  function announce(message) {
    clearTimeout(announceTimer);
    // Emptied first so the same words are announced again.
    live.textContent = '';
    announceTimer = setTimeout(() => { live.textContent = String(message); }, 50);
  }

  function setExpanded(expanded) {
    drawer.hidden = !expanded;
    handle.setAttribute('aria-expanded', String(expanded));
    rootEl.classList.toggle('tb-expanded', expanded);
    if (!pageMode) prefs.set(storageKey, expanded ? 'expanded' : 'collapsed');
    if (!expanded) closePanel();
    else if (recordSelectStale) renderRecordSelect();
  }

  function tabs() { return [...navList.querySelectorAll('button[data-panel]')]; }

  function closePanel() {
    content.hidden = true;
    placeholder.hidden = !pageMode;
    openPanelId = null;
    contentBody.replaceChildren();
    for (const b of tabs()) b.setAttribute('aria-selected', 'false');
  }

  const formatMs = ms => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`);

  async function getJson(url, tries = 6) {
    for (let attempt = 0; ; attempt++) {
      const response = await nativeFetch(ownUrl(url), { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      // The record is stored before the page ends, but a script-completed response can race us: retry briefly.
      if (response.status === 404 && attempt < tries) { await new Promise(r => setTimeout(r, 100 * (attempt + 1))); continue; }
      if (!response.ok) {
        // The server explains (e.g. 503: the record store is unavailable): show its words, not just a code.
        const body = await response.json().catch(() => null);
        throw new Error((body && (body.error || body.detail || body.title)) || `HTTP ${response.status}`);
      }
      return response.json();
    }
  }

  let showing = 0;
  /**
   * Switches the whole toolbar to a record; the handle shows it too when it is the page's or a fresh one. Fresh: a
   * request that just happened (followed, or a page swapped in place), whose record may still be being written.
   */
  async function showRecord(id, fresh = false) {
    if (!isId(id)) return;
    const ticket = ++showing;
    let model;
    try {
      // The server waits for a fresh record rather than answering 404s to retry (each one a console error).
      model = fresh
        ? await getJson(toolbarUrl(`/api/requests/${encodeURIComponent(id)}/toolbar?wait=5000`), 0)
        : await getJson(toolbarUrl(`/api/requests/${encodeURIComponent(id)}/toolbar`));
    } catch (err) {
      if (ticket !== showing) return;
      if (id === pageId || !current) {
        handle.querySelector('.tb-handle-status').textContent = 'n/a';
        handle.title = `Toolbar data unavailable: ${err.message}`;
      }
      summary.replaceChildren(el('div', { class: 'tb-error', role: 'alert', 'data-toolbar-unavailable': true, text: `Toolbar data unavailable: ${err.message}` }));
      if (!current) navList.replaceChildren();
      return;
    }
    if (ticket !== showing) return; // a newer choice won
    const reopen = openPanelId;
    current = model;
    markSeen(id);
    renderNav();
    if (id === pageId || fresh) renderHandle(model, id === pageId ? null : history.find(h => h.id === id));
    if (reopen && model.panels.some(p => p.id === reopen)) openPanel(reopen);
    else closePanel();
  }

  // gRPC answers HTTP 200 for failed calls: a non-zero grpcStatus is the outcome that counts.
  const grpcNames = ['OK', 'Cancelled', 'Unknown', 'InvalidArgument', 'DeadlineExceeded', 'NotFound', 'AlreadyExists',
    'PermissionDenied', 'ResourceExhausted', 'FailedPrecondition', 'Aborted', 'OutOfRange', 'Unimplemented', 'Internal',
    'Unavailable', 'DataLoss', 'Unauthenticated'];
  function statusText(model) {
    if (model.grpcStatus == null) return String(model.statusCode);
    return `gRPC ${grpcNames[model.grpcStatus] || model.grpcStatus}`;
  }
  function statusClass(model) {
    return model.grpcStatus ? 'tb-status-5xx' : `tb-status-${Math.floor(model.statusCode / 100)}xx`;
  }

  function renderHandle(model, entry) {
    const kind = handle.querySelector('.tb-handle-kind');
    kind.hidden = !entry;
    kind.textContent = entry ? `${entry.kind.toUpperCase()} ${entry.url}` : '';
    const status = handle.querySelector('.tb-handle-status');
    status.textContent = statusText(model);
    status.title = model.grpcMessage || '';
    status.className = `tb-handle-status ${statusClass(model)}`;
    handle.querySelector('.tb-handle-time').textContent = formatMs(model.durationMs);
    const failing = model.panels.some(p => p.status === 'error');
    handle.classList.toggle('tb-has-error', failing);
    handle.querySelector('.tb-handle-flag').hidden = !failing;
    handle.title = handleTitle;
  }

  const statusWords = { warning: 'warning', error: 'error' };
  function renderNav() {
    const model = current;
    summary.replaceChildren(
      el('span', { class: 'tb-method', text: model.method }),
      el('span', { class: 'tb-path', title: model.path + model.queryString, text: model.path + model.queryString }),
      el('span', { class: `tb-status ${statusClass(model)}`, title: model.grpcMessage || '', text: statusText(model) }),
      el('span', { class: 'tb-time', text: formatMs(model.durationMs) }));
    openLink.href = toolbarUrl(`/requests/${encodeURIComponent(model.id)}`);
    exportLink.href = toolbarUrl(`/api/requests/${encodeURIComponent(model.id)}/export`);
    const focusedPanel = shadow.activeElement && shadow.activeElement.dataset ? shadow.activeElement.dataset.panel : null;
    const first = model.panels.find(p => p.id === openPanelId) ? openPanelId : (model.panels[0] && model.panels[0].id);
    navList.replaceChildren(...model.panels.map(p => el('button', {
      type: 'button', role: 'tab', id: `tb-tab-${p.id}`, 'data-panel': p.id, 'aria-selected': String(p.id === openPanelId),
      'aria-controls': 'tb-tabpanel', tabindex: p.id === first ? '0' : '-1',
      class: `tb-nav-item tb-nav-${p.status}${p.hasData ? '' : ' tb-nav-empty'}`,
    },
    el('span', { class: 'tb-nav-title', text: p.navTitle }),
    p.subtitle ? el('span', { class: 'tb-nav-subtitle', text: p.subtitle }) : null,
    // Colour is never the only carrier of a panel's state: the word is there too (visible as a badge).
    statusWords[p.status] ? el('span', { class: `tb-nav-flag tb-nav-flag-${p.status}`, text: statusWords[p.status] }) : null)));
    if (focusedPanel) {
      const again = navList.querySelector(`button[data-panel="${CSS.escape(focusedPanel)}"]`);
      if (again) again.focus();
    }
    renderRecordSelect();
  }

  let recordSelectStale = false;
  function renderRecordSelect() {
    renderNewCount();
    // Rebuilt when seen: a page that polls would otherwise pay for up to 50 options on every call.
    recordSelectStale = drawer.hidden;
    if (recordSelectStale) return;
    // A record chosen elsewhere (e.g. the history panel) that this page did not make is listed too.
    const shown = current && !history.some(h => h.id === current.id)
      ? history.concat([{ id: current.id, method: current.method, url: current.path + current.queryString, status: current.statusCode, kind: 'stored' }])
      : history;
    recordSelect.hidden = shown.length < 2;
    recordSelect.replaceChildren(...shown.map(h => el('option', {
      value: h.id, selected: current && h.id === current.id,
      text: `${h.kind === 'page' ? 'Page' : h.kind.toUpperCase()} · ${h.method} ${h.url}${h.status ? ` · ${h.status}` : ''}`,
    })));
  }

  async function openPanel(panelId) {
    const panel = current && current.panels.find(p => p.id === panelId);
    if (!panel) return;
    openPanelId = panelId;
    for (const b of tabs()) {
      const selected = b.dataset.panel === panelId;
      b.setAttribute('aria-selected', String(selected));
      b.tabIndex = selected ? 0 : -1;
    }
    contentTitle.textContent = panel.title;
    content.setAttribute('aria-labelledby', `tb-tab-${panelId}`);
    content.hidden = false;
    placeholder.hidden = true;
    const body = el('div', { class: 'tb-panel', 'data-panel-content': panelId, 'aria-busy': 'true' }, el('p', { class: 'tb-loading', text: 'Loading…' }));
    contentBody.replaceChildren(body);
    if (trustedTypesProblem) {
      body.replaceChildren(el('div', { class: 'tb-error', role: 'alert', 'data-toolbar-trusted-types': true, text: trustedTypesProblem }));
      body.removeAttribute('aria-busy');
      return;
    }
    try {
      for (const href of panel.styles) loadStyle(href);
    } catch (err) {
      showError(err.message);
    }
    const recordId = current.id;
    try {
      const response = await nativeFetch(toolbarUrl(`/requests/${encodeURIComponent(recordId)}/panels/${encodeURIComponent(panelId)}`), { credentials: 'same-origin' });
      const html = await response.text();
      if (openPanelId !== panelId || current.id !== recordId) return; // the user moved on meanwhile
      body.innerHTML = policy ? policy.createHTML(html) : html; // our server's Razor output: values are HTML-encoded there
    } catch (err) {
      body.replaceChildren(el('div', { class: 'tb-error', text: `Could not load the panel: ${err.message}` }));
    }
    body.removeAttribute('aria-busy');
    enhance(body);
    for (const src of panel.scripts) {
      try { loadScript(src); } catch (err) { showError(err.message); }
    }
    const init = panelInits.get(panelId);
    if (init) safely(() => init(body, api));
  }

  function loadStyle(href) {
    if (loadedAssets.has(href)) return;
    const link = stylesheet(href);
    loadedAssets.add(href);
    shadow.insertBefore(link, rootEl);
  }

  function loadScript(src) {
    if (loadedAssets.has(src)) return;
    const url = ownUrl(src);
    const script = createElement('script');
    script.src = policy ? policy.createScriptURL(url) : url;
    script.defer = true;
    if (nonce) script.nonce = nonce;
    loadedAssets.add(src);
    docGet('head').append(script);
  }

  /** Generic behaviours panel HTML can use without script of its own (and without inline styles). */
  function enhance(root) {
    for (const bar of root.querySelectorAll('[data-tb-left], [data-tb-width]')) {
      const left = parseFloat(bar.dataset.tbLeft || '0');
      const width = parseFloat(bar.dataset.tbWidth || '0');
      if (Number.isFinite(left)) bar.style.left = `${Math.min(100, Math.max(0, left))}%`;
      if (Number.isFinite(width)) bar.style.width = `${Math.min(100, Math.max(0.2, width))}%`;
    }
    for (const node of root.querySelectorAll('[data-tb-indent]')) {
      const depth = parseInt(node.dataset.tbIndent, 10);
      if (Number.isFinite(depth)) node.style.paddingLeft = `${Math.min(depth, 30) * 14 + 4}px`;
    }
    for (const input of root.querySelectorAll('input[data-tb-filter]')) {
      const target = root.querySelector(input.dataset.tbFilter);
      if (!target) continue;
      input.addEventListener('input', () => {
        const needle = input.value.trim().toLowerCase();
        for (const row of target.querySelectorAll('[data-tb-row]')) {
          row.hidden = needle !== '' && !row.textContent.toLowerCase().includes(needle);
        }
      });
    }
    for (const toggle of root.querySelectorAll('[data-tb-toggle]')) {
      toggle.addEventListener('click', () => {
        const target = root.querySelector(toggle.dataset.tbToggle);
        if (!target) return;
        target.hidden = !target.hidden;
        toggle.setAttribute('aria-expanded', String(!target.hidden));
      });
    }
  }

  handle.addEventListener('click', () => { if (!dragged) setExpanded(drawer.hidden); });
  hideButton.addEventListener('click', () => { setExpanded(false); handle.focus(); });
  closeButton.addEventListener('click', () => closeAndFocusTab());
  navList.addEventListener('click', e => {
    const button = e.target.closest('button[data-panel]');
    if (!button) return;
    if (openPanelId === button.dataset.panel) closePanel();
    else openPanel(button.dataset.panel);
  });
  // The tab list pattern: arrows move between entries, Home/End jump, Enter/Space (a click) opens.
  navList.addEventListener('keydown', e => {
    const list = tabs();
    const at = list.indexOf(e.target.closest('button[data-panel]'));
    if (at < 0) return;
    let next = -1;
    if (e.key === 'ArrowDown' || e.key === 'ArrowRight') next = (at + 1) % list.length;
    else if (e.key === 'ArrowUp' || e.key === 'ArrowLeft') next = (at - 1 + list.length) % list.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = list.length - 1;
    if (next < 0) return;
    e.preventDefault();
    for (const b of list) b.tabIndex = -1;
    list[next].tabIndex = 0;
    list[next].focus();
  });
  recordSelect.addEventListener('change', () => showRecord(recordSelect.value));

  function closeAndFocusTab() {
    const id = openPanelId;
    closePanel();
    const tab = id && navList.querySelector(`button[data-panel="${CSS.escape(id)}"]`);
    if (tab) { tab.tabIndex = 0; tab.focus(); }
  }

  // Escape pressed inside the toolbar is the toolbar's: it closes the panel, then the toolbar.
  rootEl.addEventListener('keydown', e => {
    if (e.key !== 'Escape' || drawer.hidden) return;
    if (!content.hidden) { e.stopPropagation(); closeAndFocusTab(); } else if (!pageMode) { e.stopPropagation(); setExpanded(false); handle.focus(); }
  });

  /** Focus on the nav's tab stop (the open panel's entry or the first), or the hide button before the nav is built. */
  function focusNav() {
    const tab = navList.querySelector('button[data-panel][tabindex="0"]') || tabs()[0];
    (tab || hideButton).focus();
  }

  // Page-wide keys, heard last (window, bubbling) so the page's own handlers run first: a key the page handled
  // (preventDefault) or typed into a field is left alone, and only the exact shortcut is ever consumed.
  const isTyping = target => target instanceof Element
    && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
  const isShortcut = e => e.code === 'Backquote' && e.ctrlKey && e.shiftKey && !e.altKey && !e.metaKey;
  let focusBeforeOpen = null;
  onWindow('keydown', e => {
    if (pageMode || e.defaultPrevented || e.isComposing || isTyping(e.composedPath()[0])) return;
    if (isShortcut(e)) {
      e.preventDefault();
      if (e.repeat) return;
      if (drawer.hidden) {
        const active = docGet('activeElement');
        focusBeforeOpen = active && active !== host && active !== docGet('body') ? active : null;
        setExpanded(true);
        focusNav();
      } else {
        const hadFocus = shadow.activeElement !== null;
        setExpanded(false);
        if (hadFocus) (focusBeforeOpen && focusBeforeOpen.isConnected ? focusBeforeOpen : handle).focus();
        focusBeforeOpen = null;
      }
    } else if (e.key === 'Escape' && !e.ctrlKey && !e.altKey && !e.metaKey && !e.shiftKey && !content.hidden) {
      // Escape on the page closes an open panel too, and still reaches the page (not prevented).
      closePanel();
    }
  });

  // Dragging the handle drops it in the corner nearest to where it is let go; a drag is never also a click.
  let drag = null;
  let dragged = false;
  handle.addEventListener('pointerdown', e => {
    if (e.button !== 0 || pageMode) return;
    drag = { x: e.clientX, y: e.clientY, pointer: e.pointerId, moved: false };
    handle.setPointerCapture(e.pointerId); // the pointer soon leaves the handle it drags
  });
  handle.addEventListener('pointermove', e => {
    if (!drag || e.pointerId !== drag.pointer) return;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 8) return;
    if (!drag.moved) { drag.moved = true; rootEl.classList.add('tb-dragging'); }
    dock.style.transform = `translate(${dx}px, ${dy}px)`;
  });
  const endDrag = e => {
    if (!drag || e.pointerId !== drag.pointer) return;
    const moved = drag.moved;
    drag = null;
    if (!moved) return;
    dock.style.transform = '';
    rootEl.classList.remove('tb-dragging');
    if (e.type === 'pointercancel') return;
    dragged = true; // the click that follows this pointerup is the end of the drag
    setTimeout(() => { dragged = false; }, 0);
    chooseCorner(`${e.clientY < innerHeight / 2 ? 'top' : 'bottom'}-${e.clientX < innerWidth / 2 ? 'left' : 'right'}`);
  };
  handle.addEventListener('pointerup', endDrag);
  handle.addEventListener('pointercancel', endDrag);

  // Requests the page makes from script carry X-Toolbar-Id: list them so they can be inspected too.
  let arrivals = 0; // numbers history entries in order of arrival
  function noteRequest(id, method, url, status, kind) {
    if (!isId(id) || history.some(h => h.id === id)) return;
    let path = url;
    try { const u = new URL(url, location.href); path = u.origin === location.origin ? u.pathname + u.search : u.href; } catch { /* keep as is */ }
    const entry = { id, method: (method || 'GET').toUpperCase(), url: path, status, kind, seq: ++arrivals };
    history.push(entry);
    if (history.length > 50) {
      const oldest = history.findIndex(h => h.id !== pageId);
      if (oldest >= 0) history.splice(oldest, 1);
    }
    renderRecordSelect();
    if (kind !== 'page') announce(`Toolbar: new ${kind} record, ${(method || 'GET').toUpperCase()} ${path}${status ? `, ${status}` : ''}`);
    emit('toolbar:request', { id, method, url: path, status, kind });
    if (kind !== 'page' && following) showRecord(id, true);
  }
  api.history = history;

  // Follow: off by default, per browser. On, each new fetch/XHR record is shown as it arrives (the open panel stays
  // open on it); off, the records that arrived since the newest one looked at are counted on a button that shows it.
  const followKey = 'toolbar.follow';
  let following = prefs.get(followKey, 'off') === 'on';
  followBox.checked = following;
  let seenUpTo = 0;
  const unseen = () => history.filter(h => h.kind !== 'page' && h.seq > seenUpTo);
  function markSeen(id) {
    const entry = history.find(h => h.id === id);
    if (entry && entry.seq > seenUpTo) seenUpTo = entry.seq;
    renderNewCount();
  }
  function renderNewCount() {
    const count = following ? 0 : unseen().length;
    const requests = `request${count === 1 ? '' : 's'}`;
    dockNew.textContent = `+${count}`;
    // The name starts with the visible text, so what a speech user reads is what they can say.
    dockNew.setAttribute('aria-label', `+${count} new ${requests}: show the latest`);
    dockNew.title = `${count} new ${requests} since the newest one you looked at: show the latest`;
    navNew.textContent = `${count} new · show latest`;
    navNew.title = dockNew.title;
    dockNew.hidden = navNew.hidden = count < 1;
  }
  function showLatest() {
    const fresh = unseen();
    const latest = fresh[fresh.length - 1];
    if (latest) return showRecord(latest.id, true);
  }
  followBox.addEventListener('change', () => {
    following = followBox.checked;
    prefs.set(followKey, following ? 'on' : 'off');
    if (following) showLatest();
    renderNewCount();
  });
  dockNew.addEventListener('click', () => { setExpanded(true); focusNav(); showLatest(); });
  navNew.addEventListener('click', () => { showLatest(); focusNav(); });

  const isToolbarUrl = url => {
    try { const u = new URL(String(url), location.href); return u.origin === location.origin && u.pathname.startsWith(`${prefix}/`); } catch { return false; }
  };
  // The page gets the very Response (and rejection) the browser gave: nothing read, cloned or delayed. The toolbar's
  // own work (list, counter, announcement) waits for a task of its own, so the page's code after await runs first.
  const later = (...args) => setTimeout(() => { try { noteRequest(...args); } catch { /* never the page's problem */ } }, 0);
  window.fetch = async function (input, init) {
    const response = await nativeFetch(input, init);
    try {
      const url = input && typeof input === 'object' && typeof input.url === 'string' ? input.url : String(input);
      const id = response.headers.get('X-Toolbar-Id');
      if (id && !isToolbarUrl(url)) later(id, (init && init.method) || (input && input.method), url, response.status, 'fetch');
    } catch { /* never disturb the page's own fetch */ }
    return response;
  };
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    if (!isToolbarUrl(url)) {
      this.addEventListener('loadend', () => {
        try {
          const id = this.getResponseHeader('X-Toolbar-Id');
          if (id) later(id, method, String(url), this.status, 'xhr');
        } catch { /* never disturb the page's own request */ }
      });
    }
    return open.call(this, method, url, ...rest);
  };

  // Navigation Timing from the browser, for panels that show it next to the server's spans.
  function reportNavigationTiming() {
    const entry = performance.getEntriesByType && performance.getEntriesByType('navigation')[0];
    if (!entry || pageMode) return;
    const detail = {
      requestId: pageId,
      ttfbMs: entry.responseStart - entry.startTime,
      domContentLoadedMs: entry.domContentLoadedEventEnd - entry.startTime,
      loadMs: entry.loadEventEnd - entry.startTime,
    };
    api.navigationTiming = detail;
    emit('toolbar:navigation-timing', { ...detail });
  }
  if (docGet('readyState') === 'complete') setTimeout(reportNavigationTiming, 0);
  else onWindow('load', () => setTimeout(reportNavigationTiming, 0));

  /** A page navigation without reload brought another record: show it as this page's record, listed once. */
  function adoptPage(id) {
    if (!isId(id) || id === pageId) return;
    pageId = id;
    const url = location.pathname + location.search;
    // The navigation's own fetch (Blazor enhanced navigation, Turbo, htmx) was noted already: it is the page now.
    const seen = history.find(h => h.id === id);
    if (seen) { seen.kind = 'page'; seen.url = url; } else history.push({ id, method: 'GET', url, status: 0, kind: 'page', seq: ++arrivals });
    renderRecordSelect();
    showRecord(id, true);
  }

  /** The host element of a snippet: the div right before a script loaded from our own src. */
  function findSnippetHost() {
    for (const script of D.getElementsByTagName.call(document, 'script')) {
      if (script === me || script.src !== me.src) continue;
      const div = script.previousElementSibling;
      if (div instanceof HTMLDivElement && div.id === 'toolbar-root') return div;
    }
    return null;
  }

  // Pages that swap their DOM without a reload (Blazor's enhanced navigation, Turbo, htmx) either keep our host
  // and change its data-toolbar-id (Blazor's DOM merge) or replace/drop it, and this script does not run again:
  // follow the attribute, put our host back (its state intact) and show the new page's record.
  new MutationObserver(() => adoptPage(host.dataset.toolbarId))
    .observe(host, { attributes: true, attributeFilter: ['data-toolbar-id'] });
  new MutationObserver(() => {
    if (host.isConnected) return;
    const fresh = findSnippetHost();
    const freshId = fresh && fresh.dataset.toolbarId;
    if (fresh) {
      fresh.replaceWith(host);
      if (isId(freshId)) host.dataset.toolbarId = freshId;
    } else if (docGet('body')) docGet('body').append(host);
    if (freshId) adoptPage(freshId);
  }).observe(docGet('documentElement'), { childList: true, subtree: true });

  history.push({ id: pageId, method: 'GET', url: location.pathname + location.search, status: 0, kind: 'page', seq: ++arrivals });
  const startExpanded = pageMode || prefs.get(storageKey, 'collapsed') === 'expanded';
  // The server asks for a panel to be open on arrival (the developer exception page opens on the exceptions panel).
  const openOnArrival = host.dataset.toolbarOpen;
  setExpanded(startExpanded || !!openOnArrival);
  if (openOnArrival) openPanelId = openOnArrival;
  showRecord(pageId);
})();
