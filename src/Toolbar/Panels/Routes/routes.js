// Routes panel: the route tester form. Answers come from the app's own matcher (GET .../routes/match);
// every value is written with textContent, so hostile paths stay text.
(() => {
  'use strict';
  const el = (...args) => window[Symbol.for('toolbar')].el(...args);
  const methods = list => (list && list.length ? list.join(', ') : 'ANY');

  function kvTable(rows) {
    return el('table', { class: 'tb-table tb-kv' }, el('tbody', {},
      ...rows.filter(r => r[1] !== undefined && r[1] !== null && r[1] !== '')
        .map(([k, v]) => el('tr', {}, el('th', { scope: 'row', text: k }), el('td', { text: String(v) })))));
  }

  function render(result, answer) {
    const parts = [];
    if (answer.error && !answer.statusCode) {
      result.replaceChildren(el('div', { class: 'tb-error', role: 'alert', text: answer.error }));
      return;
    }
    const m = answer.matched;
    if (m) {
      parts.push(el('div', { class: 'tb-routes-answer tb-routes-answer-ok', 'data-routes-answer': 'matched' },
        el('span', { class: 'tb-badge', text: answer.method }), ' ',
        el('span', { class: 'tb-mono', 'data-routes-answer-pattern': true, text: m.pattern }),
        el('span', { text: ` → ${m.displayName || ''}` })));
      parts.push(kvTable([['Handler', m.handler], ['Methods', methods(m.httpMethods)], ['Name', m.endpointName]]));
      const values = Object.entries(m.routeValues || {});
      parts.push(values.length ? kvTable(values) : el('p', { class: 'tb-empty', text: 'No route values.' }));
    } else if (answer.ambiguous) {
      parts.push(el('div', { class: 'tb-error', 'data-routes-answer': 'ambiguous', text: 'Ambiguous: the app would throw AmbiguousMatchException (500). Tied endpoints:' }));
      parts.push(el('ul', {}, ...answer.ambiguousMatches.map(a => el('li', { class: 'tb-mono', text: `${a.pattern || ''} ${a.displayName || ''}` }))));
    } else {
      const why = answer.statusCode === 405
        ? `Method not allowed (405). Allowed: ${methods(answer.allowedMethods)}`
        : answer.statusCode === 415 ? 'Unsupported media type (415).' : `No endpoint matches (${answer.statusCode}).`;
      parts.push(el('div', { class: 'tb-warning', 'data-routes-answer': 'none', text: why }));
      if (answer.error) parts.push(el('div', { class: 'tb-error', text: answer.error }));
    }
    if (answer.otherMethods && answer.otherMethods.length) {
      parts.push(el('p', { class: 'tb-routes-sub', text: 'Same path with other methods:' }));
      parts.push(el('ul', {}, ...answer.otherMethods.map(o => el('li', { class: 'tb-mono', text: `${o.method} → ${o.pattern} (${o.displayName || ''})` }))));
    }
    if (answer.nearest && answer.nearest.length) {
      parts.push(el('p', { class: 'tb-routes-sub', text: 'Nearest routes:' }));
      parts.push(el('ul', { 'data-routes-answer-nearest': true }, ...answer.nearest.map(n => el('li', {},
        el('span', { class: 'tb-mono', text: n.pattern }), el('span', { text: ` ${methods(n.httpMethods)}${n.reason ? ` — ${n.reason}` : ''}` })))));
    }
    result.replaceChildren(...parts);
  }

  function init(container, api) {
    const form = container.querySelector('form[data-routes-tester]');
    const result = container.querySelector('[data-routes-result]');
    if (!form || !result || form.dataset.routesBound) return;
    form.dataset.routesBound = '1';
    form.addEventListener('submit', async e => {
      e.preventDefault();
      const params = new URLSearchParams();
      params.set('method', form.elements.method.value);
      params.set('path', form.elements.path.value.trim());
      const host = form.elements.host.value.trim();
      if (host) params.set('host', host);
      const button = form.querySelector('button[type="submit"]');
      button.disabled = true;
      result.setAttribute('aria-busy', 'true');
      try {
        const response = await api.request(`${form.dataset.routesUrl}?${params}`, { headers: { Accept: 'application/json' } });
        const answer = await response.json().catch(() => null);
        render(result, response.ok ? answer : { error: api.errorMessage(answer, response) });
      } catch (err) {
        result.replaceChildren(el('div', { class: 'tb-error', role: 'alert', text: `The route tester failed: ${err && err.message ? err.message : err}` }));
      } finally {
        button.disabled = false;
        result.removeAttribute('aria-busy');
      }
    });
  }

  if (window[Symbol.for('toolbar')]) window[Symbol.for('toolbar')].register('routes', init);
})();
