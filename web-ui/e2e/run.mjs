// End-to-end walk through the web UI in Debian's Chromium, against a running Waymark that the
// caller (catalog-server's WebUiBrowserTest) started, loaded with ../shared/corpus and seeded.
// Every step leaves a screenshot under E2E_OUT; a failing step leaves one named *-FAILED.png.
//
// Environment: WAYMARK_URL, WAYMARK_TOKEN (admin), WAYMARK_VIEWER_TOKEN, E2E_DATASET_NS,
// E2E_DATASET (a dataset with column lineage into it and neighbours beyond depth 1),
// E2E_FIELD (one of its fields whose upstream field carries a classification),
// E2E_IMPACT_NODE (a node with something downstream), E2E_XSS_JOB (the P26 job name), E2E_OUT, CHROMIUM (default /usr/bin/chromium).
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const env = (name, fallback) => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) {
    throw new Error(`${name} is not set`);
  }
  return v;
};
const url = env('WAYMARK_URL');
const out = env('E2E_OUT');
const dataset = env('E2E_DATASET');
const field = env('E2E_FIELD');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: env('CHROMIUM', '/usr/bin/chromium'),
  headless: true,
  // The machine's network is closed: without these Chromium keeps dialling Google's services.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
const problems = [];
let step = 0;
let page;

async function run(name, body) {
  step++;
  const file = join(out, `${String(step).padStart(2, '0')}-${name}`);
  const started = Date.now();
  try {
    await body();
    await page.screenshot({ path: `${file}.png`, fullPage: false });
    console.log(`ok   ${step} ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    await page.screenshot({ path: `${file}-FAILED.png`, fullPage: true }).catch(() => {});
    console.log(`FAIL ${step} ${name}: ${e.message}`);
    throw e;
  }
}

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  const p = await context.newPage();
  p.setDefaultTimeout(15_000);
  // An alert, confirm or prompt we did not ask for means markup from the catalog ran.
  p.on('dialog', async (d) => {
    if (d.type() === 'prompt') {
      await d.accept('removed by the browser test');
      return;
    }
    problems.push(`unexpected ${d.type()} dialog: ${d.message()}`);
    await d.dismiss();
  });
  p.on('console', (m) => {
    if (m.type() === 'error' && !/401|403|404/.test(m.text())) {
      problems.push(`console error: ${m.text()}`);
    }
  });
  p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return p;
}

async function signIn(token) {
  await page.goto(url);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('role').waitFor();
}

async function expectDownload(click, check) {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = join(out, download.suggestedFilename());
  await download.saveAs(path);
  check(readFileSync(path), download.suggestedFilename());
  return path;
}

function assert(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

try {
  page = await newPage();
  await run('sign-in', async () => {
    await signIn(env('WAYMARK_TOKEN'));
    assert((await page.getByTestId('role').textContent()) === 'admin', 'the role shown is not admin');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.locator('table tbody tr').first().waitFor();
    // At 1440x900 the run tables fit their columns and a row is its name and error, not a tall band.
    const layout = await page.evaluate(() => [...document.querySelectorAll('section table')].map((t) => ({
      overflow: t.scrollWidth - t.parentElement.clientWidth,
      rows: [...t.querySelectorAll('tbody tr')].map((r) => r.getBoundingClientRect().height),
    })));
    for (const table of layout) {
      assert(table.overflow <= 1, `a home table is wider than its column by ${table.overflow}px`);
      assert(Math.max(...table.rows) <= 96, `a home table row is ${Math.max(...table.rows)}px tall`);
    }
  });

  await run('search', async () => {
    await page.getByRole('searchbox', { name: 'Search the catalog' }).fill(dataset.split(/[/.]/).filter(Boolean).pop());
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('heading', { name: /Search results/ }).waitFor();
    await page.getByRole('link', { name: dataset, exact: true }).first().waitFor();
  });

  await run('dataset', async () => {
    await page.getByRole('link', { name: dataset, exact: true }).first().click();
    await page.getByRole('heading', { level: 1, name: dataset }).waitFor();
    await page.getByRole('heading', { name: 'Schema' }).waitFor();
    await page.getByRole('cell', { name: field, exact: true }).first().waitFor();
  });

  await run('lineage', async () => {
    await page.getByRole('link', { name: 'Open lineage' }).click();
    await page.getByTestId('lineage-node').first().waitFor();
    assert((await page.getByTestId('lineage-node').count()) >= 2, 'the lineage graph shows fewer than two nodes');
  });

  await run('expand', async () => {
    const before = await page.getByTestId('lineage-node').count();
    const handle = page.getByRole('button', { name: /^Expand (upstream|downstream) of .* hidden\)$/ }).first();
    await handle.click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="lineage-node"]').length > n, before);
  });

  await run('column-mode', async () => {
    await page.getByLabel('Columns').check();
    await page.getByRole('button', { name: `Trace ${dataset}.${field}` }).click();
    await page.getByTestId('field-edge').first().waitFor();
  });

  await run('classification-badge', async () => {
    const badges = page.locator('.canvas [data-testid="classification-badge"]');
    await badges.first().waitFor();
    assert((await badges.count()) >= 1, 'no classification badge in column mode');
  });

  await run('impact', async () => {
    await page.getByRole('link', { name: 'Impact', exact: true }).click();
    await page.getByLabel('Dataset or field id').fill(env('E2E_IMPACT_NODE'));
    await page.getByRole('radio', { name: /^Drop/ }).check();
    await page.getByRole('button', { name: 'Show impact' }).click();
    await page.locator('table.impact tbody tr').first().waitFor();
  });

  await run('impact-csv', async () => {
    await expectDownload(() => page.getByRole('button', { name: 'Download CSV' }).click(), (bytes) => {
      assert(bytes.toString('utf8').split('\n').length >= 2, 'the impact CSV has no rows');
    });
  });

  await run('supply-missing-fact', async () => {
    await page.getByRole('link', { name: 'Compliance' }).click();
    await page.getByRole('button', { name: 'Evaluate now' }).click();
    await page.getByText(/^Evaluated in/).waitFor({ timeout: 60_000 });
    await page.getByLabel('Outcome').selectOption('UNKNOWN');
    const input = page.getByLabel(/^Supply /).first();
    await input.waitFor();
    // Whatever the fact is, give it a value of its type.
    if (await input.evaluate((e) => e.tagName === 'SELECT')) {
      const options = await input.locator('option').allTextContents();
      await input.selectOption(options.find((o) => o !== '(remove)'));
    } else {
      const type = await input.getAttribute('type');
      const hint = (await input.getAttribute('placeholder')) ?? '';
      await input.fill(type === 'number' ? '30' : type === 'date' ? '2026-01-31' : hint.includes('ISO') ? 'DE' : hint.includes('region') ? 'eu-west-1' : 'analytics');
    }
    await page.getByRole('button', { name: /^Supply / }).first().click();
    await page.waitForTimeout(500);
    assert((await page.locator('.missing [role="alert"]').count()) === 0, `the server refused the value: ${await page.locator('.missing [role="alert"]').allTextContents()}`);
  });

  await run('export-report', async () => {
    await page.getByRole('heading', { name: 'Signed audit reports' }).waitFor();
    await expectDownload(() => page.getByRole('button', { name: 'Export JSON' }).click(), (bytes) => {
      const report = JSON.parse(bytes.toString('utf8'));
      assert(typeof report.waymarkSignature === 'string', 'the exported report carries no signature');
    });
    await expectDownload(() => page.getByRole('button', { name: 'Export PDF' }).click(), (bytes) => {
      assert(bytes.subarray(0, 5).toString('latin1') === '%PDF-', 'the PDF export is not a PDF');
    });
  });

  await run('audit-log', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByText(/Hash chain intact/).waitFor();
    await page.getByRole('cell', { name: 'report.export' }).first().waitFor();
    await page.getByRole('cell', { name: 'annotation.update' }).first().waitFor();
  });

  await run('review-queue', async () => {
    await page.getByRole('link', { name: 'Compliance' }).click();
    await page.getByTestId('proposals-waiting').getByRole('link', { name: 'Review them' }).click();
    await page.getByTestId('current-proposal').waitFor();
    const before = await page.getByTestId('review-count').textContent();
    const which = await page.getByTestId('current-proposal').getByRole('heading').textContent();
    await page.keyboard.press('a');
    await page.getByRole('status').filter({ hasText: /^Accepted / }).waitFor();
    const after = await page.getByTestId('review-count').textContent();
    assert(parseInt(after, 10) === parseInt(before, 10) - 1, `the queue did not shrink: ${before} -> ${after}`);
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('cell', { name: 'classification.review' }).first().waitFor();
    console.log(`     accepted ${which}`);
  });

  await run('operations', async () => {
    await page.getByRole('link', { name: 'Operations' }).click();
    await page.getByTestId('open-incidents').filter({ hasText: /open/ }).waitFor();
    await page.getByTestId('job-states').getByText('FAILING').first().waitFor();
    await page.getByRole('link', { name: /e2e-ops\/nightly_load is failing/ }).first().click();
    await page.getByTestId('incident-state').filter({ hasText: /^OPEN/ }).waitFor();
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByTestId('incident-state').filter({ hasText: /^ACKNOWLEDGED/ }).waitFor();
  });

  await run('names-render-as-text', async () => {
    const job = env('E2E_XSS_JOB');
    await page.getByRole('searchbox', { name: 'Search the catalog' }).fill('script');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('link', { name: job, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: job }).waitFor();
    await page.getByRole('link', { name: 'Open lineage' }).click();
    await page.getByTestId('lineage-node').nth(1).waitFor();
    assert((await page.locator('script:not([src])').count()) === 0, 'an inline script element exists in the page');
    assert((await page.locator('svg[onload], img[onerror]').count()) === 0, 'an element with an injected event handler exists');
  });

  await run('viewer-sees-no-steward-controls', async () => {
    await page.context().close();
    page = await newPage();
    await signIn(env('WAYMARK_VIEWER_TOKEN'));
    assert((await page.getByTestId('role').textContent()) === 'viewer', 'the role shown is not viewer');
    assert((await page.getByRole('link', { name: 'Audit log' }).count()) === 0, 'a viewer sees the audit log link');
    await page.goto(`${url}/datasets/${encodeURIComponent(env('E2E_DATASET_NS'))}/${encodeURIComponent(dataset)}`);
    await page.getByRole('heading', { level: 1, name: dataset }).waitFor();
    assert((await page.getByRole('button', { name: /Add a classification/ }).count()) === 0, 'a viewer may classify');
    assert((await page.getByRole('form', { name: 'Edit annotations' }).count()) === 0, 'a viewer may edit annotations');
    await page.goto(`${url}/compliance`);
    await page.getByRole('heading', { name: 'Compliance' }).waitFor();
    assert((await page.getByRole('button', { name: /Export/ }).count()) === 0, 'a viewer may export reports');
  });

  assert(problems.length === 0, `the browser reported: ${problems.join('; ')}`);
  console.log(`all ${step} steps passed; screenshots in ${out}`);
  await browser.close();
} catch (e) {
  console.error(e.stack ?? String(e));
  if (problems.length) {
    console.error(`browser problems: ${problems.join('; ')}`);
  }
  await browser.close();
  process.exit(1);
}
