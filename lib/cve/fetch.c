/* fetch.c: one download with libcurl into a temporary file, then into memory. */
#include "cve/fetch.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0"
#endif

/* Where the body goes as it comes. */
struct sink {
	int fd;
	size_t written;
	int too_big;
	int error; /* errno of a failed write */
};

static size_t
sink_write(char *p, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	size_t len = size * n, done = 0;
	ssize_t w;

	if (len > DM_TRACKER_MAX_BYTES - s->written) {
		s->too_big = 1;
		return 0;
	}
	while (done < len) {
		if ((w = write(s->fd, p + done, len - done)) == -1) {
			if (errno == EINTR)
				continue;
			s->error = errno;
			return 0;
		}
		done += (size_t)w;
	}
	s->written += len;
	return len;
}

/* The value of header line p (len bytes) into out when it is name's and fits, printable. */
static void
keep_header(const char *p, size_t len, const char *name, char *out, size_t outlen)
{
	size_t n = strlen(name), i;

	if (len <= n || strncasecmp(p, name, n) != 0)
		return;
	for (p += n, len -= n; len > 0 && (*p == ' ' || *p == '\t'); p++, len--)
		;
	while (len > 0 && (p[len - 1] == '\r' || p[len - 1] == '\n' || p[len - 1] == ' ' ||
	                   p[len - 1] == '\t'))
		len--;
	for (i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] >= 0x7f)
			return;
	if (len == 0 || len >= outlen)
		return;
	memcpy(out, p, len);
	out[len] = '\0';
}

/* The validators of the last answer: a redirect's are forgotten at the next status line. */
static size_t
header_line(char *p, size_t size, size_t n, void *arg)
{
	struct dm_fetch *f = arg;
	size_t len = size * n;

	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		f->etag_out[0] = f->last_modified_out[0] = '\0';
		return len;
	}
	keep_header(p, len, "ETag:", f->etag_out, sizeof(f->etag_out));
	keep_header(p, len, "Last-Modified:", f->last_modified_out, sizeof(f->last_modified_out));
	return len;
}

/* If-None-Match and If-Modified-Since from the last download, when there was one. */
static struct curl_slist *
conditions(const struct dm_fetch *f)
{
	struct curl_slist *h = NULL, *next;
	char line[DM_CVE_ETAG_MAX + 32];

	if (f->etag != NULL && f->etag[0] != '\0') {
		snprintf(line, sizeof(line), "If-None-Match: %s", f->etag);
		if ((next = curl_slist_append(h, line)) != NULL)
			h = next;
	}
	if (f->last_modified != NULL && f->last_modified[0] != '\0') {
		snprintf(line, sizeof(line), "If-Modified-Since: %s", f->last_modified);
		if ((next = curl_slist_append(h, line)) != NULL)
			h = next;
	}
	return h;
}

/*
 * The schemes the URL may have, and a redirect may lead to: from https, https only, so
 * that a redirect cannot take the data off TLS. CURLOPT_PROTOCOLS_STR came with libcurl
 * 7.85 and deprecated CURLOPT_PROTOCOLS (client/send.c does the same).
 */
static void
protocols(CURL *c, const char *url)
{
	int tls = strncmp(url, "https://", 8) == 0;

#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http,file");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, tls ? "https" : "https,http");
#else
	curl_easy_setopt(c, CURLOPT_PROTOCOLS,
	                 (long)(CURLPROTO_HTTPS | CURLPROTO_HTTP | CURLPROTO_FILE));
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS,
	                 (long)(tls ? CURLPROTO_HTTPS : CURLPROTO_HTTPS | CURLPROTO_HTTP));
#endif
}

static void
options(CURL *c, struct dm_fetch *f, struct sink *s, struct curl_slist *h, char *errbuf)
{
	long timeout = f->timeout > 0 ? f->timeout : 300;

	curl_easy_setopt(c, CURLOPT_URL, f->url);
	protocols(c, f->url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header_line);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, f);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, (long)DM_FETCH_MAX_REDIRECTS);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT,
	                 timeout < DM_FETCH_CONNECT_TIMEOUT ? timeout : DM_FETCH_CONNECT_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, (long)DM_FETCH_LOW_SPEED);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME,
	                 timeout < DM_FETCH_LOW_SPEED_TIME ? timeout : DM_FETCH_LOW_SPEED_TIME);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)DM_TRACKER_MAX_BYTES);
	/* The JSON compresses tenfold; libcurl asks for what it can decode. */
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_USERAGENT, "debmonitor-cve/" PACKAGE_VERSION);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
}

/* Why the transfer failed, in err; f->transient when trying later may do. */
static int
failure(struct dm_fetch *f, CURLcode rc, const struct sink *s, const char *errbuf, char *err,
        size_t errlen)
{
	if (rc == CURLE_HTTP_RETURNED_ERROR) {
		f->transient = f->status >= 500;
		snprintf(err, errlen, "%s: HTTP %ld", f->url, f->status);
	} else if (s->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
		snprintf(err, errlen, "%s: larger than %d bytes", f->url, DM_TRACKER_MAX_BYTES);
	} else if (s->error != 0) {
		snprintf(err, errlen, "%s: writing the temporary file: %s", f->url,
		         strerror(s->error));
	} else {
		f->transient = rc == CURLE_OPERATION_TIMEDOUT;
		snprintf(err, errlen, "%s: %s", f->url,
		         errbuf[0] ? errbuf : curl_easy_strerror(rc));
	}
	return -1;
}

/* The temporary file's contents into body. */
static int
slurp(int fd, const char *url, struct dm_buf *body, char *err, size_t errlen)
{
	struct stat st;
	size_t done = 0;
	ssize_t r;
	char *p;

	if (lseek(fd, 0, SEEK_SET) == -1 || fstat(fd, &st) == -1)
		return snprintf(err, errlen, "%s: the temporary file: %s", url, strerror(errno)),
		       -1;
	if ((p = dm_buf_space(body, (size_t)st.st_size)) == NULL)
		return snprintf(err, errlen, "%s: out of memory", url), -1;
	while (done < (size_t)st.st_size) {
		if ((r = read(fd, p + done, (size_t)st.st_size - done)) <= 0) {
			if (r == -1 && errno == EINTR)
				continue;
			return snprintf(err, errlen, "%s: reading the temporary file: %s", url,
			                r == 0 ? "cut short" : strerror(errno)),
			       -1;
		}
		done += (size_t)r;
	}
	dm_buf_used(body, done);
	return 0;
}

/* A temporary file, already unlinked: it goes when its descriptor is closed. */
static int
temp_file(const char *url, char *err, size_t errlen)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/debmonitor-cve.XXXXXX", dir && dir[0] ? dir : "/tmp");
	if ((fd = mkstemp(path)) == -1)
		snprintf(err, errlen, "%s: cannot create a temporary file %s: %s", url, path,
		         strerror(errno));
	else
		unlink(path);
	return fd;
}

int
dm_fetch(struct dm_fetch *f, struct dm_buf *body, char *err, size_t errlen)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	struct sink s = {.fd = -1};
	struct curl_slist *h = NULL;
	CURL *c = NULL;
	CURLcode rc;
	int ret = -1;

	f->status = 0;
	f->not_modified = f->transient = 0;
	f->etag_out[0] = f->last_modified_out[0] = '\0';
	if ((s.fd = temp_file(f->url, err, errlen)) == -1)
		return -1;
	if ((c = curl_easy_init()) == NULL) {
		snprintf(err, errlen, "%s: cannot start libcurl", f->url);
		goto out;
	}
	h = conditions(f);
	options(c, f, &s, h, errbuf);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &f->status);
	if (rc != CURLE_OK)
		ret = failure(f, rc, &s, errbuf, err, errlen);
	else if (f->status == 304)
		ret = (f->not_modified = 1, 0);
	else
		ret = slurp(s.fd, f->url, body, err, errlen);
out:
	curl_slist_free_all(h);
	if (c != NULL)
		curl_easy_cleanup(c);
	close(s.fd);
	return ret;
}
