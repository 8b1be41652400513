/* ini.c: a small INI reader, as Python's ConfigParser reads upstream's client config. */
#include "ini.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *
trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static int
set(struct ini *ini, const char *key, const char *value)
{
	size_t i;
	char *v;

	if ((v = strdup(value)) == NULL)
		return -1;
	for (i = 0; i < ini->n; i++)
		if (strcmp(ini->keys[i], key) == 0) {
			free(ini->values[i]);
			ini->values[i] = v;
			return 0;
		}
	if (ini->n == INI_MAX_KEYS || (ini->keys[ini->n] = strdup(key)) == NULL) {
		free(v);
		return -1;
	}
	ini->values[ini->n++] = v;
	return 0;
}

/* One line: a comment, a section header, or "key = value" ("key: value"). */
static int
line(struct ini *ini, char *s, int *in_default, const char *why[1])
{
	char *sep, *key;

	s = trim(s);
	if (*s == '\0' || *s == '#' || *s == ';')
		return 0;
	if (*s == '[') {
		if (s[strlen(s) - 1] != ']')
			return *why = "section header without ']'", -1;
		*in_default = strcmp(s, "[DEFAULT]") == 0;
		return 0;
	}
	if ((sep = strpbrk(s, "=:")) == NULL)
		return *why = "expected key = value", -1;
	*sep = '\0';
	key = trim(s);
	if (*key == '\0')
		return *why = "empty key", -1;
	for (char *k = key; *k; k++)
		*k = (char)tolower((unsigned char)*k);
	if (*in_default && set(ini, key, trim(sep + 1)) == -1)
		return *why = "too many keys or out of memory", -1;
	return 0;
}

int
ini_parse(struct ini *ini, const char *text, const char *name, char *err, size_t errlen)
{
	char buf[INI_LINE_MAX];
	const char *p = text, *why = NULL;
	int in_default = 0, lineno = 0;
	size_t n;

	while (*p) {
		n = strcspn(p, "\n");
		lineno++;
		if (n >= sizeof(buf)) {
			snprintf(err, errlen, "%s:%d: line too long", name, lineno);
			return -1;
		}
		memcpy(buf, p, n);
		buf[n] = '\0';
		if (line(ini, buf, &in_default, &why) == -1) {
			snprintf(err, errlen, "%s:%d: %s", name, lineno, why);
			return -1;
		}
		p += n + (p[n] == '\n');
	}
	return 0;
}

int
ini_read(struct ini *ini, const char *path, char *err, size_t errlen)
{
	char *text;
	FILE *f;
	long len;
	int rc = -1;

	memset(ini, 0, sizeof(*ini));
	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return 1;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && len < 1024 * 1024 &&
	    fseek(f, 0, SEEK_SET) == 0 && (text = calloc(1, (size_t)len + 1)) != NULL) {
		if (fread(text, 1, (size_t)len, f) == (size_t)len)
			rc = ini_parse(ini, text, path, err, errlen);
		else
			snprintf(err, errlen, "%s: cannot read", path);
		free(text);
	} else {
		snprintf(err, errlen, "%s: cannot read (too large?)", path);
	}
	fclose(f);
	return rc;
}

const char *
ini_get(const struct ini *ini, const char *key)
{
	size_t i;

	for (i = 0; i < ini->n; i++)
		if (strcmp(ini->keys[i], key) == 0)
			return ini->values[i];
	return NULL;
}

void
ini_free(struct ini *ini)
{
	size_t i;

	for (i = 0; i < ini->n; i++) {
		free(ini->keys[i]);
		free(ini->values[i]);
	}
	memset(ini, 0, sizeof(*ini));
}
