// /api/docs: a small self-contained page that renders /api/openapi.json (no CDN, no outside resources:
// the wall display and the field app may have no internet). Text is set with textContent, never HTML.
import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

const PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>武昌“一张图” API</title><link rel="icon" href="data:,">
<style>
  :root { color-scheme: light dark; --fg: #1d2430; --muted: #5d6878; --line: #d8dee8; --bg: #fff; --code: #f3f5f8;
          --get: #1f7a4d; --post: #1f5fa8; --put: #8a5a00; --delete: #a8321f; }
  @media (prefers-color-scheme: dark) { :root { --fg: #e6e9ee; --muted: #9aa4b2; --line: #343b46; --bg: #15181d; --code: #1f242b; } }
  body { font: 15px/1.5 system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0; color: var(--fg); background: var(--bg); }
  header { padding: 16px 24px; border-bottom: 1px solid var(--line); }
  header h1 { margin: 0; font-size: 20px; } header p { margin: 4px 0 0; color: var(--muted); }
  main { padding: 8px 24px 48px; max-width: 1100px; }
  input[type=search] { width: 100%; max-width: 420px; padding: 6px 10px; font: inherit; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); }
  h2 { font-size: 16px; margin: 28px 0 8px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
  details.op { border: 1px solid var(--line); border-radius: 6px; margin: 6px 0; }
  details.op > summary { cursor: pointer; padding: 8px 12px; display: flex; gap: 12px; align-items: baseline; list-style: none; }
  .method { font: 600 12px ui-monospace, monospace; color: #fff; border-radius: 4px; padding: 2px 6px; min-width: 44px; text-align: center; }
  .path { font-family: ui-monospace, monospace; } .summary { color: var(--muted); }
  .body { padding: 0 12px 12px; } .desc { white-space: pre-wrap; }
  table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 14px; }
  th, td { text-align: left; border-bottom: 1px solid var(--line); padding: 4px 8px; vertical-align: top; }
  code, pre { font-family: ui-monospace, monospace; background: var(--code); border-radius: 4px; }
  pre { padding: 8px; overflow: auto; max-height: 360px; font-size: 13px; } code { padding: 0 4px; }
  .req { color: var(--delete); } .err { color: var(--delete); }
</style></head>
<body>
<header><h1>武昌“一张图” Wuchang One-Map — API</h1>
<p>Generated from <a href="/api/openapi.json">/api/openapi.json</a> · OGC API – Features at <a href="/api">/api</a></p></header>
<main><p><input type="search" id="filter" placeholder="Filter: path, tag or words…" aria-label="Filter operations"></p><div id="ops">Loading…</div></main>
<script>
(function () {
  var colors = { get: 'var(--get)', post: 'var(--post)', put: 'var(--put)', patch: 'var(--put)', delete: 'var(--delete)' };
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) { if (k === 'text') e.textContent = attrs[k]; else if (k === 'style') e.style.cssText = attrs[k]; else e.setAttribute(k, attrs[k]); }
    (children || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }
  function schemaText(s) { return JSON.stringify(s, null, 2); }
  function typeOf(s) { if (!s) return ''; var t = s.type || (s.enum ? 'enum' : ''); if (Array.isArray(t)) t = t.join(' | ');
    var extra = []; if (s.enum) extra.push(s.enum.join(', ')); if (s.minimum !== undefined) extra.push('≥ ' + s.minimum);
    if (s.maximum !== undefined) extra.push('≤ ' + s.maximum); if (s.default !== undefined) extra.push('default ' + JSON.stringify(s.default));
    return t + (extra.length ? ' (' + extra.join('; ') + ')' : ''); }
  function render(doc) {
    var root = document.getElementById('ops'); root.textContent = '';
    var groups = {};
    Object.keys(doc.paths || {}).sort().forEach(function (path) {
      var item = doc.paths[path];
      Object.keys(item).forEach(function (method) {
        var op = item[method]; if (!op || typeof op !== 'object' || !colors[method]) return;
        var tag = (op.tags && op.tags[0]) || 'other';
        (groups[tag] = groups[tag] || []).push({ path: path, method: method, op: op });
      });
    });
    Object.keys(groups).sort().forEach(function (tag) {
      root.appendChild(el('h2', { text: tag }));
      groups[tag].forEach(function (g) {
        var op = g.op, body = el('div', { class: 'body' });
        if (op.description) body.appendChild(el('p', { class: 'desc', text: op.description }));
        var params = op.parameters || [];
        if (params.length) {
          var rows = params.map(function (p) {
            return el('tr', {}, [el('td', {}, [el('code', { text: p.name })]), el('td', { text: p.in }),
              el('td', { text: typeOf(p.schema) }), el('td', { class: p.required ? 'req' : '', text: p.required ? 'required' : '' }),
              el('td', { text: p.description || (p.schema && p.schema.description) || '' })]);
          });
          body.appendChild(el('table', {}, [el('tr', {}, ['name', 'in', 'type', '', 'description'].map(function (h) { return el('th', { text: h }); }))].concat(rows)));
        }
        var rb = op.requestBody && op.requestBody.content;
        if (rb) Object.keys(rb).forEach(function (ct) { body.appendChild(el('p', { text: 'Request body (' + ct + ')' })); body.appendChild(el('pre', { text: schemaText(rb[ct].schema) })); });
        Object.keys(op.responses || {}).forEach(function (code) {
          var r = op.responses[code], content = r.content || {}, ct = Object.keys(content)[0];
          var d = el('details', {}, [el('summary', { class: code >= 400 ? 'err' : '', text: code + ' ' + (r.description || '') })]);
          if (ct) d.appendChild(el('pre', { text: schemaText(content[ct].schema) }));
          body.appendChild(d);
        });
        if (g.method === 'get' && g.path.indexOf('{') < 0) body.appendChild(el('p', {}, [el('a', { href: g.path, text: 'Open ' + g.path })]));
        var d = el('details', { class: 'op', 'data-search': (g.method + ' ' + g.path + ' ' + tag + ' ' + (op.summary || '') + ' ' + (op.description || '')).toLowerCase() }, [
          el('summary', {}, [el('span', { class: 'method', style: 'background:' + colors[g.method], text: g.method.toUpperCase() }),
            el('span', { class: 'path', text: g.path }), el('span', { class: 'summary', text: op.summary || '' })]), body]);
        root.appendChild(d);
      });
    });
  }
  document.getElementById('filter').addEventListener('input', function (e) {
    var q = e.target.value.toLowerCase();
    document.querySelectorAll('details.op').forEach(function (d) { d.style.display = d.getAttribute('data-search').indexOf(q) >= 0 ? '' : 'none'; });
  });
  fetch('/api/openapi.json').then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); }).then(render)
    .catch(function (e) { document.getElementById('ops').textContent = 'Could not load /api/openapi.json: ' + e.message; });
})();
</script>
</body></html>`;

/** The page's own inline script and style, allowed by their hashes so nothing injected could run. */
const sha256 = (tag: string) => {
  const body = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(PAGE)![1];
  return `'sha256-${createHash('sha256').update(body).digest('base64')}'`;
};
const POLICY = `default-src 'none'; script-src ${sha256('script')}; style-src ${sha256('style')}; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'`;

// Not an operation of the API (hidden from the OpenAPI document): the page that shows them.
const docsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/docs', {
    schema: { hide: true, response: { 200: { description: 'The documentation page', content: { 'text/html': { schema: Type.String() } } } } },
  }, async (_req, reply) => {
    reply.type('text/html; charset=utf-8');
    reply.header('content-security-policy', POLICY);
    return PAGE;
  });
};

export default docsRoutes;
