// CPU panel: draws the flame graph (an icicle: the request at the top, callees below), with hover and focus details,
// click or Enter to zoom, search, an "app code only" view, keyboard moves between frames; arms the next request.
// Text is only ever set through textContent: function names come from the app.
(() => {
  'use strict';
  const toolbar = window.__toolbar;
  if (!toolbar) return;

  const ROW = 18;          // px per stack level
  const MIN_WIDTH = 0.2;   // % of the graph: narrower frames are not drawn (their parent's width still counts them)

  const percent = (part, whole) => (whole ? (100 * part / whole) : 0).toFixed(1) + ' %';
  const ms = value => (Math.round(value * 10) / 10).toLocaleString('en-US') + ' ms';

  /** Nodes {fn, parent, children[], total, self, depth} from the flat, depth-first list of the data. */
  function buildTree(flat) {
    const nodes = flat.map(n => ({ fn: n.function, parent: null, children: [], total: n.totalSamples, self: n.selfSamples, depth: 0 }));
    flat.forEach((n, i) => {
      if (n.parent >= 0) {
        nodes[i].parent = nodes[n.parent];
        nodes[i].depth = nodes[n.parent].depth + 1;
        nodes[n.parent].children.push(nodes[i]);
      }
    });
    return nodes[0] || null;
  }

  /**
   * The same samples with only app frames: a frame outside the app hands its samples to its nearest app ancestor,
   * and calls that then meet at the same function merge.
   */
  function appOnly(root, functions) {
    const copy = (fn, parent) => ({ fn, parent, children: [], total: 0, self: 0, depth: parent ? parent.depth + 1 : 0, byFn: new Map() });
    const newRoot = copy(-1, null);
    const walk = (node, target) => {
      let here = target;
      if (node.fn >= 0 && functions[node.fn].appCode) {
        here = target.byFn.get(node.fn);
        if (!here) {
          here = copy(node.fn, target);
          target.byFn.set(node.fn, here);
          target.children.push(here);
        }
      }
      here.self += node.self;
      for (const child of node.children) walk(child, here);
    };
    walk(root, newRoot);
    const sum = node => {
      node.total = node.self + node.children.reduce((s, c) => s + sum(c), 0);
      node.children.sort((a, b) => b.total - a.total);
      return node.total;
    };
    sum(newRoot);
    return newRoot;
  }

  toolbar.register('cpu', (container, api) => {
    const panel = container.querySelector('.tb-cpu');
    if (!panel) return;
    wireArm(panel, api);

    const graph = panel.querySelector('[data-cpu-flame]');
    if (!graph) return;
    const profile = JSON.parse(graph.dataset.cpuProfile || '{}');
    const functions = profile.functions || [];
    const fullTree = buildTree(profile.tree || []);
    if (!fullTree || !fullTree.total) {
      graph.append(api.el('p', { class: 'tb-empty', text: 'No samples of this request were taken (it used almost no CPU on any thread).' }));
      return;
    }

    const details = panel.querySelector('[data-cpu-details]');
    const search = panel.querySelector('[data-cpu-search]');
    const searchResult = panel.querySelector('[data-cpu-search-result]');
    const appToggle = panel.querySelector('[data-cpu-app-only]');
    const reset = panel.querySelector('[data-cpu-reset]');
    const table = panel.querySelector('[data-cpu-functions]');

    let tree = fullTree;
    let focus = tree;        // the zoomed-in node: drawn at full width
    let current = null;      // the node whose button holds the keyboard focus (roving tabindex)
    let term = '';
    const buttons = new Map(); // node -> button

    const nameOf = node => node.fn < 0 ? 'all samples of this request' : functions[node.fn].name;
    const describe = node => {
      const f = node.fn >= 0 ? functions[node.fn] : null;
      const where = f ? ` · ${f.module}${f.appCode ? ' · app code' : ''}` : '';
      return `${nameOf(node)}${where} — total ${node.total} samples (${percent(node.total, tree.total)}, ≈ ${ms(node.total * profile.intervalMs)}), self ${node.self} (${percent(node.self, tree.total)})`;
    };

    function draw() {
      graph.replaceChildren();
      buttons.clear();
      const ancestors = [];
      for (let n = focus; n; n = n.parent) ancestors.unshift(n);
      let maxDepth = 0;
      const place = (node, row, left, width) => {
        const f = node.fn >= 0 ? functions[node.fn] : null;
        const kind = !f ? 'root' : f.module === '(runtime)' ? 'outside' : f.appCode ? 'app' : 'lib';
        const button = api.el('button', {
          type: 'button',
          class: `tb-cpu-frame tb-cpu-${kind}`,
          tabindex: '-1',
          'data-cpu-frame': f ? f.name : '(root)',
          'aria-label': describe(node),
          text: f ? f.name : 'request',
        });
        // CSSOM, not style attributes: allowed under a strict Content-Security-Policy.
        button.style.left = left + '%';
        button.style.width = width + '%';
        button.style.top = (row * ROW) + 'px';
        if (term && f && f.name.toLowerCase().includes(term)) button.classList.add('tb-cpu-match');
        button.addEventListener('click', () => zoom(node));
        button.addEventListener('mouseenter', () => { details.textContent = describe(node); });
        button.addEventListener('focus', () => { current = node; details.textContent = describe(node); });
        graph.append(button);
        buttons.set(node, button);
        maxDepth = Math.max(maxDepth, row);
        return button;
      };
      // Ancestors of the zoomed node span the full width, as a path back up.
      ancestors.forEach((node, row) => place(node, row, 0, 100).classList.add(node === focus ? 'tb-cpu-focus' : 'tb-cpu-ancestor'));
      const layout = (node, row, left, width) => {
        let x = left;
        for (const child of node.children) {
          const w = width * child.total / node.total;
          if (w >= MIN_WIDTH) {
            place(child, row, x, w);
            layout(child, row + 1, x, w);
          }
          x += w;
        }
      };
      layout(focus, ancestors.length, 0, 100);
      graph.style.height = ((maxDepth + 1) * ROW + 2) + 'px';
      reset.disabled = focus === tree;
      const target = buttons.get(current) || buttons.get(focus);
      if (target) target.tabIndex = 0;
    }

    function zoom(node) {
      focus = node;
      current = node;
      draw();
      buttons.get(node)?.focus();
    }

    function moveTo(node) {
      const button = node && buttons.get(node);
      if (!button) return;
      for (const b of buttons.values()) b.tabIndex = -1;
      button.tabIndex = 0;
      button.focus();
    }

    graph.addEventListener('keydown', event => {
      const node = current;
      if (!node) return;
      const siblings = node.parent ? node.parent.children.filter(c => buttons.has(c)) : [node];
      const at = siblings.indexOf(node);
      const moves = {
        ArrowUp: () => node.parent,
        ArrowDown: () => node.children.find(c => buttons.has(c)),
        ArrowLeft: () => siblings[at - 1],
        ArrowRight: () => siblings[at + 1],
        Home: () => tree,
      };
      if (moves[event.key]) {
        event.preventDefault();
        moveTo(moves[event.key]());
      } else if (event.key === 'Escape' && focus !== tree) {
        event.preventDefault();
        event.stopPropagation();
        zoom(tree);
      }
    });

    reset.addEventListener('click', () => zoom(tree));

    search.addEventListener('input', () => {
      term = search.value.trim().toLowerCase();
      draw();
      if (!term) {
        searchResult.textContent = '';
        return;
      }
      // Samples with a matching frame anywhere on their stack: count a matching node unless an ancestor matched.
      let matched = 0;
      let frames = 0;
      const walk = (node, inside) => {
        const hit = node.fn >= 0 && functions[node.fn].name.toLowerCase().includes(term);
        if (hit) frames++;
        if (hit && !inside) matched += node.total;
        for (const child of node.children) walk(child, inside || hit);
      };
      walk(tree, false);
      searchResult.textContent = `${frames} matching frames, in ${percent(matched, tree.total)} of the samples`;
    });

    appToggle.addEventListener('change', () => {
      tree = appToggle.checked ? appOnly(fullTree, functions) : fullTree;
      focus = tree;
      current = tree;
      if (table) {
        for (const row of table.querySelectorAll('tr[data-cpu-function]')) {
          row.classList.toggle('tb-cpu-hidden', appToggle.checked && row.dataset.cpuApp !== 'true');
        }
      }
      draw();
    });

    current = tree;
    draw();
  });

  function wireArm(panel, api) {
    const button = panel.querySelector('[data-cpu-arm]');
    const status = panel.querySelector('[data-cpu-arm-status]');
    if (!button) return;
    button.addEventListener('click', async () => {
      button.disabled = true;
      status.textContent = '';
      try {
        const url = panel.dataset.cpuArmUrl;
        const response = await api.request(`${panel.dataset.cpuPanelUrl}/arm`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ url }),
        });
        const body = await response.json().catch(() => ({}));
        status.textContent = response.ok
          ? `Armed: the next request to ${body.armed} will be profiled (until ${new Date(body.expiresAt).toLocaleTimeString()}). Reload the page to send it.`
          : `Could not arm: ${body.detail || body.error || 'HTTP ' + response.status}`;
      } catch (error) {
        status.textContent = `Could not arm: ${error.message}`;
      } finally {
        button.disabled = false;
      }
    });
  }
})();
