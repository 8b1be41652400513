-- soak-readers.lua: wrk's readers of the soak test (bench/README, "Soak").
--
--   wrk -t4 -c4 -d600s --timeout 60s -s bench/soak-readers.lua URL -- HOSTS PACKAGES
--
-- Each request is one page, half of them as JSON (Accept: application/json): a host's
-- page (30%), a package's page (20%), or one of the lists, the dashboard or a search.
-- HOSTS and PACKAGES are files with a name a line. done() prints the figures as one block.

local counter = 0

function setup(thread)
	thread:set("id", counter)
	counter = counter + 1
end

local function lines(path)
	local t = {}
	for l in io.lines(path) do
		if l ~= "" then
			t[#t + 1] = l
		end
	end
	assert(#t > 0, path .. ": no names")
	return t
end

-- A path component: everything but unreserved characters percent-encoded.
local function escape(s)
	return (s:gsub("[^A-Za-z0-9._~-]", function(c)
		return string.format("%%%02X", c:byte())
	end))
end

local hosts, packages

function init(args)
	math.randomseed(1000 + id)
	hosts = lines(args[1])
	packages = lines(args[2])
end

-- Cumulative percentages of the pages read.
local lists = {
	{50, nil}, -- below 30: a host, 30 to 49: a package
	{60, "/"},
	{70, "/hosts/"},
	{78, "/packages/"},
	{84, "/source-packages/"},
	{92, "/search?q=lib"},
	{96, "/kernels/"},
	{100, "/images/"},
}

function request()
	local r, path = math.random(100) - 1, nil
	if r < 30 then
		path = "/hosts/" .. escape(hosts[math.random(#hosts)])
	elseif r < 50 then
		path = "/packages/" .. escape(packages[math.random(#packages)])
	else
		for _, l in ipairs(lists) do
			if r < l[1] and l[2] then
				path = l[2]
				break
			end
		end
	end
	local headers = {}
	if math.random(2) == 1 then
		headers["Accept"] = "application/json"
	end
	return wrk.format("GET", path, headers)
end

function done(summary, latency, requests)
	local e = summary.errors
	local s = summary.duration / 1e6
	io.write(string.format("readers: %d requests in %.1f s = %.1f pages/s, %.1f MB\n",
		summary.requests, s, summary.requests / s, summary.bytes / 1e6))
	io.write(string.format("readers: latency p50 %.1f ms, p90 %.1f, p99 %.1f, max %.1f\n",
		latency:percentile(50) / 1e3, latency:percentile(90) / 1e3,
		latency:percentile(99) / 1e3, latency.max / 1e3))
	io.write(string.format("readers: errors: connect %d, read %d, write %d, timeout %d, " ..
		"status >= 400: %d\n", e.connect, e.read, e.write, e.timeout, e.status))
end
