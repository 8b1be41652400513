/*
 * debmonitor.js: sortable and filterable tables; the pages work the same without it. A
 * table that shows one page of a longer list (data-paged) sorts and filters on the
 * server: its headings are links already, and its filter box asks the server (data-q
 * names the parameter).
 */
'use strict';

(function () {
	var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

	function cellText(row, col) {
		var cell = row.cells[col];
		return cell ? cell.textContent.trim() : '';
	}

	/* Empty numeric cells sort before every number. */
	function numberOf(text) {
		var n = parseFloat(text.replace(/[^0-9.eE+-]/g, ''));
		return isNaN(n) ? -Infinity : n;
	}

	/* Sort keys are read once per sort, not once per comparison. */
	function compareRows(numeric) {
		return function (a, b) {
			var d = numeric ? a.key - b.key : collator.compare(a.key, b.key);
			return d || a.index - b.index;
		};
	}

	function sortBy(table, th, col) {
		var body = table.tBodies[0], numeric = th.classList.contains('num');
		var next = body ? body.nextSibling : null, order, rows, i;
		if (!body)
			return;
		order = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
		rows = Array.prototype.map.call(body.rows, function (row, index) {
			var text = cellText(row, col);
			return { row: row, index: index, key: numeric ? numberOf(text) : text };
		});
		rows.sort(compareRows(numeric));
		if (order === 'descending')
			rows.reverse();
		Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) {
			other.removeAttribute('aria-sort');
		});
		th.setAttribute('aria-sort', order);
		/* Rows move inside a detached body: the page is laid out once, not per row. */
		table.removeChild(body);
		for (i = 0; i < rows.length; i++)
			body.appendChild(rows[i].row);
		table.insertBefore(body, next);
	}

	/* The header's text becomes a button, so that sorting works from the keyboard too. */
	function makeSortable(table) {
		if (!table.tHead || !table.tHead.rows.length || table.dataset.paged)
			return;
		Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
			var button = document.createElement('button'), link = th.querySelector('a.sort-link');
			/* The whole list is here: sorting it here is quicker than asking again. */
			if (link) {
				while (link.firstChild)
					th.insertBefore(link.firstChild, link);
				th.removeChild(link);
				th.removeAttribute('aria-sort');
			}
			button.type = 'button';
			button.className = 'sort';
			button.title = 'Sort by this column';
			while (th.firstChild)
				button.appendChild(th.firstChild);
			th.appendChild(button);
			button.addEventListener('click', function () {
				sortBy(table, th, col);
			});
		});
	}

	/* A row's text, lower-cased once: a host can have thousands of packages. */
	var rowText = new WeakMap();

	function textOf(row) {
		var text = rowText.get(row);
		if (text === undefined) {
			text = row.textContent.toLowerCase();
			rowText.set(row, text);
		}
		return text;
	}

	function filterRows(table, query) {
		var q = query.trim().toLowerCase(), shown = 0;
		Array.prototype.forEach.call(table.tBodies, function (body) {
			Array.prototype.forEach.call(body.rows, function (row) {
				var match = textOf(row).indexOf(q) !== -1;
				row.hidden = !match;
				shown += match ? 1 : 0;
			});
		});
		return shown;
	}

	function rowCount(n) {
		return n + (n === 1 ? ' row' : ' rows');
	}

	/* The list filtered by the server: the same URL with param=text, from its first page. */
	function serverFilter(param, text) {
		var url = new URL(window.location.href);
		url.searchParams.delete('after');
		url.searchParams.delete('before');
		if (text.trim())
			url.searchParams.set(param, text.trim());
		else
			url.searchParams.delete(param);
		window.location.assign(url.toString());
	}

	function addServerFilter(table) {
		var form = document.createElement('form');
		var input = document.createElement('input');
		var param = table.dataset.q;

		form.className = 'table-filter';
		input.type = 'search';
		input.placeholder = 'Filter\u2026 (Enter)';
		input.setAttribute('aria-label', 'Filter the whole list, on the server');
		input.value = new URL(window.location.href).searchParams.get(param) || '';
		form.addEventListener('submit', function (e) {
			e.preventDefault();
			serverFilter(param, input.value);
		});
		form.appendChild(input);
		table.parentNode.insertBefore(form, table);
	}

	function addFilter(table) {
		var box = document.createElement('div');
		var input = document.createElement('input');
		var count = document.createElement('span');
		var total = table.tBodies.length ? table.tBodies[0].rows.length : 0;

		if (table.dataset.paged && table.dataset.q)
			return addServerFilter(table);
		if (table.dataset.paged)
			input.title = 'Filters the rows of this page only';

		box.className = 'table-filter';
		input.type = 'search';
		input.placeholder = 'Filter\u2026';
		input.setAttribute('aria-label', 'Filter the rows of the table below');
		count.className = 'muted';
		count.setAttribute('aria-live', 'polite');
		count.textContent = rowCount(total);
		input.addEventListener('input', function () {
			var shown = filterRows(table, input.value);
			count.textContent = input.value.trim() ? shown + ' of ' + rowCount(total) :
				rowCount(total);
		});
		box.appendChild(input);
		box.appendChild(count);
		table.parentNode.insertBefore(box, table);
	}

	function init() {
		Array.prototype.forEach.call(document.querySelectorAll('main table'), function (t) {
			makeSortable(t);
			addFilter(t);
		});
	}

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', init);
	else
		init();
})();
