/* it_client.c: the C client against the real instance: full, upgradable, hook, image, failures. */
#include "integration.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/version.h"

struct run {
	int status; /* exit code, -1 if it did not exit */
	char *out;  /* stdout and stderr together */
	double seconds;
};

static const char *
port(void)
{
	return strrchr(it_env("DM_HTTPS_URL"), ':') + 1;
}

void
it_client_command(char *cmd, size_t len, const struct it_tls *tls, const char *config,
                  const char *args)
{
	struct it_tls own = {it_env("DM_CERT"), it_env("DM_KEY")};

	tls = tls ? tls : &own;
	snprintf(cmd, len, "'%s' --config '%s' -s 127.0.0.1 -p %s --ca '%s' -c '%s' -k '%s' %s",
	         it_env("DM_CLIENT"), config ? config : "/nonexistent", port(), it_env("DM_CA"),
	         tls->cert, tls->key, args);
}

/* Runs the client with config, the instance's server options, then args; stdin from input. */
static struct run
client_conf(const struct it_tls *tls, const char *config, const char *args, const char *input)
{
	char cmd[8192], in[] = "/tmp/dm-it-client-XXXXXX", chunk[4096];
	struct timespec a, b;
	struct dm_buf out;
	struct run r;
	FILE *f;
	size_t n;
	int fd;

	ck_assert_int_ge(fd = mkstemp(in), 0);
	ck_assert_int_eq(write(fd, input ? input : "", input ? strlen(input) : 0),
	                 (ssize_t)(input ? strlen(input) : 0));
	close(fd);
	it_client_command(cmd, sizeof(cmd) - 64, tls, config, args);
	snprintf(cmd + strlen(cmd), 64, " <%s 2>&1", in);
	dm_buf_init(&out, 64 * 1024 * 1024);
	clock_gettime(CLOCK_MONOTONIC, &a);
	ck_assert_ptr_nonnull(f = popen(cmd, "r"));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		ck_assert_int_eq(dm_buf_add(&out, chunk, n), 0);
	fd = pclose(f);
	clock_gettime(CLOCK_MONOTONIC, &b);
	unlink(in);
	r.status = WIFEXITED(fd) ? WEXITSTATUS(fd) : -1;
	r.out = out.data ? out.data : strdup("");
	r.seconds = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	return r;
}

/* The same without a configuration file. */
static struct run
client(const struct it_tls *tls, const char *args, const char *input)
{
	return client_conf(tls, "/nonexistent", args, input);
}

static void
run_free(struct run *r)
{
	free(r->out);
	r->out = NULL;
}

/* What the server shows for a host or image, as JSON. */
static json_t *
shown(const char *what, const char *name)
{
	json_t *j = it_get_subject(it_http, what, name);

	ck_assert_msg(j != NULL, "GET /%s/%s: 404", what, name);
	return j;
}

static size_t
upgrades_in(const json_t *pkgs)
{
	size_t i, n = 0;

	for (i = 0; i < json_array_size(pkgs); i++)
		n += !json_is_null(json_object_get(json_array_get(pkgs, i), "upgradable_version"));
	return n;
}

/* -n prints what a full report would say; sending it, the server records exactly that. */
START_TEST(test_full_report_recorded)
{
	struct run dry = client(NULL, "-n", NULL), sent;
	json_t *mine = json_loads(dry.out, 0, NULL), *host;
	const char *name;

	ck_assert_msg(dry.status == 0 && mine != NULL, "-n: %d %s", dry.status, dry.out);
	name = json_string_value(json_object_get(mine, "hostname"));
	ck_assert_str_eq(json_string_value(json_object_get(mine, "update_type")), "full");
	ck_assert_ptr_nonnull(json_object_get(mine, "running_kernel"));
	sent = client(NULL, "", NULL);
	ck_assert_msg(sent.status == 0, "send: %d %s", sent.status, sent.out);
	run_free(&sent);
	host = shown("hosts", name);
	ck_assert_uint_eq(json_array_size(json_object_get(host, "packages")),
	                  json_array_size(json_object_get(mine, "installed")));
	ck_assert_uint_eq(upgrades_in(json_object_get(host, "packages")),
	                  json_array_size(json_object_get(mine, "upgradable")));
	sent = client(NULL, "-u", NULL);
	ck_assert_msg(sent.status == 0, "-u: %d %s", sent.status, sent.out);
	run_free(&sent);
	run_free(&dry);
	json_decref(host);
	json_decref(mine);
}
END_TEST

static const json_t *
find(const json_t *pkgs, const char *name)
{
	size_t i;

	for (i = 0; i < json_array_size(pkgs); i++)
		if (strcmp(it_str(json_array_get(pkgs, i), "name"), name) == 0)
			return json_array_get(pkgs, i);
	return NULL;
}

/* What a command prints, its first line only. */
static void
first_line(const char *cmd, char *out, size_t len)
{
	FILE *f = popen(cmd, "r");

	ck_assert_ptr_nonnull(f);
	if (fgets(out, (int)len, f) == NULL)
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	pclose(f);
}

/* dpkg's source version of every package, by its name as APT shows it (the client too). */
static json_t *
dpkg_source_versions(void)
{
	json_t *m = json_object();
	char native[64], line[2048], *arch, *version;
	FILE *f;

	first_line("dpkg --print-architecture", native, sizeof(native));
	f = popen("dpkg-query -W -f '${Package}\\t${Architecture}\\t${source:Version}\\n'", "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if ((arch = strchr(line, '\t')) == NULL ||
		    (version = strchr(arch + 1, '\t')) == NULL)
			continue;
		*arch++ = '\0';
		*version++ = '\0';
		if (strcmp(arch, native) != 0 && strcmp(arch, "all") != 0)
			arch[-1] = ':';
		json_object_set_new(m, line, json_string(version));
	}
	ck_assert_int_eq(pclose(f), 0);
	return m;
}

/*
 * Each installed entry's source version as the server takes it (source_version, else
 * the version without a binNMU suffix) is the one dpkg-query gives (${source:Version}).
 */
START_TEST(test_source_versions_match_dpkg)
{
	struct run dry = client(NULL, "-n", NULL);
	json_t *mine = json_loads(dry.out, 0, NULL), *dpkg = dpkg_source_versions();
	const json_t *e, *want;
	const char *name, *v;
	char sv[1024];
	size_t i;

	ck_assert_msg(dry.status == 0 && mine != NULL, "-n: %d %s", dry.status, dry.out);
	json_array_foreach (json_object_get(mine, "installed"), i, e) {
		name = it_str(e, "name");
		v = it_str(e, "version");
		ck_assert_msg((want = json_object_get(dpkg, name)) != NULL,
		              "%s: not in dpkg-query's list", name);
		if (json_object_get(e, "source_version") != NULL)
			snprintf(sv, sizeof(sv), "%s", it_str(e, "source_version"));
		else
			snprintf(sv, sizeof(sv), "%.*s", (int)dm_version_source_len(v), v);
		ck_assert_msg(strcmp(sv, json_string_value(want)) == 0,
		              "%s %s: source version %s, dpkg %s", name, v, sv,
		              json_string_value(want));
	}
	json_decref(dpkg);
	json_decref(mine);
	run_free(&dry);
}
END_TEST

/* The dpkg hook's stdin (protocol 3) becomes a dpkg_hook report: installs, then a removal. */
START_TEST(test_dpkg_hook)
{
	struct run dry = client(NULL, "-n", NULL), r;
	json_t *mine = json_loads(dry.out, 0, NULL), *host;
	const char *name = json_string_value(json_object_get(mine, "hostname"));
	const json_t *p;

	r = client(NULL, "-g",
	           "VERSION 3\nAPT::Architecture=amd64\n\n"
	           "dm-it-fake - - none < 1.2-3 all none /tmp/dm-it-fake.deb\n");
	ck_assert_msg(r.status == 0, "-g: %d %s", r.status, r.out);
	run_free(&r);
	host = shown("hosts", name);
	ck_assert_ptr_nonnull(p = find(json_object_get(host, "packages"), "dm-it-fake"));
	ck_assert_str_eq(it_str(p, "version"), "1.2-3");
	ck_assert_str_eq(it_str(p, "source"), "dm-it-fake");
	json_decref(host);
	r = client(NULL, "-g", "VERSION 3\n\ndm-it-fake 1.2-3 all none > - - none **REMOVE**\n");
	ck_assert_msg(r.status == 0, "-g remove: %d %s", r.status, r.out);
	run_free(&r);
	host = shown("hosts", name);
	ck_assert_ptr_null(find(json_object_get(host, "packages"), "dm-it-fake"));
	json_decref(host);
	json_decref(mine);
	run_free(&dry);
}
END_TEST

/* Garbage on the hook's stdin is an error (EX_DATAERR), never a report. */
START_TEST(test_dpkg_hook_garbage)
{
	struct run r = client(NULL, "-g", "this is not\nwhat dpkg sends\n");

	ck_assert_int_eq(r.status, 65);
	ck_assert_msg(strstr(r.out, "expected VERSION 2 or VERSION 3") != NULL, "%s", r.out);
	run_free(&r);
}
END_TEST

/* A certificate for another host: the server's 403 and its reason reach the user. */
START_TEST(test_wrong_certificate)
{
	struct it_tls other = it_cert("other-client.example.org");
	struct run r = client(&other, "--retries 0", NULL);

	ck_assert_int_eq(r.status, 69);
	ck_assert_msg(strstr(r.out, "HTTP 403") && strstr(r.out, "other-client.example.org"), "%s",
	              r.out);
	run_free(&r);
}
END_TEST

/* A small hook report: what the network tests send, so that only the network is timed. */
#define HOOK_ONE "VERSION 3\n\ndm-it-net - - none < 1.0 all none /tmp/dm-it-net.deb\n"

/* Nothing listens: the client fails at once and says where. */
START_TEST(test_dead_port)
{
	char args[64];
	struct run r;

	snprintf(args, sizeof(args), "--retries 0 -p 1 -g");
	r = client(NULL, args, HOOK_ONE);
	ck_assert_int_eq(r.status, 69);
	ck_assert_msg(strstr(r.out, "127.0.0.1:1") != NULL, "%s", r.out);
	ck_assert_msg(r.seconds < 5, "took %.1f s", r.seconds);
	run_free(&r);
}
END_TEST

/* A server that accepts and never answers costs at most the bound (30 s with the defaults). */
START_TEST(test_hung_server)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(sa);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	char args[64];
	struct run r;

	ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(s, 16), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&sa, &len), 0);
	snprintf(args, sizeof(args), "-g -p %d", ntohs(sa.sin_port));
	r = client(NULL, args, HOOK_ONE);
	close(s);
	ck_assert_int_eq(r.status, 69);
	ck_assert_msg(r.seconds < 30, "took %.1f s", r.seconds);
	run_free(&r);
}
END_TEST

/* The report -n printed (APT may say something on stderr before it); frees r. */
static json_t *
report_of(struct run *r)
{
	const char *start = strchr(r->out, '{');
	json_t *j = start ? json_loads(start, JSON_DISABLE_EOF_CHECK, NULL) : NULL;

	ck_assert_msg(r->status == 0 && j != NULL, "-n: %d %s", r->status, r->out);
	run_free(r);
	return j;
}

/* A configuration file with text: its path in path ("/tmp/dm-it-conf-XXXXXX"). */
static void
write_conf(char *path, const char *text)
{
	int fd;

	ck_assert_int_ge(fd = mkstemp(path), 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

/* --hostname, else the file's hostname =, names the host in the report. */
START_TEST(test_hostname_override)
{
	char conf[] = "/tmp/dm-it-conf-XXXXXX";
	struct run r;
	json_t *j;

	write_conf(conf, "[DEFAULT]\nhostname = conf-name.example.org\n");
	r = client(NULL, "-n -g --hostname flag-name.example.org", HOOK_ONE);
	j = report_of(&r);
	ck_assert_str_eq(it_str(j, "hostname"), "flag-name.example.org");
	json_decref(j);
	r = client_conf(NULL, conf, "-n -g", HOOK_ONE);
	j = report_of(&r);
	ck_assert_str_eq(it_str(j, "hostname"), "conf-name.example.org");
	json_decref(j);
	r = client_conf(NULL, conf, "-n -g --hostname=flag-name.example.org", HOOK_ONE);
	j = report_of(&r);
	ck_assert_str_eq(it_str(j, "hostname"), "flag-name.example.org");
	json_decref(j);
	unlink(conf);
}
END_TEST

/* Runs the client with args (and config) and expects status and a message containing text. */
static void
refused(const char *config, const char *args, int status, const char *text)
{
	struct run r = client_conf(NULL, config, args, HOOK_ONE);

	ck_assert_msg(r.status == status && strstr(r.out, text) != NULL, "%s: %d %s", args,
	              r.status, r.out);
	run_free(&r);
}

/* A bad name is a usage error (64) or a configuration error (78); images keep their name. */
START_TEST(test_hostname_invalid)
{
	char conf[] = "/tmp/dm-it-conf-XXXXXX";

	refused("/nonexistent", "-n -g --hostname ''", 64, "--hostname: empty");
	refused("/nonexistent", "-n -g --hostname 'two words'", 64,
	        "--hostname: contains whitespace");
	refused("/nonexistent", "-n -i it/image:1 --hostname h.example.org", 64, "-i/--image-name");
	write_conf(conf, "[DEFAULT]\nhostname =\n");
	refused(conf, "-n -g", 78, "hostname: empty");
	unlink(conf);
}
END_TEST

/* A proxy certificate reports for the name --hostname gives: the server files it there. */
START_TEST(test_hostname_report)
{
	const char *name = "dm-it-renamed.example.org";
	struct it_tls proxy = it_cert("proxy-hosts.example.org");
	struct run r;
	json_t *host;
	const json_t *p;

	it_forget("hosts", name);
	r = client(&proxy, "-g --hostname dm-it-renamed.example.org", HOOK_ONE);
	ck_assert_msg(r.status == 0, "--hostname: %d %s", r.status, r.out);
	run_free(&r);
	host = shown("hosts", name);
	ck_assert_ptr_nonnull(p = find(json_object_get(host, "packages"), "dm-it-net"));
	ck_assert_str_eq(it_str(p, "version"), "1.0");
	json_decref(host);
	it_forget("hosts", name);
}
END_TEST

/* -i reports this system as an image; -f sends a report saved with -n. */
START_TEST(test_image_mode)
{
	const char *image = "registry.example.org/it/client:1.0-1";
	struct run dry, r;
	char args[512], path[] = "/tmp/dm-it-image-XXXXXX";
	json_t *mine, *shown_image;
	FILE *f;
	int fd;

	snprintf(args, sizeof(args), "-n -i '%s'", image);
	dry = client(NULL, args, NULL);
	ck_assert_ptr_nonnull(mine = json_loads(dry.out, 0, NULL));
	ck_assert_str_eq(it_str(mine, "image_name"), image);
	ck_assert_ptr_null(json_object_get(mine, "running_kernel"));
	ck_assert_ptr_null(json_object_get(mine, "hostname"));
	ck_assert_int_ge(fd = mkstemp(path), 0);
	ck_assert_ptr_nonnull(f = fdopen(fd, "w"));
	fputs(dry.out, f);
	fclose(f);
	snprintf(args, sizeof(args), "-f %s", path);
	r = client(NULL, args, NULL);
	unlink(path);
	ck_assert_msg(r.status == 0, "-f: %d %s", r.status, r.out);
	run_free(&r);
	run_free(&dry);
	shown_image = shown("images", image);
	ck_assert_uint_eq(json_array_size(json_object_get(shown_image, "packages")),
	                  json_array_size(json_object_get(mine, "installed")));
	json_decref(shown_image);
	json_decref(mine);
}
END_TEST

Suite *
make_it_client_suite(void)
{
	Suite *s = suite_create("integration: client");
	TCase *tc = tcase_create("client");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_full_report_recorded);
	tcase_add_test(tc, test_source_versions_match_dpkg);
	tcase_add_test(tc, test_dpkg_hook);
	tcase_add_test(tc, test_dpkg_hook_garbage);
	tcase_add_test(tc, test_wrong_certificate);
	tcase_add_test(tc, test_dead_port);
	tcase_add_test(tc, test_hung_server);
	tcase_add_test(tc, test_image_mode);
	tcase_add_test(tc, test_hostname_override);
	tcase_add_test(tc, test_hostname_invalid);
	tcase_add_test(tc, test_hostname_report);
	suite_add_tcase(s, tc);
	return s;
}
