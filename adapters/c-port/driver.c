/*
 * driver.c - speaks the implementation protocol (conformance/PROTOCOL.md, version 1) for the
 * event ports of ep.c, and writes their API-level traces (trace-validation/FORMAT.md, "Level
 * api").
 *
 * Design
 *
 * The main thread reads one request per line from stdin and writes exactly one reply per
 * request to stdout; nothing else ever goes to stdout. Every simulated thread of a scenario
 * is a pthread of its own that waits for the next call the main thread hands it, makes it
 * through ep.h, and holds its result for a later `await`.
 *
 * Settling. Each simulated thread is IDLE, RUNNING (inside a call and able to run), BLOCKED
 * (asleep in the port with nothing pending) or RETURNED (its result not yet awaited). `busy`
 * counts the RUNNING ones. A thread handed a call becomes RUNNING; ep.c's sleep hook makes it
 * BLOCKED, its wake hook (called by whoever ended the sleep, under the port mutex) RUNNING
 * again, and the end of the call RETURNED. Because a waker is itself RUNNING when it marks
 * the sleeper RUNNING, busy never drops to zero while a wake-up is in flight: busy == 0 is
 * exactly PROTOCOL.md's "settled", and every reply waits for it (blocking: "reported").
 *
 * Trace. Records are written under one trace mutex, numbered as they are written: a call
 * record by the calling thread before the call takes any lock, a sleep record from the sleep
 * hook (under the port mutex, before the thread sleeps), a return record after the call
 * released every lock, an env record by the main thread (when every thread is settled) just
 * before it applies the input.
 *
 * `end` abandons the scenario: ep_world_abandon ends every sleep with ECANCELED, the threads
 * finish (writing no return record: those calls never returned in the scenario), are joined,
 * and everything is freed, so the next `begin` starts from nothing.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ep.h"
#include "json.h"

#define IMPL_NAME "c-port"
#define IMPL_VERSION "1.0"
#define SETTLE_LIMIT_SEC 8	/* below the runner's default step timeout of 10 s */

/* ---------------------------------------------------------------- state */

typedef enum {
	OP_PORT_CREATE, OP_CLOSE, OP_PORT_SEND, OP_PORT_SENDN, OP_PORT_ALERT, OP_PORT_GET,
	OP_PORT_GETN, OP_PORT_ASSOCIATE, OP_PORT_DISSOCIATE, OP_TIMER_CREATE, OP_EXIT
} opcode;

static const char *const OP_NAMES[] = {
	"port_create", "close", "port_send", "port_sendn", "port_alert", "port_get",
	"port_getn", "port_associate", "port_dissociate", "timer_create", "exit",
};

typedef struct call {
	opcode op;
	int fd;
	int *fds;
	unsigned nfds;
	int events;
	int flags;
	int source;
	uintptr_t object;
	void *user;		/* an interned raw JSON token */
	unsigned max, nget;
	bool has_timeout;
	struct timespec timeout;
	ep_event *list;		/* port_get / port_getn: the list the call writes into */
	char *args;		/* the call record's argument members: ,"fd":4,... */
} call;

typedef struct result {
	int64_t ret;
	int err;		/* 0: ret is the result */
	bool has_nget;
	unsigned nget;
	bool has_events;
	ep_event *events;
	unsigned nevents;
	bool has_errors;
	int *errors;		/* NULL: no array was written */
	unsigned nerrors;
} result;

typedef enum { S_IDLE, S_RUNNING, S_BLOCKED, S_RETURNED } tstate;

typedef struct sproc {
	char *name;
	ep_proc *ep;
	struct sproc *next;
} sproc;

typedef struct sthread {
	char *name;
	sproc *proc;
	ep_thread *et;
	pthread_t pt;
	pthread_cond_t cv;	/* a call or quit was handed over */
	/* protected by D.mu */
	tstate state;
	bool slept;		/* went to sleep at least once during its current call */
	call *req;
	result res;
	bool quit;
	struct sthread *next;
} sthread;

/* An object fd_open opened: fd_ready and fd_clear name it by (process, descriptor). */
typedef struct sobject {
	sproc *proc;
	int fd;
	ep_file *file;
	struct sobject *next;
} sobject;

typedef struct token {
	struct token *next;
	char text[];
} token;

static struct {
	pthread_mutex_t mu;
	pthread_cond_t settled;
	int busy;		/* RUNNING threads */
	bool active;		/* between begin and end */
	bool ending;		/* end in progress: results are abandoned */
	ep_world *world;
	ep_limits lim;
	char *scenario;
	sthread *threads;
	sproc *procs;
	sobject *objects;
	token *tokens;

	pthread_mutex_t tmu;
	FILE *trace;
	int64_t seq;
} D = {
	.mu = PTHREAD_MUTEX_INITIALIZER,
	.settled = PTHREAD_COND_INITIALIZER,
	.tmu = PTHREAD_MUTEX_INITIALIZER,
};

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (p == NULL) {
		fprintf(stderr, "c-port: out of memory\n");
		exit(2);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (d == NULL) {
		fprintf(stderr, "c-port: out of memory\n");
		exit(2);
	}
	return d;
}

/* A user value lives until the scenario ends; events carry a pointer to its text. */
static void *intern(const char *raw, size_t len)
{
	token *t = xcalloc(1, sizeof(*t) + len + 1);
	memcpy(t->text, raw, len);
	t->next = D.tokens;
	D.tokens = t;
	return t->text;
}

static const char *errno_name(int e)
{
	switch (e) {
	case EBADF: return "EBADF";
	case EBADFD: return "EBADFD";
	case EINVAL: return "EINVAL";
	case EAGAIN: return "EAGAIN";
	case EBUSY: return "EBUSY";
	case ETIME: return "ETIME";
	case EINTR: return "EINTR";
	case EMFILE: return "EMFILE";
	case ENOMEM: return "ENOMEM";
	case EFAULT: return "EFAULT";
	case ECANCELED: return "ECANCELED";
	case ENOENT: return "ENOENT";
	case EACCES: return "EACCES";
	case ENOTSUP: return "ENOTSUP";
	default: return "EIO";
	}
}

/* ---------------------------------------------------------------- trace */

static void trace_record(jbuf *body)
{
	pthread_mutex_lock(&D.tmu);
	if (D.trace != NULL && !body->oom) {
		fprintf(D.trace, "{\"seq\":%lld,%s}\n", (long long)D.seq++, jb_cstr(body));
		fflush(D.trace);
	}
	pthread_mutex_unlock(&D.tmu);
}

static void put_who(jbuf *b, const sthread *th)
{
	jb_lit(b, "\"thread\":");
	jb_str(b, th->name);
	jb_lit(b, ",\"proc\":");
	jb_str(b, th->proc->name);
}

static void put_limits(jbuf *b)
{
	jb_printf(b, "{\"port_max_events\":%lld,\"port_max_ids\":%lld,\"port_max_list\":%lld,"
	    "\"fd_max\":%lld}", (long long)D.lim.port_max_events, (long long)D.lim.port_max_ids,
	    (long long)D.lim.port_max_list, (long long)D.lim.fd_max);
}

static void put_result(jbuf *b, const result *r)
{
	if (r->err == 0)
		jb_printf(b, "\"ret\":%lld", (long long)r->ret);
	else
		jb_printf(b, "\"errno\":\"%s\"", errno_name(r->err));
	if (r->has_nget)
		jb_printf(b, ",\"nget\":%u", r->nget);
	if (r->has_events) {
		jb_lit(b, ",\"events\":[");
		for (unsigned i = 0; i < r->nevents; i++) {
			const ep_event *e = &r->events[i];
			jb_printf(b, "%s{\"source\":%u,\"events\":%d,\"object\":%llu,\"user\":%s}",
			    i ? "," : "", e->portev_source, e->portev_events,
			    (unsigned long long)e->portev_object,
			    e->portev_user ? (const char *)e->portev_user : "null");
		}
		jb_lit(b, "]");
	}
	if (r->has_errors) {
		jb_lit(b, ",\"errors\":");
		if (r->errors == NULL) {
			jb_lit(b, "null");
		} else {
			jb_lit(b, "[");
			for (unsigned i = 0; i < r->nerrors; i++) {
				if (i)
					jb_lit(b, ",");
				if (r->errors[i] == 0)
					jb_lit(b, "0");
				else
					jb_printf(b, "\"%s\"", errno_name(r->errors[i]));
			}
			jb_lit(b, "]");
		}
	}
}

static void trace_call(const sthread *th, const call *c)
{
	jbuf b;
	jb_init(&b);
	jb_lit(&b, "\"kind\":\"call\",");
	put_who(&b, th);
	jb_printf(&b, ",\"op\":\"%s\"%s", OP_NAMES[c->op], c->args);
	trace_record(&b);
	jb_free(&b);
}

static void trace_return(const sthread *th, const call *c, const result *r)
{
	jbuf b;
	jb_init(&b);
	jb_lit(&b, "\"kind\":\"return\",");
	put_who(&b, th);
	jb_printf(&b, ",\"op\":\"%s\",", OP_NAMES[c->op]);
	put_result(&b, r);
	trace_record(&b);
	jb_free(&b);
}

static void trace_sleep(const sthread *th)
{
	jbuf b;
	jb_init(&b);
	jb_lit(&b, "\"kind\":\"sleep\",");
	put_who(&b, th);
	trace_record(&b);
	jb_free(&b);
}

/* ---------------------------------------------------------------- hooks (port mutex held) */

static void hook_sleep(void *ctx, ep_thread *et)
{
	(void)ctx;
	sthread *th = ep_thread_ctx(et);
	trace_sleep(th);
	pthread_mutex_lock(&D.mu);
	th->state = S_BLOCKED;
	th->slept = true;
	D.busy--;
	pthread_cond_broadcast(&D.settled);
	pthread_mutex_unlock(&D.mu);
}

static void hook_wake(void *ctx, ep_thread *et)
{
	(void)ctx;
	sthread *th = ep_thread_ctx(et);
	pthread_mutex_lock(&D.mu);
	th->state = S_RUNNING;
	D.busy++;
	pthread_mutex_unlock(&D.mu);
}

/* ---------------------------------------------------------------- simulated threads */

static void result_free(result *r)
{
	free(r->events);
	free(r->errors);
	memset(r, 0, sizeof(*r));
}

static void call_free(call *c)
{
	if (c == NULL)
		return;
	free(c->fds);
	free(c->list);
	free(c->args);
	free(c);
}

/* Makes the call on the calling pthread (the simulated thread's own). */
static void run_call(sthread *th, call *c, result *r)
{
	ep_thread *t = th->et;
	const struct timespec *to = c->has_timeout ? &c->timeout : NULL;
	int rc = 0;
	switch (c->op) {
	case OP_PORT_CREATE:
		rc = ep_port_create(t);
		break;
	case OP_CLOSE:
		rc = ep_close(t, c->fd);
		break;
	case OP_PORT_SEND:
		rc = ep_port_send(t, c->fd, c->events, c->user);
		break;
	case OP_PORT_SENDN: {
		int *errors = xcalloc(c->nfds, sizeof(int));
		for (unsigned i = 0; i < c->nfds; i++)
			errors[i] = INT_MIN;	/* untouched unless written */
		rc = ep_port_sendn(t, c->fds, errors, c->nfds, c->events, c->user);
		int saved = errno;
		r->has_errors = true;
		if (rc >= 0 && c->nfds > 0 && errors[0] != INT_MIN) {
			r->errors = errors;
			r->nerrors = c->nfds;
		} else {
			free(errors);
		}
		errno = saved;
		break;
	}
	case OP_PORT_ALERT:
		rc = ep_port_alert(t, c->fd, c->flags, c->events, c->user);
		break;
	case OP_PORT_GET:
		r->events = c->list;
		c->list = NULL;
		r->has_events = true;
		rc = ep_port_get(t, c->fd, r->events, to);
		if (rc == 0)
			r->nevents = 1;
		break;
	case OP_PORT_GETN: {
		r->events = c->list;
		c->list = NULL;
		r->has_events = true;
		unsigned nget = c->nget;
		rc = ep_port_getn(t, c->fd, r->events, c->max, &nget, to);
		int saved = errno;
		r->has_nget = true;
		r->nget = nget;
		if (c->max > 0 && (rc == 0 || saved == ETIME))
			r->nevents = nget;
		errno = saved;
		break;
	}
	case OP_PORT_ASSOCIATE:
		rc = ep_port_associate(t, c->fd, c->source, c->object, c->events, c->user);
		break;
	case OP_PORT_DISSOCIATE:
		rc = ep_port_dissociate(t, c->fd, c->source, c->object);
		break;
	case OP_TIMER_CREATE:
		rc = ep_timer_create(t, c->fd, c->user);
		break;
	case OP_EXIT:
		ep_exit(t);
		break;
	}
	if (rc < 0) {
		r->err = errno;
	} else {
		r->ret = rc;
	}
}

static void *thread_main(void *arg)
{
	sthread *th = arg;
	pthread_mutex_lock(&D.mu);
	for (;;) {
		while (th->req == NULL && !th->quit)
			pthread_cond_wait(&th->cv, &D.mu);
		if (th->req == NULL)
			break;
		call *c = th->req;
		pthread_mutex_unlock(&D.mu);

		result r;
		memset(&r, 0, sizeof(r));
		trace_call(th, c);
		run_call(th, c, &r);

		pthread_mutex_lock(&D.mu);
		if (!D.ending)
			trace_return(th, c, &r);
		th->req = NULL;
		call_free(c);
		result_free(&th->res);
		th->res = r;
		th->state = S_RETURNED;
		D.busy--;
		pthread_cond_broadcast(&D.settled);
	}
	pthread_mutex_unlock(&D.mu);
	return NULL;
}

static sproc *find_proc(const char *name)
{
	for (sproc *p = D.procs; p != NULL; p = p->next)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

static sproc *add_proc(const char *name, ep_proc *ep)
{
	sproc *p = xcalloc(1, sizeof(*p));
	p->name = xstrdup(name);
	p->ep = ep;
	p->next = D.procs;
	D.procs = p;
	return p;
}

static sthread *find_thread(const char *name)
{
	for (sthread *t = D.threads; t != NULL; t = t->next)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

/* ---------------------------------------------------------------- replies */

static void reply(jbuf *b)
{
	if (b->oom) {
		fprintf(stderr, "c-port: out of memory\n");
		exit(2);
	}
	jb_lit(b, "\n");
	fwrite(b->buf, 1, b->len, stdout);
	fflush(stdout);
}

static void put_id(jbuf *b, const jnode *id)
{
	jb_lit(b, "{\"id\":");
	if (id != NULL && (id->type == J_INT || id->type == J_STR))
		jb_raw(b, id->raw, id->rawlen);
	else
		jb_lit(b, "null");
}

static void reply_error(const jnode *id, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void reply_error(const jnode *id, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	jbuf b;
	jb_init(&b);
	put_id(&b, id);
	jb_lit(&b, ",\"error\":");
	jb_str(&b, msg);
	jb_lit(&b, "}");
	reply(&b);
	jb_free(&b);
}

static void reply_ok(const jnode *id)
{
	jbuf b;
	jb_init(&b);
	put_id(&b, id);
	jb_lit(&b, ",\"ok\":true}");
	reply(&b);
	jb_free(&b);
}

/* ---------------------------------------------------------------- request fields */

/* The request being served; field errors name it. */
typedef struct req {
	const jnode *root;
	const jnode *id;
	const char *type;
	char err[300];
} req;

static bool field_fail(req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool field_fail(req *r, const char *fmt, ...)
{
	if (r->err[0] == '\0') {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(r->err, sizeof(r->err), fmt, ap);
		va_end(ap);
	}
	return false;
}

static bool get_int(req *r, const char *key, int64_t lo, int64_t hi, int64_t *out)
{
	const jnode *n = json_get(r->root, key);
	if (n == NULL)
		return field_fail(r, "%s: missing field %s", r->type, key);
	if (n->type != J_INT)
		return field_fail(r, "%s: field %s must be an integer", r->type, key);
	if (n->i < lo || n->i > hi)
		return field_fail(r, "%s: field %s = %lld is out of range [%lld, %lld]", r->type,
		    key, (long long)n->i, (long long)lo, (long long)hi);
	*out = n->i;
	return true;
}

static const char *get_str(req *r, const char *key)
{
	const jnode *n = json_get(r->root, key);
	if (n == NULL) {
		field_fail(r, "%s: missing field %s", r->type, key);
		return NULL;
	}
	if (n->type != J_STR || n->s[0] == '\0') {
		field_fail(r, "%s: field %s must be a non-empty string", r->type, key);
		return NULL;
	}
	return n->s;
}

static bool get_fd(req *r, const char *key, int *out)
{
	int64_t v;
	if (!get_int(r, key, INT_MIN, INT_MAX, &v))
		return false;
	*out = (int)v;
	return true;
}

static bool get_timeout(req *r, call *c)
{
	const jnode *n = json_get(r->root, "timeout");
	if (n == NULL)
		return field_fail(r, "%s: missing field timeout", r->type);
	if (n->type == J_NULL)
		return true;
	const jnode *sec = json_get(n, "sec"), *nsec = json_get(n, "nsec");
	if (n->type != J_OBJ || sec == NULL || nsec == NULL || sec->type != J_INT ||
	    nsec->type != J_INT)
		return field_fail(r, "%s: field timeout must be null or {\"sec\":S,\"nsec\":N} "
		    "with 64-bit integers", r->type);
	c->has_timeout = true;
	c->timeout.tv_sec = (time_t)sec->i;
	c->timeout.tv_nsec = (long)nsec->i;
	return true;
}

static bool get_user(req *r, call *c)
{
	const jnode *n = json_get(r->root, "user");
	if (n == NULL)
		return field_fail(r, "%s: missing field user", r->type);
	c->user = intern(n->raw, n->rawlen);
	return true;
}

static bool is_call_arg(const char *key)
{
	static const char *const NOT_ARGS[] = { "id", "type", "thread", "proc", "op", "pause" };
	for (size_t i = 0; i < sizeof(NOT_ARGS) / sizeof(NOT_ARGS[0]); i++)
		if (strcmp(key, NOT_ARGS[i]) == 0)
			return false;
	return true;
}

/* Decodes a call request's op and arguments; NULL with r->err set when it is refused. */
static call *decode_call(req *r, const char *opname)
{
	call *c = xcalloc(1, sizeof(*c));
	int64_t v = 0;
	bool ok = true;
	size_t k;
	for (k = 0; k < sizeof(OP_NAMES) / sizeof(OP_NAMES[0]); k++)
		if (strcmp(opname, OP_NAMES[k]) == 0)
			break;
	if (k == sizeof(OP_NAMES) / sizeof(OP_NAMES[0])) {
		field_fail(r, "call: op %s is not implemented by c-port", opname);
		goto bad;
	}
	c->op = (opcode)k;
	const jnode *pause = json_get(r->root, "pause");
	if (pause != NULL && pause->type != J_NULL) {
		field_fail(r, "call: pause is not implemented by c-port");
		goto bad;
	}
	switch (c->op) {
	case OP_PORT_CREATE:
	case OP_EXIT:
		break;
	case OP_CLOSE:
		ok = get_fd(r, "fd", &c->fd);
		break;
	case OP_TIMER_CREATE:
		ok = get_fd(r, "fd", &c->fd) && get_user(r, c);
		break;
	case OP_PORT_ASSOCIATE:
	case OP_PORT_DISSOCIATE: {
		int64_t src = 0, obj = 0;
		ok = get_fd(r, "fd", &c->fd) && get_int(r, "source", INT_MIN, INT_MAX, &src) &&
		    get_int(r, "object", INT64_MIN, INT64_MAX, &obj);
		if (ok && c->op == OP_PORT_ASSOCIATE)
			ok = get_int(r, "events", INT_MIN, INT_MAX, &v) && get_user(r, c);
		c->source = (int)src;
		c->object = (uintptr_t)obj;	/* a negative number is a huge object, as in C */
		c->events = (int)v;
		break;
	}
	case OP_PORT_SEND:
		ok = get_fd(r, "fd", &c->fd) && get_int(r, "events", INT_MIN, INT_MAX, &v) &&
		    get_user(r, c);
		c->events = (int)v;
		break;
	case OP_PORT_SENDN: {
		const jnode *fds = json_get(r->root, "fds");
		if (fds == NULL || fds->type != J_ARR || fds->len > UINT_MAX) {
			field_fail(r, "call port_sendn: field fds must be a list of descriptors");
			goto bad;
		}
		c->nfds = (unsigned)fds->len;
		c->fds = xcalloc(c->nfds, sizeof(int));
		unsigned i = 0;
		for (const jnode *e = fds->child; e != NULL; e = e->next, i++) {
			if (e->type != J_INT || e->i < INT_MIN || e->i > INT_MAX) {
				field_fail(r, "call port_sendn: fds[%u] must be a descriptor", i);
				goto bad;
			}
			c->fds[i] = (int)e->i;
		}
		ok = get_int(r, "events", INT_MIN, INT_MAX, &v) && get_user(r, c);
		c->events = (int)v;
		break;
	}
	case OP_PORT_ALERT: {
		int64_t f = 0;
		ok = get_fd(r, "fd", &c->fd) && get_int(r, "flags", INT_MIN, INT_MAX, &f) &&
		    get_int(r, "events", INT_MIN, INT_MAX, &v) && get_user(r, c);
		c->flags = (int)f;
		c->events = (int)v;
		break;
	}
	case OP_PORT_GET:
		ok = get_fd(r, "fd", &c->fd) && get_timeout(r, c);
		break;
	case OP_PORT_GETN: {
		int64_t max = 0, nget = 0;
		ok = get_fd(r, "fd", &c->fd) && get_int(r, "max", 0, UINT_MAX, &max) &&
		    get_int(r, "nget", 0, UINT_MAX, &nget) && get_timeout(r, c);
		c->max = (unsigned)max;
		c->nget = (unsigned)nget;
		break;
	}
	}
	if (!ok)
		goto bad;
	if (c->op == OP_PORT_GET || c->op == OP_PORT_GETN) {
		/* No call writes more events than a port holds, or more than one alert. */
		uint64_t cap = c->op == OP_PORT_GET ? 1 : c->max;
		if (cap > (uint64_t)D.lim.port_max_events)
			cap = (uint64_t)D.lim.port_max_events;
		c->list = calloc(cap ? cap : 1, sizeof(ep_event));
		if (c->list == NULL) {
			field_fail(r, "call %s: cannot allocate a list of %llu events", opname,
			    (unsigned long long)cap);
			goto bad;
		}
	}
	/* The call record carries the arguments exactly as the request gave them. */
	jbuf a;
	jb_init(&a);
	for (const jnode *m = r->root->child; m != NULL; m = m->next) {
		if (!is_call_arg(m->key))
			continue;
		jb_lit(&a, ",");
		jb_str(&a, m->key);
		jb_lit(&a, ":");
		jb_raw(&a, m->raw, m->rawlen);
	}
	c->args = xstrdup(jb_cstr(&a));
	jb_free(&a);
	return c;
bad:
	call_free(c);
	return NULL;
}

/* ---------------------------------------------------------------- scenario lifetime */

static bool settle(void)
{
	struct timespec dl;
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += SETTLE_LIMIT_SEC;
	while (D.busy > 0)
		if (pthread_cond_timedwait(&D.settled, &D.mu, &dl) != 0 && D.busy > 0)
			return false;
	return true;
}

static void end_scenario(void)
{
	if (!D.active)
		return;
	pthread_mutex_lock(&D.mu);
	D.ending = true;
	pthread_mutex_unlock(&D.mu);
	ep_world_abandon(D.world);
	pthread_mutex_lock(&D.mu);
	for (sthread *t = D.threads; t != NULL; t = t->next) {
		t->quit = true;
		pthread_cond_signal(&t->cv);
	}
	pthread_mutex_unlock(&D.mu);
	while (D.threads != NULL) {
		sthread *t = D.threads;
		D.threads = t->next;
		pthread_join(t->pt, NULL);
		pthread_cond_destroy(&t->cv);
		call_free(t->req);
		result_free(&t->res);
		free(t->name);
		free(t);
	}
	while (D.procs != NULL) {
		sproc *p = D.procs;
		D.procs = p->next;
		free(p->name);
		free(p);
	}
	while (D.objects != NULL) {
		sobject *o = D.objects;
		D.objects = o->next;
		free(o);
	}
	while (D.tokens != NULL) {
		token *t = D.tokens;
		D.tokens = t->next;
		free(t);
	}
	ep_world_free(D.world);
	D.world = NULL;
	free(D.scenario);
	D.scenario = NULL;
	pthread_mutex_lock(&D.tmu);
	if (D.trace != NULL)
		fclose(D.trace);
	D.trace = NULL;
	pthread_mutex_unlock(&D.tmu);
	D.busy = 0;
	D.ending = false;
	D.active = false;
}

static bool get_limit(req *r, const jnode *lim, const char *key, int64_t dflt, int64_t *out)
{
	const jnode *n = json_get(lim, key);
	*out = dflt;
	if (n == NULL)
		return true;
	if (n->type != J_INT || n->i < 0)
		return field_fail(r, "begin: limits.%s must be a non-negative integer", key);
	*out = n->i;
	return true;
}

static void do_begin(req *r)
{
	end_scenario();
	const jnode *lim = json_get(r->root, "limits");
	if (lim != NULL && lim->type != J_OBJ && lim->type != J_NULL) {
		reply_error(r->id, "begin: limits must be an object");
		return;
	}
	ep_limits l;
	if (!get_limit(r, lim, "port_max_events", 65536, &l.port_max_events) ||
	    !get_limit(r, lim, "port_max_ids", 8192, &l.port_max_ids) ||
	    !get_limit(r, lim, "port_max_list", 8192, &l.port_max_list) ||
	    !get_limit(r, lim, "fd_max", 256, &l.fd_max)) {
		reply_error(r->id, "%s", r->err);
		return;
	}
	const jnode *profile = json_get(r->root, "profile");
	if (profile != NULL && profile->type == J_STR && strcmp(profile->s, "illumos") != 0 &&
	    strcmp(profile->s, "corrected") != 0) {
		reply_error(r->id, "begin: unknown profile %s", profile->s);
		return;
	}
	const jnode *trace = json_get(r->root, "trace");
	FILE *f = NULL;
	if (trace != NULL && trace->type == J_STR) {
		f = fopen(trace->s, "w");
		if (f == NULL) {
			reply_error(r->id, "begin: cannot write trace %s: %s", trace->s, strerror(errno));
			return;
		}
	} else if (trace != NULL && trace->type != J_NULL) {
		reply_error(r->id, "begin: trace must be a file path or null");
		return;
	}
	const jnode *name = json_get(r->root, "scenario");
	static const ep_hooks hooks = { hook_sleep, hook_wake, NULL };
	D.lim = l;
	D.world = ep_world_new(&l, EP_CLOCK_VIRTUAL, &hooks);
	if (D.world == NULL) {
		if (f != NULL)
			fclose(f);
		reply_error(r->id, "begin: out of memory");
		return;
	}
	D.scenario = xstrdup(name != NULL && name->type == J_STR ? name->s : "");
	D.active = true;
	D.trace = f;
	D.seq = 0;
	jbuf b;
	jb_init(&b);
	jb_printf(&b, "\"kind\":\"header\",\"level\":\"api\",\"version\":1,\"impl\":\"%s\"",
	    IMPL_NAME);
	if (name != NULL && name->type == J_STR) {
		jb_lit(&b, ",\"scenario\":");
		jb_str(&b, name->s);
	}
	jb_lit(&b, ",\"limits\":");
	put_limits(&b);
	trace_record(&b);
	jb_free(&b);
	reply_ok(r->id);
}

static sproc *proc_named(const char *name)
{
	sproc *p = find_proc(name);
	if (p == NULL) {
		ep_proc *ep = ep_proc_new(D.world);
		if (ep == NULL)
			return NULL;
		p = add_proc(name, ep);
	}
	return p;
}

/* The thread named by the request, created (with its pthread) on first use. */
static sthread *thread_for(req *r, bool create)
{
	const char *name = get_str(r, "thread");
	if (name == NULL)
		return NULL;
	sthread *th = find_thread(name);
	const jnode *pn = json_get(r->root, "proc");
	if (th != NULL) {
		if (pn != NULL && pn->type == J_STR && strcmp(pn->s, th->proc->name) != 0) {
			field_fail(r, "%s: thread %s belongs to %s, not %s", r->type, name,
			    th->proc->name, pn->s);
			return NULL;
		}
		return th;
	}
	if (!create) {
		field_fail(r, "%s: unknown thread %s", r->type, name);
		return NULL;
	}
	const char *pname = get_str(r, "proc");
	if (pname == NULL)
		return NULL;
	sproc *p = proc_named(pname);
	if (p == NULL) {
		field_fail(r, "%s: out of memory", r->type);
		return NULL;
	}
	th = xcalloc(1, sizeof(*th));
	th->name = xstrdup(name);
	th->proc = p;
	th->state = S_IDLE;
	pthread_cond_init(&th->cv, NULL);
	th->et = ep_thread_new(p->ep, th);
	if (th->et == NULL || pthread_create(&th->pt, NULL, thread_main, th) != 0) {
		pthread_cond_destroy(&th->cv);
		free(th->name);
		free(th);
		field_fail(r, "%s: cannot start thread %s", r->type, name);
		return NULL;
	}
	th->next = D.threads;
	D.threads = th;
	return th;
}

/*
 * Replies with T's state after settling: its result (once), or blocked. A call's own reply
 * (first_stop) reports how the call first stopped (PROTOCOL.md): a thread that went to sleep
 * is reported blocked even if a thread the step woke woke it in turn and it has returned
 * since; its result waits for the await.
 */
static void reply_status(req *r, sthread *th, bool first_stop)
{
	pthread_mutex_lock(&D.mu);
	if (!settle()) {
		pthread_mutex_unlock(&D.mu);
		reply_error(r->id, "%s: threads did not settle within %d s", r->type,
		    SETTLE_LIMIT_SEC);
		return;
	}
	jbuf b;
	jb_init(&b);
	put_id(&b, r->id);
	if (th->state == S_RETURNED && !(first_stop && th->slept)) {
		jb_lit(&b, ",\"status\":\"returned\",");
		put_result(&b, &th->res);
		jb_lit(&b, "}");
		result_free(&th->res);
		th->state = S_IDLE;
	} else if (th->state == S_BLOCKED || th->state == S_RETURNED) {
		jb_lit(&b, ",\"status\":\"blocked\"}");
	} else {
		pthread_mutex_unlock(&D.mu);
		jb_free(&b);
		reply_error(r->id, "%s: thread %s has no call in progress", r->type, th->name);
		return;
	}
	pthread_mutex_unlock(&D.mu);
	reply(&b);
	jb_free(&b);
}

static void do_call(req *r)
{
	const char *op = get_str(r, "op");
	sthread *th = op ? thread_for(r, true) : NULL;
	if (th == NULL) {
		reply_error(r->id, "%s", r->err);
		return;
	}
	pthread_mutex_lock(&D.mu);
	bool idle = th->state == S_IDLE;
	pthread_mutex_unlock(&D.mu);
	if (!idle) {
		reply_error(r->id, "call: thread %s is still inside a call", th->name);
		return;
	}
	call *c = decode_call(r, op);
	if (c == NULL) {
		reply_error(r->id, "%s", r->err);
		return;
	}
	pthread_mutex_lock(&D.mu);
	th->req = c;
	th->state = S_RUNNING;
	th->slept = false;
	D.busy++;
	pthread_cond_signal(&th->cv);
	pthread_mutex_unlock(&D.mu);
	reply_status(r, th, true);
}

static void do_await(req *r)
{
	sthread *th = thread_for(r, false);
	if (th == NULL) {
		reply_error(r->id, "%s", r->err);
		return;
	}
	reply_status(r, th, false);
}

static void do_state(req *r)
{
	const char *name = get_str(r, "thread");
	if (name == NULL) {
		reply_error(r->id, "%s", r->err);
		return;
	}
	sthread *th = find_thread(name);
	const char *s = "idle";
	pthread_mutex_lock(&D.mu);
	if (!settle()) {
		pthread_mutex_unlock(&D.mu);
		reply_error(r->id, "state: threads did not settle within %d s", SETTLE_LIMIT_SEC);
		return;
	}
	if (th != NULL && th->state == S_BLOCKED)
		s = "blocked";
	else if (th != NULL && th->state == S_RETURNED)
		s = "runnable";	/* woken and run on; its result waits for await */
	pthread_mutex_unlock(&D.mu);
	jbuf b;
	jb_init(&b);
	put_id(&b, r->id);
	jb_printf(&b, ",\"state\":\"%s\"}", s);
	reply(&b);
	jb_free(&b);
}

static void trace_env(const char *op, jbuf *fields)
{
	jbuf b;
	jb_init(&b);
	jb_printf(&b, "\"kind\":\"env\",\"op\":\"%s\"%s", op, jb_cstr(fields));
	trace_record(&b);
	jb_free(&b);
}

/* Replies ok once every thread the input woke has run on. */
static void reply_settled(req *r)
{
	pthread_mutex_lock(&D.mu);
	bool ok = settle();
	pthread_mutex_unlock(&D.mu);
	if (ok)
		reply_ok(r->id);
	else
		reply_error(r->id, "%s: threads did not settle within %d s", r->type,
		    SETTLE_LIMIT_SEC);
}

static void do_fork(req *r)
{
	const char *pname = get_str(r, "proc");
	const char *cname = pname ? get_str(r, "child") : NULL;
	if (cname == NULL) {
		reply_error(r->id, "%s", r->err);
		return;
	}
	if (find_proc(cname) != NULL) {
		reply_error(r->id, "fork: process %s already exists", cname);
		return;
	}
	sproc *parent = proc_named(pname);
	ep_proc *child = parent ? ep_fork(parent->ep) : NULL;
	if (child == NULL) {
		reply_error(r->id, "fork: out of memory");
		return;
	}
	jbuf f;
	jb_init(&f);
	jb_lit(&f, ",\"proc\":");
	jb_str(&f, pname);
	jb_lit(&f, ",\"child\":");
	jb_str(&f, cname);
	trace_env("fork", &f);
	jb_free(&f);
	add_proc(cname, child);
	reply_settled(r);
}

static void do_advance(req *r)
{
	int64_t ms;
	if (!get_int(r, "ms", INT64_MIN, INT64_MAX, &ms)) {
		reply_error(r->id, "%s", r->err);
		return;
	}
	jbuf f;
	jb_init(&f);
	jb_printf(&f, ",\"ms\":%lld", (long long)ms);
	trace_env("advance", &f);
	jb_free(&f);
	ep_advance(D.world, ms);
	reply_settled(r);
}

static void do_interrupt(req *r)
{
	const char *name = get_str(r, "thread");
	if (name == NULL) {
		reply_error(r->id, "%s", r->err);
		return;
	}
	jbuf f;
	jb_init(&f);
	jb_lit(&f, ",\"thread\":");
	jb_str(&f, name);
	trace_env("interrupt", &f);
	jb_free(&f);
	sthread *th = find_thread(name);
	if (th != NULL)
		ep_interrupt(th->et);
	reply_settled(r);
}

static void do_timer_expire(req *r)
{
	const char *pname = get_str(r, "proc");
	int64_t id = 0;
	if (pname == NULL || !get_int(r, "timer", INT_MIN, INT_MAX, &id)) {
		reply_error(r->id, "%s", r->err);
		return;
	}
	jbuf f;
	jb_init(&f);
	jb_lit(&f, ",\"proc\":");
	jb_str(&f, pname);
	jb_printf(&f, ",\"timer\":%lld", (long long)id);
	trace_env("timer_expire", &f);
	jb_free(&f);
	sproc *p = find_proc(pname);
	if (p == NULL || ep_timer_expire(p->ep, (int)id) != 0) {
		jbuf b;
		jb_init(&b);
		put_id(&b, r->id);
		jb_lit(&b, ",\"status\":\"returned\",\"errno\":\"EINVAL\"}");
		reply(&b);
		jb_free(&b);
		return;
	}
	reply_settled(r);
}

static void do_fd_open(req *r)
{
	const char *pname = get_str(r, "proc");
	sproc *p = pname ? proc_named(pname) : NULL;
	if (p == NULL) {
		reply_error(r->id, "%s", r->err[0] ? r->err : "fd_open: out of memory");
		return;
	}
	int fd = -1;
	ep_file *f = ep_fd_open(p->ep, &fd);
	jbuf b;
	jb_init(&b);
	put_id(&b, r->id);
	if (f == NULL) {
		jb_printf(&b, ",\"status\":\"returned\",\"errno\":\"%s\"}", errno_name(errno));
	} else {
		sobject *o = xcalloc(1, sizeof(*o));
		o->proc = p;
		o->fd = fd;
		o->file = f;
		o->next = D.objects;
		D.objects = o;
		jbuf e;
		jb_init(&e);
		jb_lit(&e, ",\"proc\":");
		jb_str(&e, pname);
		jb_printf(&e, ",\"fd\":%d", fd);
		trace_env("fd_open", &e);
		jb_free(&e);
		jb_printf(&b, ",\"status\":\"returned\",\"ret\":%d}", fd);
	}
	reply(&b);
	jb_free(&b);
}

/* fd_ready and fd_clear: the object that process opened at descriptor fd. */
static void do_fd_change(req *r, bool ready)
{
	const char *pname = get_str(r, "proc");
	int fd = 0;
	int64_t events = 0;
	if (pname == NULL || !get_fd(r, "fd", &fd) ||
	    (ready && !get_int(r, "events", INT_MIN, INT_MAX, &events))) {
		reply_error(r->id, "%s", r->err);
		return;
	}
	sobject *o = D.objects;
	while (o != NULL && !(o->fd == fd && strcmp(o->proc->name, pname) == 0))
		o = o->next;
	if (o == NULL) {
		reply_error(r->id, "%s: %s opened no object at descriptor %d", r->type, pname, fd);
		return;
	}
	jbuf e;
	jb_init(&e);
	jb_lit(&e, ",\"proc\":");
	jb_str(&e, pname);
	jb_printf(&e, ",\"fd\":%d", fd);
	if (ready)
		jb_printf(&e, ",\"events\":%lld", (long long)events);
	trace_env(r->type, &e);
	jb_free(&e);
	if (ready)
		ep_fd_ready(o->file, (int)events);
	else
		ep_fd_clear(o->file);
	reply_settled(r);
}

static void do_hello(req *r)
{
	jbuf b;
	jb_init(&b);
	put_id(&b, r->id);
	jb_printf(&b, ",\"protocol\":1,\"name\":\"%s\",\"version\":\"%s\",\"profile\":\"illumos\","
	    "\"capabilities\":[\"sendn\",\"alert\",\"processes\",\"limits\",\"virtual_time\","
	    "\"signals\",\"fd\",\"timer\",\"wakeup_order\"],\"blocking\":\"reported\"}", IMPL_NAME, IMPL_VERSION);
	reply(&b);
	jb_free(&b);
}

/* Serves one request line; returns false after bye. */
static bool serve(const char *line)
{
	char perr[200];
	jnode *root = json_parse(line, perr, sizeof(perr));
	req r;
	memset(&r, 0, sizeof(r));
	r.root = root;
	r.type = "request";
	if (root == NULL) {
		reply_error(NULL, "request is not JSON: %s", perr);
		return true;
	}
	r.id = json_get(root, "id");
	const jnode *type = json_get(root, "type");
	bool more = true;
	if (root->type != J_OBJ || r.id == NULL || r.id->type != J_INT) {
		reply_error(r.id, "request must be an object with an integer id");
	} else if (type == NULL || type->type != J_STR) {
		reply_error(r.id, "request has no type");
	} else {
		r.type = type->s;
		bool needs_scenario = strcmp(r.type, "hello") != 0 && strcmp(r.type, "begin") != 0 &&
		    strcmp(r.type, "end") != 0 && strcmp(r.type, "bye") != 0;
		if (needs_scenario && !D.active) {
			reply_error(r.id, "%s: no scenario has begun", r.type);
		} else if (strcmp(r.type, "hello") == 0) {
			do_hello(&r);
		} else if (strcmp(r.type, "begin") == 0) {
			do_begin(&r);
		} else if (strcmp(r.type, "end") == 0) {
			end_scenario();
			reply_ok(r.id);
		} else if (strcmp(r.type, "bye") == 0) {
			end_scenario();
			reply_ok(r.id);
			more = false;
		} else if (strcmp(r.type, "call") == 0) {
			do_call(&r);
		} else if (strcmp(r.type, "await") == 0) {
			do_await(&r);
		} else if (strcmp(r.type, "state") == 0) {
			do_state(&r);
		} else if (strcmp(r.type, "fork") == 0) {
			do_fork(&r);
		} else if (strcmp(r.type, "advance") == 0) {
			do_advance(&r);
		} else if (strcmp(r.type, "interrupt") == 0) {
			do_interrupt(&r);
		} else if (strcmp(r.type, "timer_expire") == 0) {
			do_timer_expire(&r);
		} else if (strcmp(r.type, "fd_open") == 0) {
			do_fd_open(&r);
		} else if (strcmp(r.type, "fd_ready") == 0) {
			do_fd_change(&r, true);
		} else if (strcmp(r.type, "fd_clear") == 0) {
			do_fd_change(&r, false);
		} else {
			reply_error(r.id, "%s: not implemented by c-port", r.type);
		}
	}
	json_free(root);
	return more;
}

int main(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, stdin)) >= 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0)
			continue;
		if ((size_t)n != strlen(line)) {
			reply_error(NULL, "request contains a NUL byte");
			continue;
		}
		if (!serve(line))
			break;
	}
	free(line);
	end_scenario();
	return 0;
}
