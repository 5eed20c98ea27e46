/*
 * json.h - a minimal JSON reader and writer for the protocol driver (C standard library only).
 *
 * The reader parses one line into a tree of nodes. Every node remembers the exact text it was
 * parsed from (raw, rawlen), so a value the driver must pass back unchanged (a scenario's `user`
 * token, a call's arguments copied into the trace) is echoed byte for byte, never re-encoded.
 * Integers are kept as int64_t when they fit; anything else is a number that is not an integer.
 */
#ifndef JSON_H
#define JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum { J_NULL, J_BOOL, J_INT, J_NUM, J_STR, J_ARR, J_OBJ } jtype;

typedef struct jnode jnode;
struct jnode {
	jtype type;
	const char *raw;	/* the value's text inside the parsed line */
	size_t rawlen;
	bool b;			/* J_BOOL */
	int64_t i;		/* J_INT */
	char *s;		/* J_STR: decoded, NUL-terminated (embedded NULs rejected) */
	char *key;		/* member name when this node is an object member */
	jnode *child;		/* J_ARR / J_OBJ: first element or member */
	jnode *next;		/* next sibling */
	size_t len;		/* J_ARR / J_OBJ: number of children */
};

/* Parses text (NUL-terminated). On error returns NULL and writes a one-line reason to err. */
jnode *json_parse(const char *text, char *err, size_t errlen);
void json_free(jnode *n);

/* Member `key` of an object, or NULL. */
jnode *json_get(const jnode *obj, const char *key);
/* Element i of an array, or NULL. */
jnode *json_at(const jnode *arr, size_t i);

/* A growable output buffer. */
typedef struct {
	char *buf;
	size_t len, cap;
	bool oom;
} jbuf;

void jb_init(jbuf *b);
void jb_free(jbuf *b);
void jb_raw(jbuf *b, const char *s, size_t n);
void jb_lit(jbuf *b, const char *s);		/* raw text, NUL-terminated */
void jb_str(jbuf *b, const char *s);		/* a JSON string literal, escaped */
void jb_int(jbuf *b, int64_t v);
void jb_printf(jbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* NUL-terminated view of the buffer (the buffer keeps ownership). */
const char *jb_cstr(jbuf *b);

#endif
