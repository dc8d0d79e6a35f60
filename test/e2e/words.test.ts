// Issue 15 items 8 and 9 in Debian Chromium on a seeded copy of the test's own: a hazard marked fixed
// (through SQL, as any other process would) takes its defect out of its reach's scores, so the ranking
// ranks what is still open and the ranking and details say what was repaired.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import pg from 'pg';
import { type Browser, type Page } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { openMap, RESULTS_DIR, watchPage, openPage } from '../helpers/browser.ts';
import { startApp } from '../helpers/app.ts';
import type { ReachPage, SearchResult } from '../../src/api/types.ts';
import { createUser } from '../../server/auth/users.ts';
import { zh } from '../../src/i18n/zh.ts';
import { en } from '../../src/i18n/en.ts';

const ISO_MINUTE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/;

const CENTER = { lon: 114.33, lat: 30.555 };
const getJson = <T>(page: Page, url: string) => page.evaluate(async (u) => (await fetch(u)).json(), url) as Promise<T>;

describe('words, numbers and repaired defects (e2e)', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let db: pg.Client;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    app = await startApp();
    db = new pg.Client({ connectionString: app.db.url });
    await db.connect();
    ({ browser, page } = await openPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, reducedMotion: 'reduce' }, pageErrors));
    await openMap(page, app.baseUrl, `map=13/${CENTER.lat}/${CENTER.lon}&layers=basemap,pipes`);
    // The server's worker scores the reaches after start (the copy's queue holds what the migrations queued).
    await waitFor(async () => (await db.query('SELECT count(*)::int AS n FROM pipe_condition_queue')).rows[0].n === 0, 'the condition queue to drain');
  }, 300_000);

  afterAll(async () => {
    await db?.end();
    await browser?.close();
    await app?.stop();
  });

  async function waitFor(ok: () => Promise<boolean>, what: string, ms = 120_000): Promise<void> {
    const until = Date.now() + ms;
    while (!(await ok())) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await page.waitForTimeout(250);
    }
  }

  /** A fresh load of the app at `hash` (a goto that changes only the hash would not reload it). */
  async function load(hash: string): Promise<void> {
    await page.goto('about:blank');
    await page.goto(`${app.baseUrl}/#${hash}`);
  }

  async function openRanking(): Promise<void> {
    await load(`map=13/${CENTER.lat}/${CENTER.lon}&layers=basemap,pipes`);
    await page.getByTestId('tool-analysis').click();
    await page.getByTestId('reach-row').first().waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid="ranking-view"]')?.getAttribute('data-state') === 'ready', null, { timeout: 30_000 });
  }

  it('a hazard marked fixed takes its defect out of the reach\'s RI: the ranking ranks what is open and says what was repaired', async () => {
    // The reach ranked first by RI, and the hazards on the defects of its latest inspection.
    const before = await getJson<ReachPage>(page, '/api/drainage/reaches?sort=ri&limit=5');
    const top = before.items[0];
    expect(top.repaired).toEqual([]);
    const { rows: hz } = await db.query<{ id: number; code: string; grade: number }>(
      `SELECT h.id, h.code, h.grade FROM hazards h JOIN defects d ON d.id = h.defect_id
       WHERE d.inspection_id = (SELECT inspection_id FROM pipe_condition WHERE pipe_id = $1) AND NOT remediation_is_repaired(h.status)`, [top.pipe_id]);
    expect(hz.length).toBeGreaterThan(0); // the seed puts a hazard on every hazard reach's worst defect

    await openRanking();
    expect(Number(await page.getByTestId('reach-row').first().getAttribute('data-pipe-id'))).toBe(top.pipe_id);
    await page.getByTestId('reach-row').first().click();
    await page.getByTestId('details-panel').getByTestId('details-content').waitFor({ timeout: 20_000 });
    await page.screenshot({ path: `${RESULTS_DIR}i15-9-before.png` });

    await db.query(`UPDATE hazards SET status = 'fixed' WHERE id = ANY($1::int[])`, [hz.map((h) => h.id)]);
    await waitFor(async () => (await db.query(`SELECT jsonb_array_length(repaired) AS n FROM pipe_condition WHERE pipe_id = $1`, [top.pipe_id])).rows[0]?.n === hz.length,
      'the reach to be rescored');

    // Its RI now comes from its other defects only.
    const after = await getJson<ReachPage>(page, '/api/drainage/reaches?sort=ri&limit=500');
    const row = after.items.find((r) => r.pipe_id === top.pipe_id);
    const ri = (await db.query(`SELECT ri FROM pipe_condition WHERE pipe_id = $1`, [top.pipe_id])).rows[0].ri as number;
    expect(ri).toBeLessThan(top.ri!);
    expect(after.items[0].pipe_id).not.toBe(top.pipe_id);
    if (row) expect(row.repaired.map((d) => d.code).sort()).toEqual(hz.map((h) => h.code).sort());

    // The ranking: another reach first; where the reach still ranks, its repaired defects are chips marked 已修复.
    await openRanking();
    expect(Number(await page.getByTestId('reach-row').first().getAttribute('data-pipe-id'))).not.toBe(top.pipe_id);

    // The details: the repaired defects listed with the assessment and marked in the inspection's table.
    await load(`map=16/${CENTER.lat}/${CENTER.lon}&layers=basemap,pipes&sel=pipes:${top.pipe_id}`);
    const panel = page.getByTestId('details-panel');
    await panel.getByTestId('details-content').waitFor({ timeout: 20_000 });
    const repaired = await panel.getByTestId('condition-repaired').textContent();
    for (const h of hz) expect(repaired).toContain(h.code);
    expect(repaired).toContain('已修复');
    expect(await panel.getByTestId('condition-ri').textContent()).toContain(ri.toFixed(2));
    const marked = await panel.locator('[data-testid="defects-table"] tr[data-repaired="true"]').first().evaluate((tr) => tr.textContent);
    expect(marked).toContain('已修复');
    expect(await panel.locator('[data-testid="defects-table"] tr[data-repaired="true"]').count()).toBeGreaterThanOrEqual(hz.length);
    await page.screenshot({ path: `${RESULTS_DIR}i15-9-after.png` });

    // Back to open: the defect counts again.
    await db.query(`UPDATE hazards SET status = 'confirmed' WHERE id = ANY($1::int[])`, [hz.map((h) => h.id)]);
    await waitFor(async () => (await db.query(`SELECT ri FROM pipe_condition WHERE pipe_id = $1`, [top.pipe_id])).rows[0].ri === top.ri, 'the reach to score as before');
    expect(pageErrors).toEqual([]);
  }, 300_000);

  /** Types `q` into the search box and returns what each result line under its label reads, with the API's parts. */
  async function searchLines(q: string, layer: string): Promise<{ text: string; parts: SearchResult['parts'] }[]> {
    const input = page.getByTestId('search-input');
    await input.fill('');
    await input.fill(q);
    await page.locator(`[data-testid="search-result"][data-layer="${layer}"]`).first().waitFor({ timeout: 30_000 });
    const api = (await getJson<{ results: SearchResult[] }>(page, `/api/search?q=${encodeURIComponent(q)}&limit=12`)).results;
    const shown = await page.getByTestId('search-result').evaluateAll((els) => els.map((e) => ({
      layer: (e as HTMLElement).dataset.layer!, label: e.querySelector('.result-label')?.textContent ?? '', sub: e.querySelector('.result-sub')?.textContent ?? '' })));
    return shown.filter((r) => r.layer === layer).map((r) => ({ text: r.sub, parts: api.find((a) => a.layer === r.layer && a.label === r.label)?.parts ?? [] }));
  }

  it('search results in Chinese show no raw English value: kinds, usages and statuses are words of the dictionary', async () => {
    await load(`map=13/${CENTER.lat}/${CENTER.lon}&layers=basemap`);
    const { rows: [m] } = await db.query(`SELECT code FROM manholes WHERE usage = 'combined' AND kind = 'manhole' ORDER BY id LIMIT 1`);
    const { rows: [cam] } = await db.query(`SELECT code::text AS code FROM cameras WHERE status = 'online' ORDER BY id LIMIT 1`);
    const { rows: [c] } = await db.query(`SELECT case_no FROM cases WHERE status = 'accepted' ORDER BY id LIMIT 1`);
    const { rows: [p] } = await db.query(`SELECT code FROM pipes WHERE usage = 'combined' ORDER BY id LIMIT 1`);
    const checked: string[] = [];
    for (const [q, layer] of [[m.code, 'manholes'], [cam.code, 'cameras'], [c.case_no, 'cases'], [p.code, 'pipes']] as const) {
      const lines = await searchLines(q, layer);
      expect(lines.length, q).toBeGreaterThan(0);
      for (const l of lines) {
        expect(l.text, `${layer} ${q}`).not.toMatch(/[a-z]{3,}/); // no manhole, combined, online, accepted…
        for (const part of l.parts.filter((x) => x.field)) {
          const word = (zh as Record<string, string>)[`value.${part.field}.${part.value}`];
          expect(word, `value.${part.field}.${part.value}`).toBeTruthy();
          expect(l.text).toContain(word);
          checked.push(`${part.field}.${part.value}`);
        }
      }
    }
    for (const v of ['kind.manhole', 'usage.combined', 'status.online', 'status.accepted']) expect(checked).toContain(v);
    await page.getByTestId('search-input').fill(m.code);
    await page.locator('[data-testid="search-result"][data-layer="manholes"]').first().waitFor();
    await page.screenshot({ path: `${RESULTS_DIR}i15-8-search-zh-after.png` });

    // In English the same results read in English.
    await page.getByTestId('lang-switch').click();
    const lines = await searchLines(m.code, 'manholes');
    expect(lines[0].text).toContain(en['value.kind.manhole']);
    expect(lines[0].text).toContain(en['value.usage.combined']);
    await page.screenshot({ path: `${RESULTS_DIR}i15-8-search-en-after.png` });
    await page.getByTestId('lang-switch').click();
  }, 180_000);

  it('dates read ISO (2026-12-07 14:05) in both languages; the KPI CSV has the KPI table\'s columns, rates as percentages', async () => {
    const account = { username: `e2e-words-${process.pid}`, password: 'Pw-words-2026-long' };
    await createUser(db, { ...account, role: 'planner', display_name: '规划测试' });
    await load(`map=13/${CENTER.lat}/${CENTER.lon}&layers=basemap`);
    await page.getByTestId('tool-cases').click();
    const form = page.getByTestId('cases-panel').getByTestId('login-form');
    await form.getByTestId('login-username').fill(account.username);
    await form.getByTestId('login-password').fill(account.password);
    await form.getByTestId('login-submit').click();
    await page.getByTestId('cases-account').waitFor();
    await page.getByTestId('case-row').first().waitFor({ timeout: 30_000 });
    for (const lang of ['zh', 'en']) {
      const dates = await page.getByTestId('case-row').evaluateAll((rows) => rows.map((r) => r.querySelectorAll('td.num')[0]?.textContent ?? ''));
      expect(dates.length).toBeGreaterThan(0);
      for (const d of dates) expect(d, lang).toMatch(ISO_MINUTE);
      // The first row's date is its report time in Beijing time.
      const reported = await page.getByTestId('case-row').first().getAttribute('data-reported');
      const bj = new Date(new Date(reported!).getTime() + 8 * 3600_000).toISOString();
      expect(dates[0]).toBe(`${bj.slice(0, 10)} ${bj.slice(11, 16)}`);
      await page.screenshot({ path: `${RESULTS_DIR}i15-8-dates-${lang}-after.png` });
      await page.getByTestId('lang-switch').click();
    }

    // The KPI table and its CSV, in Chinese then in English.
    await page.getByTestId('cases-tab-kpi').click();
    // The period's days read ISO too (a browser date field would show the machine's 12/07/2026 or 07/12/2026).
    for (const id of ['kpi-from', 'kpi-to']) expect(await page.getByTestId(id).inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const lang of ['zh', 'en']) {
      await page.waitForFunction(() => document.querySelector('[data-testid="kpi-view"]')?.getAttribute('data-state') === 'ready'
        && document.querySelectorAll('[data-testid="kpi-row"]').length > 0, null, { timeout: 30_000 });
      const view = page.getByTestId('kpi-view');
      const heads = await view.locator('[data-testid="kpi-table"] thead th').evaluateAll((ths) => ths.map((th) => th.textContent!.trim()));
      const table = await view.getByTestId('kpi-row').evaluateAll((trs) => trs.map((tr) => ({
        code: (tr as HTMLElement).dataset.code!, cells: [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim()) })));
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), view.getByTestId('kpi-csv').click()]);
      const csv = (await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, '').trim().split('\r\n').map((l) => l.split(','));
      // The unit's code first (to join on), then exactly the table's columns.
      expect(csv[0].slice(1), lang).toEqual(heads);
      expect(csv.length).toBe(table.length + 1);
      let rates = 0;
      for (const row of table) {
        const line = csv.find((l) => l[0] === row.code)!;
        expect(line, row.code).toBeTruthy();
        expect(line[1]).toBe(row.cells[0]);
        row.cells.slice(1).forEach((cell, k) => {
          const v = line[k + 2];
          if (cell.endsWith('%')) {
            // A rate as the table shows it, a percentage and not a fraction (rounding may differ in the last digit).
            expect(v).toMatch(/^\d+(\.\d)?%$/);
            expect(Math.abs(parseFloat(v) - parseFloat(cell))).toBeLessThanOrEqual(0.1);
            rates++;
          } else if (cell === '—') expect(v).toBe('');
          else expect(Number(v)).toBeCloseTo(Number(cell.replace(/[^\d.]/g, '')), 1);
        });
      }
      expect(rates).toBeGreaterThan(table.length);
      await page.screenshot({ path: `${RESULTS_DIR}i15-8-kpi-${lang}-after.png` });
      if (lang === 'zh') await page.getByTestId('lang-switch').click();
    }
    await page.getByTestId('lang-switch').click();
    expect(pageErrors).toEqual([]);
  }, 240_000);

  it('the field app\'s header shows its whole title at phone width, in English as in Chinese', async () => {
    const { rows: [g] } = await db.query(`SELECT code FROM grids ORDER BY code LIMIT 1`);
    const user = { username: `e2e-words-field-${process.pid}`, password: 'Field-pass-2026!' };
    await createUser(db, { ...user, role: 'field', grids: [g.code.trim()], display_name: '网格员测试' });
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, reducedMotion: 'reduce' });
    const p = await phone.newPage();
    watchPage(p, pageErrors);
    await p.goto(`${app.baseUrl}/field`);
    await p.getByTestId('login-username').fill(user.username);
    await p.getByTestId('login-password').fill(user.password);
    await p.getByTestId('login-submit').tap();
    await p.getByTestId('field-app').waitFor();
    for (const lang of ['zh', 'en']) {
      if ((await p.locator('html').getAttribute('lang'))?.slice(0, 2) !== lang) await p.getByTestId('field-header').getByTestId('lang-switch').tap();
      const title = p.getByTestId('field-header').locator('.fm-title strong');
      await expect.poll(() => title.textContent()).toBe(lang === 'zh' ? zh['fm.title'] : en['fm.title']);
      await p.screenshot({ path: `${RESULTS_DIR}i15-8-field-header-${lang}.png`, clip: { x: 0, y: 0, width: 390, height: 120 } });
      // Nothing of it is cut off: the text fits its box, and the box sits inside the phone's width.
      const fit = await title.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, right: el.getBoundingClientRect().right }));
      expect(fit.scroll, lang).toBeLessThanOrEqual(fit.client);
      expect(fit.right).toBeLessThanOrEqual(390);
    }
    await phone.close();
  }, 120_000);
});
