// The Right-size report's webview script (bundled to dist/media/tuningReport.js). Reads the model from the inert
// JSON block, draws one chart per container with chart.js (a local file) and the table; "Apply…" posts a message
// to the extension, which validates it. No network, no eval, no inline handlers (the CSP forbids them).
/* global Chart, acquireVsCodeApi, document */
(function () {
  const vscode = acquireVsCodeApi();
  const model = JSON.parse(document.getElementById('model').textContent);
  const css = (name, fallback) => getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
  const fg = css('--vscode-foreground', '#ccc');
  const grid = css('--vscode-panel-border', 'rgba(128,128,128,0.3)');
  const lineColors = { request: '#3794ff', limit: '#f14c4c', recommended: '#89d185' };

  const el = (tag, attrs, text) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const fmtCpu = (cores) => (cores >= 1 ? `${+cores.toFixed(2)}` : `${Math.round(cores * 1000)}m`);
  const fmtMem = (bytes) => (bytes >= 2 ** 30 ? `${+(bytes / 2 ** 30).toFixed(2)}Gi` : `${Math.round(bytes / 2 ** 20)}Mi`);
  const fmtTime = (t) => {
    const d = new Date(t * 1000);
    return `${d.getUTCMonth() + 1}/${d.getUTCDate()} ${String(d.getUTCHours()).padStart(2, '0')}:00`;
  };

  function chart(parent, title, series, fmt) {
    const box = el('div', { class: 'chart', 'data-chart': title });
    box.appendChild(el('div', {}, title));
    const holder = el('div', { class: 'canvas-box' });
    const canvas = el('canvas');
    holder.appendChild(canvas);
    box.appendChild(holder);
    parent.appendChild(box);
    const labels = series.points.map((p) => p.t);
    const datasets = [
      {
        label: 'usage (max over pods)',
        data: series.points.map((p) => p.v),
        borderColor: '#cca700',
        borderWidth: 1,
        pointRadius: series.points.length < 20 ? 2 : 0,
      },
      ...series.lines.map((l) => ({
        label: l.label,
        data: labels.map(() => l.value),
        borderColor: lineColors[l.label.split(' ')[0]] || fg,
        borderDash: l.label.startsWith('recommended') ? [6, 4] : [],
        borderWidth: 1.5,
        pointRadius: 0,
      })),
    ];
    new Chart(canvas, {
      type: 'line',
      data: { labels, datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          legend: { labels: { color: fg, boxWidth: 12 } },
          tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${fmt(c.parsed.y)}` } },
        },
        scales: {
          x: { ticks: { color: fg, maxTicksLimit: 7, callback: (_v, i) => fmtTime(labels[i]) }, grid: { color: grid } },
          y: { beginAtZero: true, ticks: { color: fg, callback: (v) => fmt(v) }, grid: { color: grid } },
        },
      },
    });
  }

  const charts = document.getElementById('charts');
  for (const row of model.rows) {
    const label = `${row.namespace}/${row.name} · ${row.container}`;
    if (row.seriesMissing) {
      const box = el('div', { class: 'chart missing', 'data-chart': label });
      box.textContent = `${label}: ${row.seriesMissing}`;
      charts.appendChild(box);
      continue;
    }
    if (row.cpu) chart(charts, `${label} · CPU (cores)`, row.cpu, fmtCpu);
    if (row.memory) chart(charts, `${label} · memory (working set)`, row.memory, fmtMem);
  }

  const body = document.querySelector('#table tbody');
  const pair = (a, b) => `${a ?? '—'} → ${b ?? '—'}`;
  for (const row of model.rows) {
    const tr = el('tr', { 'data-row': row.id });
    tr.appendChild(el('td', {}, row.namespace));
    tr.appendChild(el('td', {}, `${row.kind}/${row.name}`));
    tr.appendChild(el('td', {}, row.container));
    tr.appendChild(el('td', { class: 'num' }, pair(row.current.cpuRequest, row.recommended.cpuRequest)));
    tr.appendChild(el('td', { class: 'num' }, pair(row.current.cpuLimit, row.recommended.cpuLimit)));
    tr.appendChild(el('td', { class: 'num' }, pair(row.current.memoryRequest, row.recommended.memoryRequest)));
    tr.appendChild(el('td', { class: 'num' }, pair(row.current.memoryLimit, row.recommended.memoryLimit)));
    tr.appendChild(el('td', { class: `sev-${row.severity}` }, row.severity));
    tr.appendChild(el('td', {}, row.confidence));
    const td = el('td');
    const button = el('button', row.applicable ? {} : { disabled: '', title: 'Not applicable in one click (see notes)' }, 'Apply…');
    if (row.applicable) button.addEventListener('click', () => vscode.postMessage({ type: 'apply', rowId: row.id }));
    td.appendChild(button);
    tr.appendChild(td);
    body.appendChild(tr);
    if (row.notes.length) {
      const notes = el('tr', { class: 'notes-row' });
      notes.appendChild(el('td', { class: 'notes', colspan: '10' }, row.notes.join(' ')));
      body.appendChild(notes);
    }
  }
  document.body.setAttribute('data-ready', String(model.rows.length));
  vscode.postMessage({ type: 'ready' });
})();
