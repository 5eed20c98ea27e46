/*
 * json.c - see json.h. A recursive-descent reader (depth-limited, so a hostile line cannot
 * exhaust the stack) and an append-only writer.
 */
#include "json.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define JSON_MAX_DEPTH 64

typedef struct {
	const char *p;
	const char *start;
	char *err;
	size_t errlen;
	bool failed;
} parser;

static void fail(parser *ps, const char *what)
{
	if (!ps->failed)
		snprintf(ps->err, ps->errlen, "%s at column %ld", what, (long)(ps->p - ps->start) + 1);
	ps->failed = true;
}

static void skip_ws(parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\r' || *ps->p == '\n')
		ps->p++;
}

static jnode *node(parser *ps, jtype t)
{
	jnode *n = calloc(1, sizeof(*n));
	if (n == NULL) {
		fail(ps, "out of memory");
		return NULL;
	}
	n->type = t;
	n->raw = ps->p;
	return n;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool hex4(parser *ps, unsigned *out)
{
	unsigned v = 0;
	for (int k = 0; k < 4; k++) {
		int h = hexval(ps->p[k]);
		if (h < 0) {
			fail(ps, "bad \\u escape");
			return false;
		}
		v = v * 16 + (unsigned)h;
	}
	ps->p += 4;
	*out = v;
	return true;
}

static void put_utf8(jbuf *b, unsigned cp)
{
	char t[4];
	size_t n;
	if (cp < 0x80) {
		t[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		t[0] = (char)(0xC0 | (cp >> 6));
		t[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		t[0] = (char)(0xE0 | (cp >> 12));
		t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		t[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		t[0] = (char)(0xF0 | (cp >> 18));
		t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		t[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	jb_raw(b, t, n);
}

/* Parses a string literal at ps->p (which is '"'); returns the decoded text (malloc'd). */
static char *parse_string(parser *ps)
{
	jbuf b;
	jb_init(&b);
	ps->p++;
	for (;;) {
		unsigned char c = (unsigned char)*ps->p;
		if (c == '"') {
			ps->p++;
			break;
		}
		if (c == '\0') {
			fail(ps, "unterminated string");
			goto bad;
		}
		if (c < 0x20) {
			fail(ps, "control character in string");
			goto bad;
		}
		if (c != '\\') {
			jb_raw(&b, ps->p, 1);
			ps->p++;
			continue;
		}
		ps->p++;
		char e = *ps->p++;
		switch (e) {
		case '"': jb_lit(&b, "\""); break;
		case '\\': jb_lit(&b, "\\"); break;
		case '/': jb_lit(&b, "/"); break;
		case 'b': jb_lit(&b, "\b"); break;
		case 'f': jb_lit(&b, "\f"); break;
		case 'n': jb_lit(&b, "\n"); break;
		case 'r': jb_lit(&b, "\r"); break;
		case 't': jb_lit(&b, "\t"); break;
		case 'u': {
			unsigned cp;
			if (!hex4(ps, &cp))
				goto bad;
			if (cp >= 0xD800 && cp < 0xDC00 && ps->p[0] == '\\' && ps->p[1] == 'u') {
				unsigned lo;
				ps->p += 2;
				if (!hex4(ps, &lo))
					goto bad;
				if (lo < 0xDC00 || lo >= 0xE000) {
					fail(ps, "bad surrogate pair");
					goto bad;
				}
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			}
			if (cp == 0) {
				fail(ps, "\\u0000 in string");
				goto bad;
			}
			put_utf8(&b, cp);
			break;
		}
		default:
			ps->p--;
			fail(ps, "bad escape");
			goto bad;
		}
	}
	jb_cstr(&b);
	if (b.oom) {
		fail(ps, "out of memory");
		goto bad;
	}
	return b.buf;
bad:
	jb_free(&b);
	return NULL;
}

static jnode *parse_value(parser *ps, int depth);

/* One or more decimal digits at ps->p; false (nothing consumed) when there is none. */
static bool digits(parser *ps)
{
	if (!(*ps->p >= '0' && *ps->p <= '9'))
		return false;
	while (*ps->p >= '0' && *ps->p <= '9')
		ps->p++;
	return true;
}

static jnode *parse_number(parser *ps)
{
	jnode *n = node(ps, J_INT);
	if (n == NULL)
		return NULL;
	const char *s = ps->p;
	bool integer = true;
	if (*ps->p == '-')
		ps->p++;
	bool ok;
	if (*ps->p == '0') {
		ps->p++;
		ok = true;
	} else {
		ok = digits(ps);
	}
	if (ok && *ps->p == '.') {
		integer = false;
		ps->p++;
		ok = digits(ps);
	}
	if (ok && (*ps->p == 'e' || *ps->p == 'E')) {
		integer = false;
		ps->p++;
		if (*ps->p == '+' || *ps->p == '-')
			ps->p++;
		ok = digits(ps);
	}
	if (!ok) {
		fail(ps, "bad number");
		free(n);
		return NULL;
	}
	if (integer) {
		errno = 0;
		long long v = strtoll(s, NULL, 10);
		if (errno == ERANGE)
			n->type = J_NUM;
		else
			n->i = v;
	} else {
		n->type = J_NUM;
	}
	return n;
}

static bool literal(parser *ps, const char *word)
{
	size_t k = strlen(word);
	if (strncmp(ps->p, word, k) != 0) {
		fail(ps, "unexpected character");
		return false;
	}
	ps->p += k;
	return true;
}

static jnode *parse_container(parser *ps, int depth, bool object)
{
	jnode *n = node(ps, object ? J_OBJ : J_ARR);
	if (n == NULL)
		return NULL;
	jnode **tail = &n->child;
	char close = object ? '}' : ']';
	ps->p++;
	skip_ws(ps);
	if (*ps->p == close) {
		ps->p++;
		return n;
	}
	for (;;) {
		char *key = NULL;
		skip_ws(ps);
		if (object) {
			if (*ps->p != '"') {
				fail(ps, "expected a member name");
				goto bad;
			}
			key = parse_string(ps);
			if (key == NULL)
				goto bad;
			skip_ws(ps);
			if (*ps->p != ':') {
				free(key);
				fail(ps, "expected ':'");
				goto bad;
			}
			ps->p++;
		}
		jnode *v = parse_value(ps, depth + 1);
		if (v == NULL) {
			free(key);
			goto bad;
		}
		v->key = key;
		*tail = v;
		tail = &v->next;
		n->len++;
		skip_ws(ps);
		if (*ps->p == ',') {
			ps->p++;
			continue;
		}
		if (*ps->p == close) {
			ps->p++;
			return n;
		}
		fail(ps, object ? "expected ',' or '}'" : "expected ',' or ']'");
		goto bad;
	}
bad:
	json_free(n);
	return NULL;
}

static jnode *parse_value(parser *ps, int depth)
{
	if (depth > JSON_MAX_DEPTH) {
		fail(ps, "nested too deeply");
		return NULL;
	}
	skip_ws(ps);
	const char *start = ps->p;
	jnode *n = NULL;
	switch (*ps->p) {
	case '{':
		n = parse_container(ps, depth, true);
		break;
	case '[':
		n = parse_container(ps, depth, false);
		break;
	case '"': {
		n = node(ps, J_STR);
		if (n == NULL)
			return NULL;
		n->s = parse_string(ps);
		if (n->s == NULL) {
			free(n);
			return NULL;
		}
		break;
	}
	case 't':
	case 'f':
		n = node(ps, J_BOOL);
		if (n == NULL)
			return NULL;
		n->b = *ps->p == 't';
		if (!literal(ps, n->b ? "true" : "false")) {
			free(n);
			return NULL;
		}
		break;
	case 'n':
		n = node(ps, J_NULL);
		if (n == NULL)
			return NULL;
		if (!literal(ps, "null")) {
			free(n);
			return NULL;
		}
		break;
	default:
		if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9'))
			n = parse_number(ps);
		else
			fail(ps, *ps->p ? "unexpected character" : "unexpected end of input");
		break;
	}
	if (n != NULL) {
		n->raw = start;
		n->rawlen = (size_t)(ps->p - start);
	}
	return n;
}

jnode *json_parse(const char *text, char *err, size_t errlen)
{
	parser ps = { text, text, err, errlen, false };
	jnode *n = parse_value(&ps, 0);
	if (n == NULL)
		return NULL;
	skip_ws(&ps);
	if (*ps.p != '\0') {
		fail(&ps, "trailing characters");
		json_free(n);
		return NULL;
	}
	return n;
}

void json_free(jnode *n)
{
	while (n != NULL) {
		jnode *next = n->next;
		json_free(n->child);
		free(n->s);
		free(n->key);
		free(n);
		n = next;
	}
}

jnode *json_get(const jnode *obj, const char *key)
{
	if (obj == NULL || obj->type != J_OBJ)
		return NULL;
	for (jnode *c = obj->child; c != NULL; c = c->next)
		if (strcmp(c->key, key) == 0)
			return c;
	return NULL;
}

jnode *json_at(const jnode *arr, size_t i)
{
	if (arr == NULL || arr->type != J_ARR)
		return NULL;
	jnode *c = arr->child;
	while (c != NULL && i-- > 0)
		c = c->next;
	return c;
}

void jb_init(jbuf *b)
{
	b->buf = NULL;
	b->len = b->cap = 0;
	b->oom = false;
}

void jb_free(jbuf *b)
{
	free(b->buf);
	jb_init(b);
}

static bool reserve(jbuf *b, size_t extra)
{
	if (b->oom)
		return false;
	if (b->len + extra + 1 <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 128;
	while (cap < b->len + extra + 1)
		cap *= 2;
	char *nb = realloc(b->buf, cap);
	if (nb == NULL) {
		b->oom = true;
		return false;
	}
	b->buf = nb;
	b->cap = cap;
	return true;
}

void jb_raw(jbuf *b, const char *s, size_t n)
{
	if (!reserve(b, n))
		return;
	memcpy(b->buf + b->len, s, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

void jb_lit(jbuf *b, const char *s)
{
	jb_raw(b, s, strlen(s));
}

void jb_str(jbuf *b, const char *s)
{
	jb_lit(b, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': jb_lit(b, "\\\""); break;
		case '\\': jb_lit(b, "\\\\"); break;
		case '\n': jb_lit(b, "\\n"); break;
		case '\r': jb_lit(b, "\\r"); break;
		case '\t': jb_lit(b, "\\t"); break;
		default:
			if (*p < 0x20)
				jb_printf(b, "\\u%04x", *p);
			else
				jb_raw(b, (const char *)p, 1);
		}
	}
	jb_lit(b, "\"");
}

void jb_int(jbuf *b, int64_t v)
{
	jb_printf(b, "%lld", (long long)v);
}

void jb_printf(jbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

const char *jb_cstr(jbuf *b)
{
	if (b->buf == NULL && reserve(b, 0))
		b->buf[0] = '\0';
	return b->buf ? b->buf : "";
}
