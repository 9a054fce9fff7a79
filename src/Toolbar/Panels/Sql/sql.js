// SQL panel: EXPLAIN (plan tree + raw view), EXPLAIN ANALYZE, and Copy of the runnable SQL.
// Plans are built with textContent only (never innerHTML).
(() => {
  'use strict';
  const api = window[Symbol.for('toolbar')];
  if (!api) return;

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function number(value) {
    if (value === undefined || value === null) return null;
    return Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 3 : 1);
  }

  function table(columns, rows) {
    const t = document.createElement('table');
    t.setAttribute('data-sql-plan-table', '');
    const head = t.createTHead().insertRow();
    for (const c of columns) head.append(el('th', null, c));
    const body = t.createTBody();
    for (const row of rows) {
      const tr = body.insertRow();
      for (const c of columns) tr.insertCell().textContent = row[c] ?? 'NULL';
    }
    return t;
  }

  // One line per plan node: what it does, on which table, the planner's estimates and, after ANALYZE, the real figures.
  function tree(nodes) {
    const ul = el('ul', 'tb-sql-tree');
    for (const node of nodes) {
      const li = el('li');
      li.setAttribute('data-sql-plan-node', '');
      const line = el('div', 'tb-sql-node');
      line.append(el('strong', 'tb-sql-node-type', node.nodeType));
      if (node.relation) {
        line.append(' on ', el('code', 'tb-sql-node-rel', node.relation + (node.alias && node.alias !== node.relation ? ' ' + node.alias : '')));
      }
      if (node.index) line.append(' using ', el('code', null, node.index));
      const figures = [];
      if (number(node.estimatedRows) !== null) figures.push(`rows≈${number(node.estimatedRows)}`);
      if (number(node.estimatedCost) !== null) figures.push(`cost ${number(node.estimatedCost)}`);
      if (number(node.actualRows) !== null) figures.push(`actual rows ${number(node.actualRows)}`);
      if (number(node.actualTimeMs) !== null) figures.push(`${number(node.actualTimeMs)} ms`);
      if (number(node.loops) !== null) figures.push(`loops ${number(node.loops)}`);
      if (figures.length) line.append(' ', el('span', 'tb-sql-node-figures', figures.join(' · ')));
      if (node.detail && node.detail !== node.nodeType) line.append(el('div', 'tb-sql-node-detail', node.detail));
      li.append(line);
      if (node.children && node.children.length) li.append(tree(node.children));
      ul.append(li);
    }
    return ul;
  }

  function render(target, result, analyze) {
    target.textContent = '';
    const head = el('div', 'tb-sql-plan-head');
    head.append(el('strong', null, analyze ? 'EXPLAIN ANALYZE' : 'EXPLAIN'));
    if (result.executed) {
      head.append(' ', el('span', 'tb-badge tb-badge-warn', 'executed the query (rolled back)'));
    }
    if (result.executionTimeMs !== undefined && result.executionTimeMs !== null) {
      head.append(' ', el('span', 'tb-sql-node-figures', `execution ${number(result.executionTimeMs)} ms`));
    }
    target.append(head);
    if (result.tree && result.tree.length) {
      const t = tree(result.tree);
      t.setAttribute('data-sql-plan-tree', '');
      target.append(t);
    } else {
      target.append(el('p', 'tb-empty', 'The database returned an empty plan.'));
    }
    const raw = el('details', 'tb-sql-raw');
    raw.setAttribute('data-sql-plan-raw', '');
    raw.append(el('summary', null, `Raw plan (${result.format || 'rows'})`));
    if (result.format === 'sqlite-eqp' && result.plan && result.plan.length) {
      raw.append(table(result.columns || Object.keys(result.plan[0]), result.plan));
    } else {
      raw.append(el('pre', 'tb-code', result.raw || ''));
    }
    target.append(raw);
  }

  async function copy(text, button) {
    let ok = false;
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text);
        ok = true;
      }
    } catch (e) {
      ok = false;
    }
    if (!ok) {
      // Without the async clipboard (plain http on another host name): a hidden textarea and the copy command.
      const area = document.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.style.position = 'fixed';
      area.style.opacity = '0';
      button.parentNode.append(area);
      area.select();
      try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      area.remove();
    }
    const label = button.textContent;
    button.textContent = ok ? 'Copied' : 'Copy failed';
    setTimeout(() => { button.textContent = label; }, 1500);
  }

  api.register('sql', (container) => {
    const root = container.querySelector('[data-sql-explain-url]');
    if (!root) return;
    const url = root.dataset.sqlExplainUrl;
    const requestId = root.dataset.sqlRecord;
    for (const button of root.querySelectorAll('[data-sql-copy]')) {
      button.addEventListener('click', () => {
        const pre = root.querySelector(`[data-sql-runnable="${button.dataset.sqlCopy}"]`);
        if (pre) copy(pre.textContent, button);
      });
    }
    for (const button of root.querySelectorAll('[data-sql-explain]')) {
      button.addEventListener('click', async () => {
        const index = parseInt(button.dataset.sqlExplain, 10);
        const analyze = button.hasAttribute('data-sql-analyze');
        const row = root.querySelector(`[data-sql-plan-row="${index}"]`);
        const target = root.querySelector(`[data-sql-plan="${index}"]`);
        if (!row || !target) return;
        button.disabled = true;
        target.textContent = analyze ? 'Running EXPLAIN ANALYZE (executes the query)…' : 'Running EXPLAIN…';
        row.hidden = false;
        try {
          const body = analyze ? { requestId, index, analyze: true } : { requestId, index };
          const response = await api.request(url, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          });
          const result = await response.json().catch(() => ({}));
          if (!response.ok) {
            target.textContent = '';
            target.append(el('p', 'tb-error', api.errorMessage(result, response)));
          } else {
            render(target, result, analyze);
          }
        } catch (e) {
          target.textContent = `EXPLAIN failed: ${e}`;
        } finally {
          button.disabled = false;
        }
      });
    }
  });
})();
