// Page tests of the trigger editor (www/index.html) in Debian's Chromium:
// the wasm loads, every seed example of every format validates, invalid
// edits are shown at their line, issues select their range, JSON syntax
// errors give line and column, and the page logs no console error.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemo } from './harness.mjs';
import { auxiliaryExamples, examples } from '../../www/examples.js';

const FORMATS = ['rocketchat', 'zendesk', 'pocketflows', 'composio', 'zapier'];

let demo;
let page;
const consoleErrors = [];

before(async () => {
  demo = await startDemo();
  page = await demo.browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => consoleErrors.push(`request failed: ${request.url()}`));
  await page.goto(demo.url);
});

after(async () => {
  await demo?.close();
});

/** What the page shows: status, issue count, issues, result. */
function shown() {
  return page.evaluate(() => ({
    status: document.getElementById('status').textContent,
    count: document.getElementById('issue-count').textContent,
    issues: [...document.querySelectorAll('#issues .issue')].map((el) => ({
      severity: el.dataset.severity, line: Number(el.dataset.line), text: el.textContent,
    })),
    gutter: Object.fromEntries([...document.querySelectorAll('.code-gutter [data-severity]')]
      .filter((el) => el.closest('.editor-panel') && !el.closest('.aux'))
      .map((el) => [Number(el.textContent), el.dataset.severity])),
    normalized: document.getElementById('normalized').textContent,
    serverError: document.getElementById('server-error').hidden ? null
      : document.getElementById('server-error-text').textContent,
    source: document.getElementById('source').value,
  }));
}

/** Waits until the page has validated the current text (status no longer pending). */
async function settled(expectedSource) {
  await page.waitForFunction((text) => {
    const status = document.getElementById('status').dataset.state;
    return status !== 'pending' && (text === undefined || document.getElementById('source').value === text)
      && !document.getElementById('issues-panel').hasAttribute('aria-busy');
  }, expectedSource);
  return shown();
}

/** Waits until the issues list satisfies `check` (validation is debounced). */
async function until(check, what) {
  const deadline = Date.now() + 5000;
  let last;
  while (Date.now() < deadline) {
    last = await shown();
    if (check(last)) return last;
    await page.waitForTimeout(50);
  }
  assert.fail(`${what}; the page shows ${JSON.stringify(last, null, 2)}`);
}

const pretty = (value) => `${JSON.stringify(value, null, 2)}\n`;
const lineOf = (text, needle) => text.slice(0, text.indexOf(needle)).split('\n').length;

async function pickFormat(id) {
  await page.click(`label[for="format-${id}"]`);
}

/** Picks a format and (re)loads its first seed example; returns the validated state. */
async function freshExample(id) {
  await pickFormat(id);
  await page.selectOption('#example', '0');
  return settled(pretty(examples[id][0].value));
}

/** Puts the caret on `needle` (selecting it) in the main editor. */
async function selectText(needle, { select = true } = {}) {
  await page.evaluate(([n, sel]) => {
    const ta = document.getElementById('source');
    const at = ta.value.indexOf(n);
    if (at < 0) throw new Error(`not in the editor: ${n}`);
    ta.focus();
    ta.setSelectionRange(sel ? at : at + n.length, at + n.length);
  }, [needle, select]);
}

/** Selects `needle` in the main editor and types `replacement` over it, key by key. */
async function typeOver(needle, replacement) {
  await selectText(needle);
  await page.keyboard.type(replacement);
}

const openAux = () => page.evaluate(() => { document.getElementById('aux').open = true; });

const selection = (id = 'source') => page.evaluate((el) => {
  const ta = document.getElementById(el);
  return { start: ta.selectionStart, end: ta.selectionEnd, text: ta.value.slice(ta.selectionStart, ta.selectionEnd),
    focused: document.activeElement === ta };
}, id);

test('the wasm loads and the footer shows its size and load time', async () => {
  await page.waitForSelector('#runtime-facts[data-state="loaded"]', { timeout: 15000 });
  const facts = await page.textContent('#runtime-facts');
  assert.match(facts, /^triggerkit wasm \d+\.\d KB \(≈ \d+\.\d KB gzipped\) · loaded in \d+ ms$/);
  const wasmKb = Number(/wasm ([\d.]+) KB/.exec(facts)[1]);
  const wasm = await stat(new URL('../../pkg/web/triggerkit_bg.wasm', import.meta.url));
  assert.equal(wasmKb, Number((wasm.size / 1024).toFixed(1)));
});

test('the navigation links the pages that exist, marking the current one', async () => {
  const links = await page.$$eval('header nav a', (as) => as.map((a) => [a.textContent, a.getAttribute('href'),
    a.getAttribute('aria-current')]));
  assert.deepEqual(links, [['Trigger editor', '/', 'page']]);
});

test('picking each format loads its seed examples, and each is valid', async (t) => {
  for (const id of FORMATS) {
    await t.test(id, async () => {
      await pickFormat(id);
      assert.equal(page.url().endsWith(`#${id}`), true);
      const options = await page.$$eval('#example option', (os) => os.map((o) => o.textContent));
      assert.deepEqual(options, examples[id].map((e) => e.title));
      for (const [index, example] of examples[id].entries()) {
        await page.selectOption('#example', String(index));
        const state = await settled(pretty(example.value));
        assert.equal(state.status, 'Valid', `${id} example "${example.title}": ${JSON.stringify(state.issues)}`);
        assert.equal(state.issues.filter((i) => i.severity === 'error').length, 0);
        assert.doesNotThrow(() => JSON.parse(state.normalized), `${id}: the normalized value is JSON`);
        assert.equal(state.serverError, null);
      }
    });
  }
});

test('the Rocket.Chat example shows its normalized form (the server coerces the strings)', async () => {
  const state = await freshExample('rocketchat');
  assert.equal(state.status, 'Valid', JSON.stringify(state.issues));
  const value = JSON.parse(state.normalized);
  assert.equal(value.enabled, false);
  assert.equal(value.runOnce, true);
  assert.equal(value.conditions[0].value, '0');
});

test('optional documents: the Zapier seed input fields keep the seed inbox valid', async () => {
  await pickFormat('zapier');
  await page.selectOption('#example', '0');
  await openAux();
  await page.click('#aux-example');
  assert.equal(await page.inputValue('#aux-source'), pretty(auxiliaryExamples.zapier.value));
  const state = await settled();
  assert.equal(state.status, 'Valid', JSON.stringify(state.issues));
  assert.ok('listen_for_bots' in JSON.parse(state.normalized).inputs, 'the optional field is filled from its default');
  await page.click('#aux-clear');
});

test('an edit that breaks a value shows the error on its line; clicking it selects the value', async () => {
  await freshExample('rocketchat');
  await typeOver('queue', 'robot');
  const line = lineOf(await page.inputValue('#source'), '"robot"');
  const state = await until((s) => s.issues.some((i) => i.severity === 'error' && i.line === line),
    `an error on line ${line} ("sender": "robot")`);
  assert.equal(state.status, 'Invalid');
  assert.equal(state.gutter[line], 'error');
  assert.match(state.serverError, / \[invalid-params\]$/);
  assert.match(state.normalized, /No normalized value/);
  const issue = page.locator('#issues .issue', { hasText: `Line ${line},` }).first();
  await issue.click();
  const sel = await selection();
  assert.equal(sel.text, '"robot"');
  assert.equal(sel.focused, true);
});

test('deleting a required key shows the error where the key belongs', async () => {
  await freshExample('rocketchat');
  // Delete `,\n "msg": "hello world"` so that params keeps only its sender.
  await page.evaluate(() => {
    const ta = document.getElementById('source');
    const from = ta.value.indexOf(',', ta.value.indexOf('"queue"'));
    const to = ta.value.indexOf('"hello world"') + '"hello world"'.length;
    ta.focus();
    ta.setSelectionRange(from, to);
  });
  await page.keyboard.press('Delete');
  const text = await page.inputValue('#source');
  assert.doesNotMatch(text, /msg/);
  const line = lineOf(text, '"params"');
  const state = await until((s) => s.issues.some((i) => i.severity === 'error' && i.line === line),
    `an error on line ${line} ("params" lost its required msg)`);
  assert.equal(state.gutter[line], 'error');
  await page.locator('#issues .issue', { hasText: `Line ${line},` }).first().click();
  const sel = await selection();
  // The pointer names either the params object or its missing msg member (shown at params).
  assert.ok(sel.text === '"params"' || (sel.text.startsWith('{') && sel.text.includes('"sender"')),
    `selected ${JSON.stringify(sel.text)}`);
  assert.equal(lineOf(text, sel.text), line);
});

test('a JSON syntax error shows its line and column, and clicking it puts the caret there', async () => {
  await freshExample('rocketchat');
  await selectText('"api-trigger",', { select: false });
  await page.keyboard.press('Backspace');
  const state = await until((s) => s.status === 'JSON syntax error', 'a syntax error');
  assert.equal(state.issues.length, 1);
  const [issue] = state.issues;
  assert.equal(issue.severity, 'error');
  assert.match(issue.text, /Expected ',' or '}' after property value, found '"'/);
  assert.match(issue.text, /Line 3, col 3json_syntax/);
  assert.equal(state.gutter[3], 'error');
  assert.equal(state.count, '1 error.');
  await page.locator('#issues .issue').first().click();
  const sel = await selection();
  const text = await page.inputValue('#source');
  assert.equal(sel.start, text.indexOf('"description"'));
  assert.equal(sel.end, sel.start);
});

test('fixing the text clears the issues; drafts survive switching formats', async () => {
  await page.keyboard.type(',');
  const fixed = await until((s) => s.status === 'Valid', 'the fixed example to be valid again');
  assert.equal(fixed.count, 'No issues.');
  assert.deepEqual(fixed.gutter, {});
  await typeOver('hello world', 'welcome back');
  await until((s) => s.source.includes('welcome back') && s.status === 'Valid', 'the edit to validate');
  await pickFormat('zendesk');
  await settled(pretty(examples.zendesk[0].value));
  await pickFormat('rocketchat');
  const back = await settled();
  assert.match(back.source, /"msg": "welcome back"/);
  await page.click('#load-example');
  const reloaded = await settled(pretty(examples.rocketchat[0].value));
  assert.equal(reloaded.status, 'Valid');
});

test('a syntax error in the optional document is located in that document', async () => {
  await pickFormat('zendesk');
  await openAux();
  await page.click('#aux-source');
  await page.keyboard.type('{"definitions": [}');
  const state = await until((s) => s.issues.some((i) => i.text.includes('Account definitions, line 1, col 18')),
    'the definitions syntax error at line 1, col 18');
  assert.equal(state.status, 'Invalid');
  await page.locator('#issues .issue', { hasText: 'Account definitions' }).click();
  const sel = await selection('aux-source');
  assert.equal(sel.focused, true);
  assert.equal(sel.start, '{"definitions": ['.length);
  await page.click('#aux-clear');
  const cleared = await settled();
  assert.equal(cleared.status, 'Valid', JSON.stringify(cleared.issues));
});

test('duplicate keys are flagged as warnings at the repeated key', async () => {
  await pickFormat('composio');
  await page.click('#source');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('{"toolkit_versions": "latest",\n"toolkit_versions": "latest"}');
  const state = await until((s) => s.issues.some((i) => i.text.includes('duplicate_key')), 'a duplicate_key warning');
  const dup = state.issues.find((i) => i.text.includes('duplicate_key'));
  assert.equal(dup.severity, 'warning');
  assert.equal(dup.line, 2);
  assert.match(dup.text, /Duplicate key "toolkit_versions" \(first at line 1\)/);
  assert.equal(state.gutter[2], 'warning');
});

test('screenshot of the editor with an error (written to a temp dir)', async () => {
  await freshExample('rocketchat');
  await typeOver('chat-opened-by-visitor', 'page-opened');
  await until((s) => s.issues.length > 0, 'an issue to show');
  const file = join(mkdtempSync(join(tmpdir(), 'triggerkit-page-')), 'editor.png');
  await page.screenshot({ path: file, fullPage: true });
  assert.ok((await stat(file)).size > 10_000);
  console.log(`# screenshot: ${file}`);
});

test('no console errors, page errors or failed requests', () => {
  assert.deepEqual(consoleErrors, []);
});
