/*
 * jsonread.h: a strict, fast JSON reader for update payloads. Jansson reads every byte
 * through a function call and builds a hash table per object: 190 instructions a byte,
 * two thirds of an update's CPU. This one decodes in place into a flat array of nodes.
 * It only reads: answers are written by core/escape.c's JSON writers (dm_json_str and
 * the members of listing rows) or, for small objects, with Jansson.
 */
#ifndef DM_JSONREAD_H
#define DM_JSONREAD_H

#include <stddef.h>

#define DM_JSON_MAX_DEPTH 32

enum dm_jtype { DM_JNULL, DM_JFALSE, DM_JTRUE, DM_JNUMBER, DM_JSTRING, DM_JARRAY, DM_JOBJECT };

struct dm_jnode {
	enum dm_jtype type;
	size_t len;    /* string: bytes; array: items; object: members */
	size_t next;   /* the index just past this node and everything inside it */
	const char *s; /* string (decoded, NUL-terminated); number: its text (len bytes) */
};

struct dm_json {
	struct dm_jnode *v; /* v[0] is the document's value */
	size_t n;
	size_t cap;
	char *text; /* the decoded copy of the input the strings point into */
};

#define DM_JNONE ((size_t)-1)

/*
 * Parses len bytes of text (any bytes; a NUL is an error) into j. Returns 0, or -1 with
 * "<what> at line L column C" in err; *utf8 is set when the problem is invalid UTF-8.
 */
int dm_json_parse(struct dm_json *j, const char *text, size_t len, int *utf8, char *err,
                  size_t errlen);
void dm_json_free(struct dm_json *j);
/* The value of key in the object at index obj, or DM_JNONE. */
size_t dm_json_get(const struct dm_json *j, size_t obj, const char *key);

#endif
