// SQL panel: the EXPLAIN buttons. Plans are built with textContent only (never innerHTML).
(() => {
  'use strict';
  const api = window[Symbol.for('toolbar')];
  if (!api) return;

  function table(columns, rows) {
    const t = document.createElement('table');
    t.setAttribute('data-sql-plan-table', '');
    const head = t.createTHead().insertRow();
    for (const c of columns) {
      const th = document.createElement('th');
      th.textContent = c;
      head.append(th);
    }
    const body = t.createTBody();
    for (const row of rows) {
      const tr = body.insertRow();
      for (const c of columns) tr.insertCell().textContent = row[c] ?? 'NULL';
    }
    return t;
  }

  api.register('sql', (container) => {
    const root = container.querySelector('[data-sql-explain-url]');
    if (!root) return;
    const url = root.dataset.sqlExplainUrl;
    const requestId = root.dataset.sqlRecord;
    for (const button of root.querySelectorAll('[data-sql-explain]')) {
      button.addEventListener('click', async () => {
        const index = parseInt(button.dataset.sqlExplain, 10);
        const row = root.querySelector(`[data-sql-plan-row="${index}"]`);
        const target = root.querySelector(`[data-sql-plan="${index}"]`);
        if (!row || !target) return;
        button.disabled = true;
        target.textContent = 'Running EXPLAIN…';
        row.hidden = false;
        try {
          const response = await api.request(url, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ requestId, index }),
          });
          const result = await response.json().catch(() => ({}));
          target.textContent = '';
          if (!response.ok) {
            const p = document.createElement('p');
            p.className = 'tb-error';
            p.textContent = result.error || `EXPLAIN failed (${response.status})`;
            target.append(p);
          } else if (!result.plan || result.plan.length === 0) {
            target.textContent = 'The database returned an empty plan.';
          } else {
            target.append(table(result.columns || Object.keys(result.plan[0]), result.plan));
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
