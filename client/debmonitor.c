/* debmonitor.c: reports this host's (or an image's) Debian packages to DebMonitor servers. */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sysexits.h>

#include <curl/curl.h>
#include <jansson.h>

#include "apt.h"
#include "hostname.h"
#include "ini.h"
#include "pkgs.h"
#include "send.h"

#define DM_CLIENT_VERSION "0.1.0"
#define MAX_SERVERS 16
#define DPKG_STATUS "/var/lib/dpkg/status"

struct opts {
	const char *servers[MAX_SERVERS];
	size_t n_servers;
	long port;
	const char *api;
	const char *config;
	const char *image_name;
	const char *image_file;
	const char *cli_hostname;  /* --hostname */
	const char *conf_hostname; /* hostname = in the configuration file */
	char hostname[HOSTNAME_MAX + 1];
	int upgradable, hook, dry_run;
	int apt_seconds; /* APT_TIMEOUT, or less for the tests */
	struct send_opts send;
};

static void
usage(FILE *f)
{
	fputs("usage: debmonitor [-dgnu] [-s server]... [-p port] [-c cert] [-k key] [--ca file]\n"
	      "                  [-a api] [--hostname name | -i image-name | -f image-file]\n"
	      "                  [--retries n] [--retry-backoff seconds] [--config file]\n"
	      "       debmonitor --version | -h\n\n"
	      "Report the Debian packages installed and upgradable on this host (or, with -i,\n"
	      "in this image) to each DebMonitor server, over HTTPS with a client certificate.\n\n"
	      "  -s, --server NAME      server to report to (repeat for several)\n"
	      "  -p, --port N           server port [443]\n"
	      "  -c, --cert FILE        client certificate; -k, --key FILE its key\n"
	      "      --ca FILE          CA bundle to verify the server [system store]\n"
	      "  -a, --api VERSION      API version [v1]\n"
	      "  -u, --upgradable       report only upgradable packages (APT Update::Post-Invoke)\n"
	      "  -g, --dpkg-hook        report the changes dpkg is about to make, read from the\n"
	      "                         Dpkg::Pre-Install-Pkgs hook on stdin (protocol 2 or 3)\n"
	      "      --hostname NAME    report this host as NAME, not as its FQDN (hostname -f)\n"
	      "  -i, --image-name NAME  report this system as container image NAME (no hostname)\n"
	      "  -f, --image-file FILE  send the image report saved earlier with -i NAME -n\n"
	      "  -n, --dry-run          print the report as JSON, send nothing\n"
	      "      --retries N        retries per server after a failure [2]\n"
	      "      --retry-backoff S  seconds before the first retry, doubled each time [1]\n"
	      "  -d, --debug            say what is done on stderr\n"
	      "      --config FILE      configuration file [/etc/debmonitor.conf]\n",
	      f);
}

enum { OPT_CA = 256, OPT_HOSTNAME, OPT_RETRIES, OPT_BACKOFF, OPT_CONFIG, OPT_VERSION };

static const struct option longopts[] = {
    {"server", required_argument, NULL, 's'},
    {"port", required_argument, NULL, 'p'},
    {"cert", required_argument, NULL, 'c'},
    {"key", required_argument, NULL, 'k'},
    {"ca", required_argument, NULL, OPT_CA},
    {"api", required_argument, NULL, 'a'},
    {"upgradable", no_argument, NULL, 'u'},
    {"dpkg-hook", no_argument, NULL, 'g'},
    {"hostname", required_argument, NULL, OPT_HOSTNAME},
    {"image-name", required_argument, NULL, 'i'},
    {"image-file", required_argument, NULL, 'f'},
    {"dry-run", no_argument, NULL, 'n'},
    {"retries", required_argument, NULL, OPT_RETRIES},
    {"retry-backoff", required_argument, NULL, OPT_BACKOFF},
    {"debug", no_argument, NULL, 'd'},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"version", no_argument, NULL, OPT_VERSION},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static long
number(const char *what, const char *s, long min, long max)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < min || v > max)
		errx(EX_USAGE, "invalid %s '%s' (from %ld to %ld)", what, s, min, max);
	return v;
}

/* The config file gives defaults; the command line, parsed afterwards, wins. */
static void
read_config(struct opts *o, struct ini *ini)
{
	char err[512];
	const char *v;

	if (ini_read(ini, o->config, err, sizeof(err)) == -1)
		errx(EX_CONFIG, "%s", err);
	if ((v = ini_get(ini, "server")) != NULL && *v)
		o->servers[o->n_servers++] = v;
	if ((v = ini_get(ini, "port")) != NULL)
		o->port = number("port", v, 1, 65535);
	if ((v = ini_get(ini, "cert")) != NULL)
		o->send.cert = v;
	if ((v = ini_get(ini, "key")) != NULL)
		o->send.key = v;
	if ((v = ini_get(ini, "ca")) != NULL)
		o->send.ca = v;
	if ((v = ini_get(ini, "api")) != NULL)
		o->api = v;
	o->conf_hostname = ini_get(ini, "hostname");
}

/* The config file's name must be known before the other options are applied. */
static const char *
config_path(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			return argv[i + 1];
		if (strncmp(argv[i], "--config=", 9) == 0)
			return argv[i] + 9;
	}
	return "/etc/debmonitor.conf";
}

static void
option(struct opts *o, int ch, int *cli_servers)
{
	switch (ch) {
	case 's':
		if (!*cli_servers)
			o->n_servers = 0; /* -s replaces the config file's server */
		*cli_servers = 1;
		if (o->n_servers == MAX_SERVERS)
			errx(EX_USAGE, "at most %d servers", MAX_SERVERS);
		o->servers[o->n_servers++] = optarg;
		break;
	case 'p':
		o->port = number("port", optarg, 1, 65535);
		break;
	case 'c':
		o->send.cert = optarg;
		break;
	case 'k':
		o->send.key = optarg;
		break;
	case OPT_CA:
		o->send.ca = optarg;
		break;
	case 'a':
		o->api = optarg;
		break;
	case 'u':
		o->upgradable = 1;
		break;
	case 'g':
		o->hook = 1;
		break;
	case OPT_HOSTNAME:
		o->cli_hostname = optarg;
		break;
	case 'i':
		o->image_name = optarg;
		break;
	case 'f':
		o->image_file = optarg;
		break;
	case 'n':
		o->dry_run = 1;
		break;
	case 'd':
		o->send.debug = 1;
		break;
	case OPT_RETRIES:
		o->send.retries = (int)number("retries", optarg, 0, 10);
		break;
	case OPT_BACKOFF:
		o->send.backoff = (unsigned)number("retry backoff", optarg, 0, 60);
		break;
	case OPT_CONFIG:
		break;
	case OPT_VERSION:
		printf("debmonitor %s\n", DM_CLIENT_VERSION);
		exit(EX_OK);
	case 'h':
		usage(stdout);
		exit(EX_OK);
	default:
		usage(stderr);
		exit(EX_USAGE);
	}
}

/* A host's report names it (an image's report names the image, whatever the file says). */
static void
pick_hostname(struct opts *o)
{
	char err[512];
	int rc;

	if (o->cli_hostname && (o->image_name || o->image_file))
		errx(EX_USAGE, "--hostname names a host's report; -i/--image-name and "
		               "-f/--image-file report an image, under its own name");
	if (o->image_name || o->image_file)
		return;
	rc = hostname_pick(o->hostname, sizeof(o->hostname), o->cli_hostname, o->conf_hostname,
	                   o->config, err, sizeof(err));
	if (rc != EX_OK)
		errx(rc, "%s", err);
}

static void
parse_args(struct opts *o, struct ini *ini, int argc, char **argv)
{
	int ch, cli_servers = 0;
	const char *v;

	*o = (struct opts){.port = 443,
	                   .api = "v1",
	                   .apt_seconds = APT_TIMEOUT,
	                   .config = config_path(argc, argv),
	                   .send = {.retries = SEND_RETRIES, .backoff = SEND_BACKOFF}};
	read_config(o, ini);
	while ((ch = getopt_long(argc, argv, "s:p:c:k:a:ugi:f:ndh", longopts, NULL)) != -1)
		option(o, ch, &cli_servers);
	if (optind < argc)
		errx(EX_USAGE, "unexpected argument '%s'", argv[optind]);
	if (strcmp(o->api, "v1") != 0)
		errx(EX_USAGE, "unsupported API version '%s' (v1 only)", o->api);
	if (o->upgradable && o->hook)
		errx(EX_USAGE, "-u/--upgradable and -g/--dpkg-hook are mutually exclusive");
	if (o->image_file && (o->hook || o->upgradable || o->dry_run || o->image_name))
		errx(EX_USAGE, "-f/--image-file sends a saved report: no -g, -u, -n or -i with it");
	if (o->send.key && !o->send.cert)
		errx(EX_USAGE, "-k/--key needs -c/--cert");
	if (!o->dry_run && o->n_servers == 0)
		errx(EX_USAGE, "no server: give -s/--server or set server in %s", o->config);
	pick_hostname(o);
	/* For the test suite only (debmonitor(1), ENVIRONMENT): a hung APT in seconds. */
	if ((v = getenv("DEBMONITOR_TEST_APT_TIMEOUT")) != NULL)
		o->apt_seconds = (int)number("DEBMONITOR_TEST_APT_TIMEOUT", v, 1, APT_TIMEOUT);
}

/* "Debian 12", "Ubuntu 24.04": ID (capitalised) and VERSION_ID from os-release. */
static void
os_name(char *out, size_t len)
{
	char line[256], id[64] = "", version[64] = "", *v;
	FILE *f = fopen("/etc/os-release", "r");

	if (f == NULL)
		f = fopen("/usr/lib/os-release", "r");
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		v = strchr(line, '=');
		if (v == NULL)
			continue;
		*v++ = '\0';
		if (*v == '"') {
			v++;
			v[strcspn(v, "\"")] = '\0';
		}
		if (strcmp(line, "ID") == 0)
			snprintf(id, sizeof(id), "%s", v);
		else if (strcmp(line, "VERSION_ID") == 0)
			snprintf(version, sizeof(version), "%s", v);
	}
	if (f != NULL)
		fclose(f);
	if (id[0] >= 'a' && id[0] <= 'z')
		id[0] = (char)(id[0] - 'a' + 'A');
	snprintf(out, len, "%s%s%s", id[0] ? id : "Unknown", version[0] ? " " : "", version);
}

/* dpkg's architecture; amd64 when dpkg cannot say, but a dpkg that hangs is an error. */
static void
native_arch(char *out, size_t len, const struct apt_budget *b)
{
	char *const argv[] = {"dpkg", "--print-architecture", NULL};
	char err[256], *text;

	snprintf(out, len, "amd64");
	switch (apt_run(argv, b, 0, &text, err, sizeof(err))) {
	case APT_OK:
		text[strcspn(text, "\n")] = '\0';
		snprintf(out, len, "%s", text);
		free(text);
		break;
	case APT_FAILED:
		break;
	case APT_TIMED_OUT:
		errx(EX_OSERR, "%s", err);
	}
}

/* Entries as API v1 has them, with source_version, our extension, where it is known. */
static json_t *
pkg_list(const struct pkg *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		if (json_array_append_new(a,
		                          json_pack("{s:s, s:s, s:s, s:s*}", "name", v[i].name,
		                                    "version", v[i].version, "source", v[i].source,
		                                    "source_version", v[i].source_version)) == -1)
			errx(EX_SOFTWARE, "cannot encode package %s", v[i].name);
	return a;
}

static json_t *
upg_list(const struct pkgs *p)
{
	json_t *a = json_array();
	const struct upg *u;
	size_t i;

	for (i = 0; i < p->n_upgradable; i++) {
		u = &p->upgradable[i];
		if (json_array_append_new(
		        a, json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", u->name, "version_from",
		                     u->version_from, "version_to", u->version_to, "source",
		                     u->source, "type", u->security ? "security" : "")) == -1)
			errx(EX_SOFTWARE, "cannot encode package %s", u->name);
	}
	return a;
}

static json_t *
payload(const struct opts *o, const struct pkgs *p)
{
	char os[128];
	struct utsname un;
	json_t *j;

	os_name(os, sizeof(os));
	j = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "api_version", o->api, "update_type",
	              o->hook         ? "dpkg_hook"
	              : o->upgradable ? "upgradable"
	                              : "full",
	              "os", os, "installed", pkg_list(p->installed, p->n_installed), "uninstalled",
	              pkg_list(p->uninstalled, p->n_uninstalled), "upgradable", upg_list(p));
	if (o->image_name != NULL) {
		json_object_set_new(j, "image_name", json_string(o->image_name));
		return j;
	}
	uname(&un);
	json_object_set_new(j, "hostname", json_string(o->hostname));
	json_object_set_new(j, "running_kernel",
	                    json_pack("{s:s, s:s}", "release", un.release, "version", un.version));
	return j;
}

static char *
read_all(FILE *f)
{
	char *text = NULL;
	size_t len = 0;

	if (getdelim(&text, &len, '\0', f) < 0) {
		free(text);
		return strdup("");
	}
	return text;
}

/*
 * What the report says: the hook's changes, or dpkg's and APT's view of the system. The
 * commands it runs share one budget (APT_TIMEOUT seconds), so that a hung APT holds a
 * hook (and dpkg behind it) no longer.
 */
static void
collect(const struct opts *o, struct pkgs *p)
{
	char arch[64], err[512], *text;
	struct apt_budget b;

	apt_budget_start(&b, o->apt_seconds);
	native_arch(arch, sizeof(arch), &b);
	if (o->hook) {
		text = read_all(stdin);
		if (dpkg_parse_hook(p, text, arch, err, sizeof(err)) == -1)
			errx(EX_DATAERR, "%s", err);
		free(text);
		if (apt_fill_sources(p, &b, err, sizeof(err)) == -1)
			errx(EX_OSERR, "%s", err);
		return;
	}
	if (!o->upgradable && dpkg_installed(p, DPKG_STATUS, arch, err, sizeof(err)) == -1)
		errx(EX_OSERR, "%s", err);
	if (apt_upgradable(p, &b, err, sizeof(err)) == -1)
		errx(EX_OSERR, "%s", err);
}

static json_t *
load_file(const char *path)
{
	json_error_t jerr;
	json_t *j = json_load_file(path, 0, &jerr);

	if (j == NULL)
		errx(EX_DATAERR, "%s:%d: %s", path, jerr.line, jerr.text);
	if (!json_is_string(json_object_get(j, "image_name")))
		errx(EX_DATAERR, "%s: no image_name: make it with -i NAME -n", path);
	return j;
}

/* https://SERVER:PORT/hosts/NAME/update or /images/NAME/update (an image name keeps its '/'). */
static void
url_for(char *url, size_t len, const char *server, long port, json_t *j)
{
	const char *image = json_string_value(json_object_get(j, "image_name"));
	const char *host = json_string_value(json_object_get(j, "hostname"));
	CURL *c = curl_easy_init();
	char *name = curl_easy_escape(c, image ? image : host, 0);
	char *p;

	/* curl escapes '/' and ':'; the server routes image references with them as they are. */
	while (image && (p = strstr(name, "%2F")) != NULL)
		*p = '/', memmove(p + 1, p + 3, strlen(p + 3) + 1);
	while (image && (p = strstr(name, "%3A")) != NULL)
		*p = ':', memmove(p + 1, p + 3, strlen(p + 3) + 1);
	snprintf(url, len, "https://%s:%ld/%s/%s/update", server, port, image ? "images" : "hosts",
	         name);
	curl_free(name);
	curl_easy_cleanup(c);
}

/* Each server gets the report; one failing does not spare the others. */
static int
send_all(const struct opts *o, json_t *j)
{
	char *body = json_dumps(j, JSON_COMPACT), url[2048], err[1024];
	int failed = 0;
	size_t i;

	if (body == NULL)
		errx(EX_SOFTWARE, "out of memory");
	for (i = 0; i < o->n_servers; i++) {
		url_for(url, sizeof(url), o->servers[i], o->port, j);
		if (o->send.debug)
			fprintf(stderr, "debmonitor: POST %s (%zu bytes)\n", url, strlen(body));
		if (send_report(&o->send, url, body, err, sizeof(err)) == -1) {
			warnx("%s", err);
			failed = 1;
		}
	}
	free(body);
	return failed ? EX_UNAVAILABLE : EX_OK;
}

int
main(int argc, char **argv)
{
	struct pkgs p = {0};
	struct ini ini;
	struct opts o;
	json_t *j;
	int rc = EX_OK;

	parse_args(&o, &ini, argc, argv);
	if (o.image_file != NULL) {
		j = load_file(o.image_file);
	} else {
		collect(&o, &p);
		j = payload(&o, &p);
	}
	if (o.send.debug)
		fprintf(stderr, "debmonitor: %zu installed, %zu uninstalled, %zu upgradable\n",
		        p.n_installed, p.n_uninstalled, p.n_upgradable);
	if (o.dry_run) {
		json_dumpf(j, stdout, JSON_INDENT(4) | JSON_SORT_KEYS);
		putchar('\n');
	} else if (o.hook && p.n_installed + p.n_uninstalled == 0) {
		rc = EX_OK; /* dpkg only configures: nothing to report */
	} else {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		rc = send_all(&o, j);
		curl_global_cleanup();
	}
	json_decref(j);
	pkgs_free(&p);
	ini_free(&ini);
	return rc;
}
