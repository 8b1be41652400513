// run.mjs: the pages in a real browser (Debian's headless Chromium through playwright-core):
// sortable and filterable tables, the search box, links between pages, no console errors
// and no CSP violations, a screenshot of each page. Run by ./quickstart test against its
// throw-away instance; prints "browser: N checks, M failures" and exits 1 on a failure.
// With DM_LOGIN=ldap (the instance's pages behind apache/login-ldap.conf) it logs in instead.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const env = (name) => {
	if (!process.env[name]) {
		console.error(`browser: ${name} is not set: run ./quickstart test`);
		process.exit(2);
	}
	return process.env[name];
};
const HTTP = env('DM_HTTP_URL');
const HTTPS = env('DM_HTTPS_URL');
const STATE = env('DM_STATE');
const SOURCE = env('DM_TEST_SOURCE');
const PROXY = 'proxy-hosts.example.org';
const HOST_A = 't-browser-a.example.org';
const HOST_B = 't-browser-b.example.org';
const PACKAGE = 't-browser-pkg';
const SHOTS = join(STATE, 'screenshots');

let checks = 0;
let failures = 0;

function check(what, ok, detail = '') {
	checks++;
	if (!ok) {
		failures++;
		console.log(`browser: FAIL ${what}${detail ? `: ${detail}` : ''}`);
	}
	return ok;
}

// --- data: two hosts reported over HTTPS as the PROXY_HOSTS certificate ------------------

function proxyCert() {
	const out = execFileSync(join(SOURCE, 'quickstart'), ['cert', PROXY], {
		env: { ...process.env, DM_STATE_DIR: STATE },
		encoding: 'utf8',
	});
	const [cert, key] = out.trim().split('\n');
	return { cert: readFileSync(cert), key: readFileSync(key), ca: readFileSync(env('DM_CA')) };
}

function post(tls, path, body) {
	return new Promise((resolve, reject) => {
		const req = https.request(`${HTTPS}${path}`, {
			method: 'POST',
			...tls,
			headers: { 'Content-Type': 'application/json' },
		}, (res) => {
			let text = '';
			res.on('data', (d) => { text += d; });
			res.on('end', () => resolve({ status: res.statusCode, text }));
		});
		req.on('error', reject);
		req.end(JSON.stringify(body));
	});
}

function report(name, installed, upgradable) {
	return {
		api_version: 'v1',
		update_type: 'full',
		hostname: name,
		os: 'Debian 12',
		running_kernel: { release: '6.1.0-18-amd64', version: '#1 SMP t-browser 6.1.76-1' },
		installed: installed.map(([n, v]) => ({ name: n, version: v, source: n })),
		upgradable: upgradable.map(([n, from, to, type]) =>
			({ name: n, version_from: from, version_to: to, source: n, type })),
	};
}

async function seed() {
	const tls = proxyCert();
	const many = Array.from({ length: 30 }, (_, i) => [`t-browser-lib${i}`, `1.${i}-1`]);
	const hosts = [
		report(HOST_A, [[PACKAGE, '2.0-1'], ['openssl', '3.0.11-1~deb12u2'], ...many],
			[['openssl', '3.0.11-1~deb12u2', '3.0.13-1~deb12u1', 'security'],
				['t-browser-lib3', '1.3-1', '1.4-1', '']]),
		report(HOST_B, [[PACKAGE, '1.0-1'], ['openssl', '3.0.11-1~deb12u2']], []),
	];
	for (const h of hosts) {
		const r = await post(tls, `/hosts/${h.hostname}/update`, h);
		check(`POST /hosts/${h.hostname}/update`, r.status === 201, `HTTP ${r.status} ${r.text}`);
	}
	// Host B has been silent for two days: its rows show the stale mark.
	execFileSync('mariadb', ['--no-defaults', '-S', env('DM_MYSQL_SOCKET'), '-uroot',
		env('DM_DB_NAME'), '-e',
		`UPDATE host SET modified = UTC_TIMESTAMP() - INTERVAL 2 DAY WHERE name = '${HOST_B}'`]);
}

// The security tracker fixture, imported by debmonitor-cve: host A's openssl is affected.
function importTracker() {
	execFileSync(env('DM_CVE'), ['--config', env('DM_CONFIG'), '--force', '--file',
		join(SOURCE, 'tests/data/tracker/tracker.json')], { encoding: 'utf8' });
}

// Links on the host page come from HOST_EXTERNAL_LINKS; the original config is put back.
function withLinks() {
	const path = env('DM_CONFIG');
	const original = readFileSync(path, 'utf8');
	const cfg = JSON.parse(original);
	cfg.HOST_EXTERNAL_LINKS = {
		Grafana: 'https://grafana.example.org/d/hosts?var-host={hostname}',
		Netbox: 'https://netbox.example.org/search/?q={fqdn}',
	};
	writeFileSync(path, JSON.stringify(cfg, null, 4));
	return () => writeFileSync(path, original);
}

// --- the browser --------------------------------------------------------------------------

// Every page must load without a console error, a script error, a CSP violation or a
// failed request; the CSP listener is installed before any page script runs.
function watch(page, problems) {
	page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()} ${m.location().url}`); });
	page.on('pageerror', (e) => problems.push(`script error: ${e.message}`));
	page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
	page.on('response', (r) => {
		if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
	});
}

async function visited(page, problems, name) {
	const csp = await page.evaluate(() => window.dmCspViolations || []);
	for (const v of csp) problems.push(`CSP violation: ${v}`);
	check(`${name}: no console errors, CSP violations or failed requests`,
		problems.length === 0, problems.join('; '));
	problems.length = 0;
	// The lists the integration suites leave behind are long: their first screens suffice.
	const tall = await page.evaluate(() => document.documentElement.scrollHeight > 3000);
	await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: !tall });
}

async function columnValues(page, col, table = 'main table') {
	return page.$$eval(`${table} tbody tr:not([hidden])`, (rows, c) =>
		rows.map((r) => r.cells[c].textContent.trim()), col);
}

function sorted(values, cmp) {
	return values.every((v, i) => i === 0 || cmp(values[i - 1], v) <= 0);
}

async function checkSorting(page) {
	const headers = await page.$$eval('main table thead th', (ths) =>
		ths.map((t) => t.textContent.trim()));
	const col = headers.indexOf('Packages');
	check('/hosts/: a Packages column', col >= 0, headers.join(', '));
	const th = page.locator('main table thead th').nth(col);
	const num = (v) => (v === '' ? -Infinity : Number(v));
	await th.locator('button').click();
	check('/hosts/: aria-sort ascending', await th.getAttribute('aria-sort') === 'ascending');
	check('/hosts/: sorted by packages, ascending',
		sorted(await columnValues(page, col), (a, b) => num(a) - num(b)));
	await th.locator('button').click();
	check('/hosts/: aria-sort descending', await th.getAttribute('aria-sort') === 'descending');
	const desc = await columnValues(page, col);
	check('/hosts/: sorted by packages, descending', sorted(desc, (a, b) => num(b) - num(a)));
	const host = page.locator('main table thead th').nth(headers.indexOf('Host'));
	await host.locator('button').click();
	const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
	check('/hosts/: sorted by name', sorted(await columnValues(page, 0), collator.compare));
	check('/hosts/: one sorted column', await th.getAttribute('aria-sort') === null);
}

async function checkFilter(page) {
	const all = (await columnValues(page, 0)).length;
	const input = page.locator('main .table-filter input');
	check('/hosts/: one filter box', await input.count() === 1);
	await input.pressSequentially('T-BROWSER-');
	const names = await columnValues(page, 0);
	check('/hosts/: the filter keeps the matching rows', names.length === 2 &&
		names.includes(HOST_A) && names.includes(HOST_B), names.join(', '));
	await input.fill('');
	check('/hosts/: an empty filter shows every row',
		(await columnValues(page, 0)).length === all);
	check('/hosts/: the stale host is marked',
		await page.locator(`main tr.stale a[href="/hosts/${HOST_B}"]`).count() === 1);
}

async function checkSearch(page, problems) {
	await page.fill('header input[name="q"]', PACKAGE);
	await Promise.all([page.waitForURL(/\/search\?q=/), page.press('header input[name="q"]', 'Enter')]);
	check('search: a link to the package',
		await page.locator(`main a[href="/packages/${PACKAGE}"]`).count() >= 1);
	await visited(page, problems, 'search');
	await Promise.all([page.waitForURL(`${HTTP}/packages/${PACKAGE}`),
		page.click(`main a[href="/packages/${PACKAGE}"]`)]);
	check('package page: both hosts', await page.locator(`main a[href="/hosts/${HOST_A}"]`).count()
		=== 1 && await page.locator(`main a[href="/hosts/${HOST_B}"]`).count() === 1);
	await visited(page, problems, 'package');
}

async function checkHostPage(page, problems) {
	await Promise.all([page.waitForURL(`${HTTP}/hosts/${HOST_A}`),
		page.click(`main a[href="/hosts/${HOST_A}"]`)]);
	check('host page: reached from the list', (await page.textContent('h1')) === HOST_A);
	check('host page: the external links', await page.locator(
		'dd.links a[href="https://grafana.example.org/d/hosts?var-host=t-browser-a"]').count() === 1);
	// The packages table is the last; the vulnerabilities table, when any, comes before it.
	const input = page.locator('main .table-filter input').last();
	await input.pressSequentially('openssl');
	check('host page: the filter finds openssl',
		(await columnValues(page, 0, 'main table:last-of-type')).join() === 'openssl');
	await input.fill('');
	await visited(page, problems, 'host');
}

// The package list holds every package the suites reported (tens of thousands of rows):
// a sort and a filter there still answer in seconds, most of it Chromium laying out the
// table (a bound that catches a quadratic sort or filter, not a benchmark).
// The packages, 5,000 to a page: a whole list up to that size is sorted and filtered in
// the page; a longer one (the test instance's suites report thousands) by the server.
async function checkBigTable(page) {
	await page.goto(`${HTTP}/packages/?limit=5000`);
	const rows = await page.locator('main table tbody tr').count();
	const paged = await page.locator('main table[data-paged]').count() > 0;
	const th = page.locator('main table thead th.num').first();
	const where = paged ? 'by the server' : 'in the page';
	let t = Date.now();
	if (paged)
		await Promise.all([page.waitForURL(/sort=/), th.locator('a.sort-link').click()]);
	else
		await th.locator('button').click();
	await page.waitForFunction(() => document.querySelector('main th[aria-sort]'));
	check(`/packages/: ${rows} rows sorted ${where} within 10 s`, Date.now() - t < 10000,
		`${Date.now() - t} ms`);
	t = Date.now();
	const input = page.locator('main .table-filter input');
	if (paged)
		await Promise.all([page.waitForURL(/q=/), input.fill(PACKAGE).then(() => input.press('Enter'))]);
	else
		await input.fill(PACKAGE);
	check(`/packages/: ${rows} rows filtered ${where} within 10 s`, Date.now() - t < 10000,
		`${Date.now() - t} ms`);
	check('/packages/: the filter finds the package',
		(await columnValues(page, 0)).join() === PACKAGE, (await columnValues(page, 0)).join());
}

// A list longer than its page (one row a page): the headings sort on the server, the
// pager's links keep the filter and the sort, the filter form and the table's filter box
// ask the server.
async function checkPaging(page, problems) {
	await page.goto(`${HTTP}/hosts/?q=t-browser-&limit=1`);
	check('/hosts/ paged: data-paged', await page.locator('main table[data-paged]').count() === 1);
	check('/hosts/ paged: no client-side sort buttons',
		await page.locator('main th button.sort').count() === 0);
	check('/hosts/ paged: the first host', (await columnValues(page, 0)).join() === HOST_A);
	check('/hosts/ paged: 2 rows match',
		(await page.textContent('main .list-total')).trim() === '2 rows match');
	await Promise.all([page.waitForURL(/after=/), page.click('main nav.pager a[rel="next"]')]);
	check('/hosts/ paged: next keeps the filter', page.url().includes('q=t-browser-'), page.url());
	check('/hosts/ paged: the second host', (await columnValues(page, 0)).join() === HOST_B);
	check('/hosts/ paged: no next on the last page',
		await page.locator('main nav.pager a[rel="next"]').count() === 0);
	await Promise.all([page.waitForURL(/before=/), page.click('main nav.pager a[rel="prev"]')]);
	check('/hosts/ paged: back to the first host', (await columnValues(page, 0)).join() === HOST_A);
	// Host name descending, on the server: the other host comes first.
	await Promise.all([page.waitForURL(/sort=-name/),
		page.click('main th[aria-sort="ascending"] a.sort-link')]);
	check('/hosts/ paged: sorted by the server, descending',
		(await columnValues(page, 0)).join() === HOST_B, (await columnValues(page, 0)).join());
	check('/hosts/ paged: aria-sort descending',
		await page.locator('main th[aria-sort="descending"]').count() === 1);
	await Promise.all([page.waitForURL(/after=/), page.click('main nav.pager a[rel="next"]')]);
	check('/hosts/ paged: next keeps the sort', page.url().includes('sort=-name') &&
		(await columnValues(page, 0)).join() === HOST_A, page.url());
	// The form: its fields show the filters; a changed field asks again, from page one.
	check('/hosts/ paged: the form shows q',
		await page.inputValue('main form.filters input[name="q"]') === 't-browser-');
	await page.fill('main form.filters input[name="q"]', HOST_B);
	await Promise.all([page.waitForURL(new RegExp(`q=${HOST_B}`)),
		page.click('main form.filters button[type="submit"]')]);
	check('/hosts/ paged: the form filters on the server',
		(await columnValues(page, 0)).join() === HOST_B && !page.url().includes('after='),
		page.url());
	// The table's filter box, on a list longer than its page, asks the server too.
	await page.goto(`${HTTP}/hosts/?q=t-browser-&limit=1`);
	const box = page.locator('main .table-filter input');
	check('/hosts/ paged: one filter box', await box.count() === 1);
	await box.fill('t-browser-b');
	await Promise.all([page.waitForURL(/q=t-browser-b/), box.press('Enter')]);
	check('/hosts/ paged: the filter box asks the server',
		(await columnValues(page, 0)).join() === HOST_B, page.url());
	await visited(page, problems, 'hosts-paged');
}

// Without JavaScript the tables are all there, only without the filter box.
// /cves/: the filter form, sorting, an issue's page, and from it a host's vulnerabilities.
async function checkVulns(page, problems) {
	await page.goto(`${HTTP}/cves/`);
	check('/cves/: CVE-2025-9230 listed',
		await page.locator('main a[href="/cves/CVE-2025-9230"]').count() === 1);
	await visited(page, problems, 'cves');
	await page.selectOption('form.filters select[name="urgency"]', 'medium');
	await Promise.all([page.waitForURL(/\/cves\/\?urgency=medium/),
		page.click('form.filters button[type="submit"]')]);
	const urgencies = await columnValues(page, 1);
	check('/cves/?urgency=medium: only medium issues',
		urgencies.length > 0 && urgencies.every((u) => u === 'medium'), urgencies.join());
	await page.locator('main table thead th button', { hasText: 'Hosts' }).first().click();
	check('/cves/: sorted by hosts', await page.locator('main th[aria-sort]').count() === 1);
	await visited(page, problems, 'cves-filtered');
	await Promise.all([page.waitForURL(`${HTTP}/cves/CVE-2025-9230`),
		page.click('main a[href="/cves/CVE-2025-9230"]')]);
	check('/cves/ID: the issue', (await page.textContent('h1')) === 'CVE-2025-9230');
	check('/cves/ID: the tracker link', await page.locator(
		'a[href="https://security-tracker.debian.org/tracker/CVE-2025-9230"]').count() === 1);
	check('/cves/ID: host A affected',
		await page.locator(`main a[href="/hosts/${HOST_A}"]`).count() >= 1);
	await visited(page, problems, 'cve');
	await Promise.all([page.waitForURL(`${HTTP}/hosts/${HOST_A}`),
		page.click(`main a[href="/hosts/${HOST_A}"] >> nth=0`)]);
	check('host page: the vulnerabilities section',
		await page.locator('#vulnerabilities').count() === 1);
	check('host page: CVE-2025-9230 with a fix available', await page.locator(
		'table.vulns tr.fixable a[href="/cves/CVE-2025-9230"]').count() >= 1);
	await visited(page, problems, 'host-vulns');
	await page.goto(`${HTTP}/`);
	check('dashboard: the security cards',
		await page.locator('#cve_imported').count() === 1 &&
		await page.locator('#cves_affecting').count() === 1);
}

async function checkNoScript(browser) {
	const ctx = await browser.newContext({ javaScriptEnabled: false });
	const page = await ctx.newPage();
	await page.goto(`${HTTP}/hosts/?q=t-browser-`);
	check('no JavaScript: the hosts table is complete',
		await page.locator(`main a[href="/hosts/${HOST_A}"]`).count() === 1);
	check('no JavaScript: no filter box', await page.locator('.table-filter').count() === 0);
	// The filter form and the pager are plain HTML: they work without the script.
	await page.goto(`${HTTP}/hosts/?limit=1`);
	await page.fill('main form.filters input[name="q"]', 't-browser-');
	await Promise.all([page.waitForURL(/q=t-browser-/),
		page.click('main form.filters button[type="submit"]')]);
	check('no JavaScript: the form filters', (await columnValues(page, 0)).join() === HOST_A,
		(await columnValues(page, 0)).join());
	await Promise.all([page.waitForURL(/after=/), page.click('main nav.pager a[rel="next"]')]);
	check('no JavaScript: the next page', (await columnValues(page, 0)).join() === HOST_B,
		(await columnValues(page, 0)).join());
	await ctx.close();
}

async function browse(browser) {
	const problems = [];
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	await ctx.addInitScript(() => {
		window.dmCspViolations = [];
		document.addEventListener('securitypolicyviolation', (e) =>
			window.dmCspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
	});
	const page = await ctx.newPage();
	watch(page, problems);
	for (const [name, path] of [['dashboard', '/'], ['packages', '/packages/'],
		['kernels', '/kernels/']]) {
		await page.goto(`${HTTP}${path}`);
		await visited(page, problems, name);
	}
	await checkBigTable(page);
	await checkPaging(page, problems);
	// The whole list on one page: sorted and filtered where it is.
	await page.goto(`${HTTP}/hosts/?limit=5000`);
	check('/hosts/: the script ran', await page.locator('main th button.sort').count() > 0);
	await checkSorting(page);
	await checkFilter(page);
	await visited(page, problems, 'hosts');
	await checkHostPage(page, problems);
	await checkSearch(page, problems);
	await checkVulns(page, problems);
	await page.setViewportSize({ width: 390, height: 844 });
	for (const [name, path] of [['hosts-phone', '/hosts/'], ['host-phone', `/hosts/${HOST_A}`],
		['cves-phone', '/cves/'], ['cve-phone', '/cves/CVE-2025-9230']]) {
		await page.goto(`${HTTP}${path}`);
		const wide = await page.evaluate(() =>
			document.documentElement.scrollWidth <= window.innerWidth + 1);
		check(`${name}: the page itself does not scroll sideways`, wide);
		await visited(page, problems, name);
	}
	await ctx.close();
}

// Long tables (100 rows or more) are laid out when they come near the window: a search
// with two of them shows the first, skips the second until it is scrolled to, then shows
// it whole; the "all of them" link leads to the whole filtered list. Its host is reported
// last, when the other checks have counted the hosts.
async function checkLongTables(browser) {
	const long = Array.from({ length: 150 }, (_, i) =>
		[`t-long-${String(i).padStart(3, '0')}`, '1.0-1']);
	const h = report('t-long.example.org', long, []);
	const r = await post(proxyCert(), `/hosts/${h.hostname}/update`, h);
	check('POST the host of 150 packages', r.status === 201, `HTTP ${r.status} ${r.text}`);
	const problems = [];
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await ctx.newPage();
	watch(page, problems);
	await page.goto(`${HTTP}/search?q=t-long-`);
	check('search, 150 matches: two long tables', await page.locator('main div.long > table').count() === 2);
	const last = page.locator('#source_packages ~ div.long tbody tr').last();
	const shown = () => last.evaluate((row) => row.checkVisibility({ contentVisibilityAuto: true }));
	check('search: the second long table waits below the window', !(await shown()));
	await last.scrollIntoViewIfNeeded();
	await page.waitForFunction(() => {
		const rows = document.querySelectorAll('#source_packages ~ div.long tbody tr');
		return rows.length && rows[rows.length - 1].checkVisibility({ contentVisibilityAuto: true });
	});
	const box = await last.boundingBox();
	check('search: scrolled to, the second table shows its last row',
		await shown() && box && box.height > 0 && (await last.textContent()).trim() === 't-long-099',
		JSON.stringify(box));
	await visited(page, problems, 'search-long');
	await Promise.all([page.waitForURL(/\/packages\/\?q=t-long-/),
		page.click('main a[href="/packages/?q=t-long-"]')]);
	check('search: "all of them" lists the 150 packages',
		(await columnValues(page, 0)).length === 150, (await columnValues(page, 0)).length);
	await visited(page, problems, 'packages-long');
	await ctx.close();
}

// --- REQUIRE_LOGIN (DM_LOGIN=ldap) -----------------------------------------------------------

async function loginAs(browser, credentials) {
	const ctx = await browser.newContext(credentials ? { httpCredentials: credentials } : {});
	const page = await ctx.newPage();
	return { ctx, page };
}

// Loads /hosts/ with these credentials (null: none): "HTTP <status>", or the browser's
// error when it gives up on the login (headless Chromium cancels a 401 it cannot answer).
async function hostsAs(browser, credentials) {
	const { ctx, page } = await loginAs(browser, credentials);
	const answer = await page.goto(`${HTTP}/hosts/`).then((r) => `HTTP ${r.status()}`,
		(e) => e.message.split('\n')[0]);
	const table = await page.locator('main table').count();
	await ctx.close();
	return { answer, table };
}

async function checkLogin(browser) {
	const user = env('DM_LOGIN_USER');
	const password = env('DM_LOGIN_PASSWORD');
	const refused = /^HTTP 401$|ERR_INVALID_AUTH_CREDENTIALS/;
	for (const [what, credentials, want] of [
		['no credentials', null, refused],
		['wrong password', { username: user, password: `${password}x` }, refused],
		['a user outside the group', { username: env('DM_LOGIN_OUTSIDER'),
			password: env('DM_LOGIN_OUTSIDER_PASSWORD') }, /^HTTP 403$/],
	]) {
		const { answer, table } = await hostsAs(browser, credentials);
		check(`login: ${what}: refused`, want.test(answer), answer);
		check(`login: ${what}: no fleet data`, table === 0);
	}

	const problems = [];
	const { ctx, page } = await loginAs(browser, { username: user, password });
	watch(page, problems);
	const res = await page.goto(`${HTTP}/`);
	check('login: the dashboard after logging in', res.status() === 200, `HTTP ${res.status()}`);
	check('login: the header names the user',
		(await page.locator('header .user').textContent()) === user);
	check('login: basic authentication has no logout link',
		await page.locator('header .logout').count() === 0);
	await visited(page, problems, 'login-dashboard');
	await page.click('header a[href="/hosts/"]');
	await page.waitForURL(`${HTTP}/hosts/`);
	// The script adds the filter box to every table, a paged one (sorted by the server) too.
	check('login: the script came through the login',
		await page.locator('main .table-filter').count() > 0);
	check('login: the stylesheet applies',
		await page.evaluate(() => getComputedStyle(document.querySelector('header')).backgroundColor)
			!== 'rgba(0, 0, 0, 0)');
	await visited(page, problems, 'login-hosts');
	await ctx.close();
}

async function main() {
	const home = mkdtempSync(join(tmpdir(), 'dm-chromium-'));
	let restore = () => {};
	let browser;
	mkdirSync(SHOTS, { recursive: true });
	try {
		if (!process.env.DM_LOGIN) {
			await seed();
			importTracker();
			restore = withLinks();
		}
		browser = await chromium.launch({
			executablePath: process.env.DM_CHROMIUM || '/usr/bin/chromium',
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
				'--disable-component-update', '--disable-sync', '--no-first-run'],
			env: { ...process.env, HOME: home },
		});
		if (process.env.DM_LOGIN) {
			await checkLogin(browser);
		} else {
			await browse(browser);
			await checkNoScript(browser);
			await checkLongTables(browser);
		}
	} catch (e) {
		check('the run completed', false, e.stack || String(e));
	} finally {
		if (browser) await browser.close();
		restore();
		rmSync(home, { recursive: true, force: true });
	}
	console.log(`browser: ${checks} checks, ${failures} failures`);
	process.exit(failures === 0 ? 0 : 1);
}

main();
