// browser-pages.mjs: every page of the site in headless Chromium, timed from navigation start
// to the load event (bench/README, "Pages in the browser"). Run by bench/browser-pages:
//
//   node bench/browser-pages.mjs BASE RUNS MODULES
//
// BASE is the pages vhost (http://127.0.0.1:PORT), RUNS the timed loads of each page (after
// one untimed warm-up), MODULES a node_modules directory holding playwright-core. Only GET
// requests: the names of the pages come from the list pages' JSON. Chromium's HOME is a
// temporary directory; its profile goes where TMPDIR says (the wrapper's own directory).
// Prints one line per page and exits 1 when a page cannot be measured (an HTTP error, a
// timeout), never for slowness.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [BASE, RUNS_ARG, MODULES] = process.argv.slice(2);
const RUNS = Number(RUNS_ARG);
if (!BASE || !(RUNS >= 1) || !MODULES) {
	console.error('usage: node browser-pages.mjs BASE RUNS NODE_MODULES');
	process.exit(2);
}
const { chromium } = createRequire(join(MODULES, 'noop.js'))('playwright-core');

const TARGET_MS = 500; // issue 18: navigation to load event, every page, 10,000 hosts
const TIMEOUT_MS = 120000; // a page of the unpaged lists takes seconds, not minutes
const errors = [];

function fail(what, detail) {
	errors.push(`${what}: ${detail}`);
	console.error(`browser-pages: ${what}: ${detail}`);
}

async function json(path) {
	const res = await fetch(`${BASE}${path}`, { headers: { Accept: 'application/json' } });
	if (res.status !== 200) throw new Error(`GET ${path} (JSON): HTTP ${res.status}`);
	return res.json();
}

// A name as a URL path: an image reference keeps its '/' and ':' (bench/lib.sh's urlpath).
function urlpath(name) {
	return encodeURIComponent(name).replace(/%2F/gi, '/').replace(/%3A/gi, ':');
}

// The pages and the names in them: a fleet host and image (bench/fleet's), bash and its
// source, the package, kernel and issue on most hosts. Labels are generic, the names are
// printed at the end.
async function pages() {
	const hosts = (await json('/hosts/')).hosts;
	const host = hosts.find((h) => /^fleet-.*\.example\.org$/.test(h.name) && h.os === 'Debian 12')
		|| hosts[0];
	const images = (await json('/images/')).images;
	const image = images.find((i) => i.name.startsWith('registry.example.org/fleet/')) || images[0];
	const packages = (await json('/packages/')).packages;
	const most = packages.reduce((a, p) => (p.hosts > a.hosts ? p : a), packages[0]);
	const bash = await json('/packages/bash');
	const kernels = (await json('/kernels/')).kernels;
	const kernel = kernels.reduce((a, k) => (k.hosts > a.hosts ? k : a), kernels[0]);
	const cves = (await json('/cves/')).cves || [];
	const cve = cves.reduce((a, c) => (c.hosts > a.hosts ? c : a), cves[0]);
	const names = { host: host?.name, image: image?.name, package: most?.name,
		source: bash.sources?.[0],
		kernel: kernel?.id, cve: cve?.issue };
	const list = [
		['/', '/'],
		['/hosts/', '/hosts/'],
		['/hosts/NAME', names.host && `/hosts/${urlpath(names.host)}`],
		['/images/', '/images/'],
		['/images/NAME', names.image && `/images/${urlpath(names.image)}`],
		['/packages/', '/packages/'],
		['/packages/bash', '/packages/bash'],
		['/packages/NAME', names.package && `/packages/${urlpath(names.package)}`],
		['/source-packages/', '/source-packages/'],
		['/source-packages/NAME', names.source && `/source-packages/${urlpath(names.source)}`],
		['/kernels/', '/kernels/'],
		['/kernels/ID', names.kernel !== undefined && `/kernels/${names.kernel}`],
		['/kubernetes/', '/kubernetes/'],
		['/cves/', '/cves/'],
		['/cves/ID', names.cve && `/cves/${urlpath(names.cve)}`],
		['/search?q=lib', '/search?q=lib'],
	];
	for (const [label, path] of list)
		if (!path) console.error(`browser-pages: ${label}: nothing to show in the fleet, skipped`);
	return { names, list: list.filter(([, path]) => path) };
}

// The navigation entry once the load event has ended (Playwright's 'load' may come first).
async function navigation(page) {
	await page.waitForFunction(() => {
		const nav = performance.getEntriesByType('navigation')[0];
		return nav && nav.loadEventEnd > 0;
	}, null, { timeout: TIMEOUT_MS });
	return page.evaluate(() => {
		const nav = performance.getEntriesByType('navigation')[0];
		return { origin: performance.timeOrigin, start: nav.startTime, load: nav.loadEventEnd,
			response: nav.responseEnd, bytes: nav.transferSize, status: nav.responseStatus };
	});
}

// The table a person would sort: the one with the most rows; its second column (the first
// is the order the server already gives) when it can be clicked, else the first that can
// (a host's packages sort on the server by name only); its header's text for the label.
// Null without one, or when no header has a link or debmonitor.js's button.
async function sortTarget(page) {
	return page.evaluate(() => {
		let best = null;
		document.querySelectorAll('main table').forEach((t, index) => {
			const rows = t.tBodies.length ? t.tBodies[0].rows.length : 0;
			if (t.tHead && t.tHead.rows.length && rows >= 2 && (!best || rows > best.rows))
				best = { index, rows };
		});
		if (!best) return null;
		const cells = [...document.querySelectorAll('main table')[best.index].tHead.rows[0].cells];
		const clickable = (c) => c.querySelector('a[href], button') !== null;
		best.col = cells.length > 1 && clickable(cells[1]) ? 1 : cells.findIndex(clickable);
		if (best.col < 0) return null;
		best.name = cells[best.col].textContent.trim();
		return best;
	});
}

// One click on the header, as a person's lands: on its link when the header has one (the
// server sorts: a navigation), else on debmonitor.js's button (the page sorts in place).
// Returns the click's time and leaves window.dmSortDone: the time of the first frame after
// the header's aria-sort changed, the sorted rows laid out and painted.
function clickHeader([index, col]) {
	const th = () => document.querySelectorAll('main table')[index].tHead.rows[0].cells[col];
	const before = th().getAttribute('aria-sort');
	const target = th().querySelector('a[href]') || th().querySelector('button') || th();
	const now = () => performance.timeOrigin + performance.now();
	target.scrollIntoView();
	const t0 = now();
	target.click();
	window.dmSortDone = new Promise((resolve) => {
		const deadline = t0 + 60000;
		const frame = () => {
			const cell = document.querySelectorAll('main table')[index]?.tHead?.rows[0]?.cells[col];
			if (cell && cell.getAttribute('aria-sort') !== before)
				setTimeout(() => resolve(now()), 0);
			else if (now() > deadline)
				resolve(null);
			else
				requestAnimationFrame(frame);
		};
		requestAnimationFrame(frame);
	});
	return t0;
}

// The sort's time in ms and how it was done ('page' or 'server'); a server sort is timed
// from the click to the load event of the sorted page.
async function timeSort(page, target) {
	let navigated = false;
	const main = page.mainFrame();
	page.on('request', (r) => { if (r.isNavigationRequest() && r.frame() === main) navigated = true; });
	const loaded = page.waitForEvent('load', { timeout: TIMEOUT_MS });
	loaded.catch(() => {});
	const t0 = await page.evaluate(clickHeader, [target.index, target.col]);
	const done = page.evaluate(() => window.dmSortDone).catch(() => null);
	const first = await Promise.race([done, loaded.then(() => 'load')]);
	if (typeof first === 'number') {
		// A script that sorts in place and then follows the link: wait for the request.
		await page.waitForTimeout(100);
		if (!navigated) return { ms: first - t0, how: 'page' };
	}
	if (!navigated)
		throw new Error('the click on the header neither sorted the table nor loaded a page');
	await loaded;
	const nav = await navigation(page);
	if (nav.status !== 200) throw new Error(`the sorted page: HTTP ${nav.status}`);
	return { ms: nav.origin + nav.load - t0, how: 'server' };
}

// One run: a fresh context (nothing cached), the load, then the sort when there is a table.
async function run(browser, url, sort) {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	try {
		const page = await ctx.newPage();
		page.setDefaultTimeout(TIMEOUT_MS);
		const res = await page.goto(url, { waitUntil: 'load', timeout: TIMEOUT_MS });
		if (!res || res.status() !== 200) throw new Error(`HTTP ${res ? res.status() : 'no answer'}`);
		const nav = await navigation(page);
		const r = { load: nav.load - nav.start, response: nav.response - nav.start, bytes: nav.bytes };
		r.last = await page.evaluate(() => {
			const a = document.querySelector('a[rel="last"]');
			return a ? a.href : null;
		});
		if (sort) {
			r.target = await sortTarget(page);
			if (r.target) r.sort = await timeSort(page, r.target);
			else r.unsortable = await page.evaluate(() => document.querySelector('main table tbody tr + tr') !== null);
		}
		return r;
	} finally {
		await ctx.close();
	}
}

function median(xs) {
	const s = [...xs].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const rows = [];

function row(label, times, responses, bytes) {
	const med = median(times);
	rows.push(label);
	console.log(`${label.padEnd(52)} ${med.toFixed(1).padStart(9)} ${Math.min(...times).toFixed(1).padStart(9)}`
		+ ` ${Math.max(...times).toFixed(1).padStart(9)} ${responses === null ? '-'.padStart(9)
			: median(responses).toFixed(1).padStart(9)} ${String(bytes ?? '-').padStart(10)}`
		+ `  ${med <= TARGET_MS ? 'ok' : 'SLOW'}`);
}

// A page: a warm-up, RUNS timed runs; then its last page when it has a pager.
async function measure(browser, label, path) {
	const url = new URL(path, BASE).href;
	let results;
	try {
		await run(browser, url, false);
		results = [];
		for (let i = 0; i < RUNS; i++) results.push(await run(browser, url, true));
	} catch (e) {
		fail(label, e.message.split('\n')[0]);
		return;
	}
	row(label, results.map((r) => r.load), results.map((r) => r.response),
		Math.max(...results.map((r) => r.bytes)));
	const sorts = results.filter((r) => r.sort);
	if (results.some((r) => r.unsortable))
		console.error(`browser-pages: ${label}: its biggest table has no header to click, no sort timed`);
	if (sorts.length) {
		const how = sorts[0].sort.how === 'server' ? ', server' : '';
		row(`${label} sort (${sorts[0].target.name}${how})`, sorts.map((r) => r.sort.ms), null, null);
	}
	const last = results[0].last;
	if (last && last !== url && !label.endsWith('(last page)'))
		await measure(browser, `${label} (last page)`, last);
}

async function main() {
	const home = mkdtempSync(join(tmpdir(), 'dm-browser-pages-'));
	let browser;
	try {
		const { names, list } = await pages();
		browser = await chromium.launch({
			executablePath: process.env.DM_CHROMIUM || '/usr/bin/chromium',
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
				'--disable-component-update', '--disable-sync', '--no-first-run'],
			env: { ...process.env, HOME: home },
		});
		console.log(`chromium: ${browser.version()}`);
		console.log(`${'page'.padEnd(52)} ${'median ms'.padStart(9)} ${'min ms'.padStart(9)}`
			+ ` ${'max ms'.padStart(9)} ${'resp ms'.padStart(9)} ${'bytes'.padStart(10)}  verdict`);
		for (const [label, path] of list) await measure(browser, label, path);
		console.log(`names: host ${names.host}; image ${names.image}; package ${names.package};`
			+ ` source ${names.source};`
			+ ` kernel ${names.kernel}; issue ${names.cve}`);
	} catch (e) {
		fail('the run', e.stack || String(e));
	} finally {
		if (browser) await browser.close();
		rmSync(home, { recursive: true, force: true });
	}
	process.exit(errors.length ? 1 : 0);
}

main();
