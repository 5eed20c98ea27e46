/*
 * ep.c - event ports over POSIX threads (see ep.h for the API and its sources).
 *
 * Design
 *
 * A port is one mutex and what it protects: a plain FIFO of queued events, a FIFO of waiters,
 * the alert record, and the close state. There is no unlocked delivery phase: whoever changes
 * the port under its mutex also settles every consequence before letting go of it.
 *
 *  - Hand-off. A thread that must wait puts a waiter record (on its own stack, with its own
 *    condition variable, its list buffer, max and nget) at the tail of the waiter FIFO and
 *    sleeps. Whoever queues an event (port_send, port_sendn, a timer, a firing association)
 *    serves the waiters at once: it walks the FIFO from the oldest waiter and gives each one
 *    that the queue can satisfy (nget <= the queued events its process may retrieve) up to max
 *    events, copied straight into its list, then unlinks it and signals it. The woken thread
 *    only returns what it was given. So the FIFO invariant, whenever the mutex is free: no
 *    waiter on the FIFO could be satisfied by the queue (unless the port is closing), and an
 *    event is taken by exactly one thread.
 *
 *  - Waiters are served first-fit in arrival order: the oldest waiter whose count is met, not
 *    illumos' waiter ring (fewest events first, ties newest first, only the head ever woken).
 *    A waiter ends in exactly one way, decided by whoever takes the mutex first: events,
 *    alert (port_alert gives every waiter its own copy of the alert), timeout (ep_advance on
 *    the virtual clock; the waiter itself on the real one), signal (ep_interrupt), close.
 *    A timed-out port_getn takes whatever is queued (fewer than nget), as the man page says.
 *
 *  - Close. Descriptors live in per-process tables (each a port or a pollable object); a port
 *    counts the table entries that refer to it. close(2) removes the entry first, so no new
 *    call can reach the port through it. A close that leaves other entries is a per-process
 *    close: it ends the alert mode if this process raised it, and drops this process's timers
 *    and associations on the port. The last close marks the port closing,
 *    ends every waiter with EBADFD at once, then sleeps (not interruptibly) until every
 *    thread that had gone to sleep in the port is back out of it, drops every timer and
 *    association and the queue, and frees the port's id. Port structures are freed only with the world, so a thread still holding
 *    a pointer to a closed port never reads freed memory.
 *
 *  - Reporting. hooks.sleep is called, with the port mutex held, just before a thread sleeps
 *    with nothing pending; hooks.wake by whoever ends that sleep, under the same mutex, before
 *    the sleeper runs. Each sleep is reported once and ended once, whatever spurious wake-ups
 *    the condition variable has.
 *
 *  - Sources (ep_sources.c): timers and associations of pollable objects queue events that
 *    only some processes may retrieve. A waiter counts, and takes, only the events its process
 *    may retrieve; the others keep their places in the queue.
 *
 * Locks and their order: ep_impl.h.
 */
#include "ep_impl.h"
#include "ep_impl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define NO_DEADLINE INT64_MAX
#define NSEC_PER_SEC 1000000000LL

/* ---------------------------------------------------------------- clock */

static int64_t clock_now(ep_world *w)
{
	if (w->clock == EP_CLOCK_VIRTUAL)
		return atomic_load(&w->now);
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static int64_t sat_add(int64_t a, int64_t b)
{
	return (b > 0 && a > INT64_MAX - b) ? INT64_MAX : a + b;
}

/* A valid timeout's deadline; one too far away for the clock is no deadline at all. */
static int64_t deadline_from(int64_t now, const struct timespec *to)
{
	if (to->tv_sec > (INT64_MAX - to->tv_nsec) / NSEC_PER_SEC)
		return NO_DEADLINE;
	return sat_add(now, (int64_t)to->tv_sec * NSEC_PER_SEC + to->tv_nsec);
}

static bool timeout_invalid(const struct timespec *to)
{
	return to->tv_sec < 0 || to->tv_nsec < 0 || to->tv_nsec >= NSEC_PER_SEC;
}

static bool timeout_zero(const struct timespec *to)
{
	return to->tv_sec == 0 && to->tv_nsec == 0;
}

/* ---------------------------------------------------------------- world */

ep_world *ep_world_new(const ep_limits *lim, ep_clock_kind clock, const ep_hooks *hooks)
{
	ep_world *w = calloc(1, sizeof(*w));
	if (w == NULL)
		return NULL;
	pthread_mutex_init(&w->mu, NULL);
	pthread_mutex_init(&w->tabmu, NULL);
	pthread_mutex_init(&w->smu, NULL);
	w->lim = *lim;
	w->clock = clock;
	if (hooks != NULL)
		w->hooks = *hooks;
	atomic_init(&w->now, 0);
	atomic_init(&w->canceled, false);
	w->next_fd = 3;		/* 0, 1 and 2 are the standard streams */
	return w;
}

static void hook_sleep(ep_world *w, ep_thread *t)
{
	if (w->hooks.sleep != NULL)
		w->hooks.sleep(w->hooks.ctx, t);
}

static void hook_wake(ep_world *w, ep_thread *t)
{
	if (w->hooks.wake != NULL)
		w->hooks.wake(w->hooks.ctx, t);
}

ep_proc *ep_proc_new(ep_world *w)
{
	ep_proc *p = calloc(1, sizeof(*p));
	if (p == NULL)
		return NULL;
	p->w = w;
	pthread_mutex_lock(&w->mu);
	p->next_all = w->procs;
	w->procs = p;
	pthread_mutex_unlock(&w->mu);
	return p;
}

ep_thread *ep_thread_new(ep_proc *proc, void *ctx)
{
	ep_thread *t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	t->proc = proc;
	t->ctx = ctx;
	ep_world *w = proc->w;
	pthread_mutex_lock(&w->mu);
	t->next_all = w->threads;
	w->threads = t;
	pthread_mutex_unlock(&w->mu);
	return t;
}

void *ep_thread_ctx(const ep_thread *t)
{
	return t->ctx;
}

bool canceled(ep_thread *t)
{
	if (atomic_load(&t->proc->w->canceled)) {
		errno = ECANCELED;
		return true;
	}
	return false;
}

/* ---------------------------------------------------------------- descriptor tables */

static long table_index(const ep_proc *pr, int fd)
{
	for (size_t i = 0; i < pr->nfd; i++)
		if (pr->fds[i].fd == fd)
			return (long)i;
	return -1;
}

bool table_get(ep_world *w, const ep_proc *pr, int fd, fdent *out)
{
	pthread_mutex_lock(&w->tabmu);
	long i = table_index(pr, fd);
	if (i >= 0)
		*out = pr->fds[i];
	pthread_mutex_unlock(&w->tabmu);
	return i >= 0;
}

/* Appends (fd, p or f) to a table; false when out of memory. Called with world.mu held. */
bool table_add(ep_world *w, ep_proc *pr, int fd, port *p, ep_file *f)
{
	bool ok = true;
	pthread_mutex_lock(&w->tabmu);
	if (pr->nfd == pr->cap) {
		size_t cap = pr->cap ? pr->cap * 2 : 8;
		fdent *n = realloc(pr->fds, cap * sizeof(*n));
		if (n == NULL) {
			ok = false;
		} else {
			pr->fds = n;
			pr->cap = cap;
		}
	}
	if (ok) {
		pr->fds[pr->nfd].fd = fd;
		pr->fds[pr->nfd].p = p;
		pr->fds[pr->nfd].f = f;
		pr->nfd++;
	}
	pthread_mutex_unlock(&w->tabmu);
	return ok;
}

static bool table_remove(ep_world *w, ep_proc *pr, int fd, fdent *out)
{
	pthread_mutex_lock(&w->tabmu);
	long i = table_index(pr, fd);
	if (i >= 0) {
		*out = pr->fds[i];
		memmove(&pr->fds[i], &pr->fds[i + 1], (pr->nfd - (size_t)i - 1) * sizeof(fdent));
		pr->nfd--;
	}
	pthread_mutex_unlock(&w->tabmu);
	return i >= 0;
}

/* A new descriptor for p or f in pr: its number, or -1 with EMFILE/ENOMEM. world.mu held. */
static int table_open(ep_world *w, ep_proc *pr, port *p, ep_file *f)
{
	pthread_mutex_lock(&w->tabmu);
	bool full = (int64_t)pr->nfd >= w->lim.fd_max;
	pthread_mutex_unlock(&w->tabmu);
	if (full) {
		errno = EMFILE;
		return -1;
	}
	if (!table_add(w, pr, w->next_fd, p, f)) {
		errno = ENOMEM;
		return -1;
	}
	return w->next_fd++;
}

ep_proc *ep_fork(ep_proc *parent)
{
	ep_world *w = parent->w;
	ep_proc *c = ep_proc_new(w);
	if (c == NULL)
		return NULL;
	pthread_mutex_lock(&w->mu);
	for (size_t i = 0;; i++) {
		fdent e;
		pthread_mutex_lock(&w->tabmu);
		bool more = i < parent->nfd;
		if (more)
			e = parent->fds[i];
		pthread_mutex_unlock(&w->tabmu);
		if (!more || !table_add(w, c, e.fd, e.p, e.f))
			break;	/* out of memory: the child holds fewer descriptors */
		if (e.p != NULL)
			e.p->refs++;
		else
			e.f->refs++;
	}
	pthread_mutex_unlock(&w->mu);
	return c;
}

/*
 * The port behind fd in the caller's table, or NULL with EBADF (not open) or EBADFD (not a
 * port). The port may be closing by the time the caller locks it; each call checks that.
 */
port *lookup_port(ep_thread *t, int fd)
{
	fdent e;
	if (!table_get(t->proc->w, t->proc, fd, &e)) {
		errno = EBADF;
		return NULL;
	}
	if (e.p == NULL) {
		errno = EBADFD;
		return NULL;
	}
	return e.p;
}

/* The port a call on descriptor fd works on: NULL with ECANCELED, EBADF or EBADFD. */
port *call_port(ep_thread *t, int fd)
{
	return canceled(t) ? NULL : lookup_port(t, fd);
}

/* ---------------------------------------------------------------- queue */

static bool deliverable(ep_world *w, const evnode *e, const ep_proc *to)
{
	return (e->tm == NULL && e->as == NULL) || source_deliverable(w, e, to);
}

/* Queued events that process `to` may retrieve. Called with port.mu held. */
static unsigned count_for(ep_world *w, const port *p, const ep_proc *to)
{
	unsigned n = 0;
	for (const evnode *e = p->qhead; e != NULL; e = e->next)
		n += deliverable(w, e, to);
	return n;
}

static void serve_waiters(ep_world *w, port *p);

/* Queues e at the tail and serves the waiters it satisfies. Called with port.mu held. */
void append(ep_world *w, port *p, evnode *e)
{
	e->next = NULL;
	if (p->qtail != NULL)
		p->qtail->next = e;
	else
		p->qhead = e;
	p->qtail = e;
	p->nent++;
	serve_waiters(w, p);
}

/*
 * Unlinks e, whose predecessor is prev (NULL: e is the head), and frees it; a user event's
 * slot goes with it (a source's slot stays with its source). Called with port.mu held.
 */
void unlink_event(port *p, evnode *prev, evnode *e)
{
	if (prev != NULL)
		prev->next = e->next;
	else
		p->qhead = e->next;
	if (p->qtail == e)
		p->qtail = prev;
	p->nent--;
	if (e->tm != NULL)
		e->tm->queued = false;
	else if (e->as != NULL)
		e->as->ev = NULL;
	else
		p->curr--;
	free(e);
}

/* Unlinks the queued event e wherever it is. Called with port.mu held. */
void remove_event(port *p, evnode *e)
{
	evnode *prev = NULL;
	for (evnode *q = p->qhead; q != NULL; prev = q, q = q->next) {
		if (q == e) {
			unlink_event(p, prev, q);
			return;
		}
	}
}

/*
 * Moves up to max of the events process `to` may retrieve, oldest first, into list; the
 * others keep their places. Called with port.mu held.
 */
static unsigned take(ep_world *w, port *p, ep_event *list, unsigned max, const ep_proc *to)
{
	unsigned n = 0;
	evnode *prev = NULL, *e = p->qhead;
	while (n < max && e != NULL) {
		evnode *next = e->next;
		if (!deliverable(w, e, to)) {
			prev = e;
		} else {
			list[n] = e->ev;
			if (e->tm != NULL || e->as != NULL)
				source_take(e, &list[n]);
			n++;
			unlink_event(p, prev, e);
		}
		e = next;
	}
	return n;
}

static void discard_queue(port *p)
{
	while (p->qhead != NULL)
		unlink_event(p, NULL, p->qhead);
}

/* ---------------------------------------------------------------- waiters */

static void waiter_link(port *p, waiter *wt)
{
	wt->next = NULL;
	wt->prev = p->wtail;
	if (p->wtail != NULL)
		p->wtail->next = wt;
	else
		p->whead = wt;
	p->wtail = wt;
}

static void waiter_unlink(port *p, waiter *wt)
{
	if (wt->prev != NULL)
		wt->prev->next = wt->next;
	else
		p->whead = wt->next;
	if (wt->next != NULL)
		wt->next->prev = wt->prev;
	else
		p->wtail = wt->prev;
	wt->next = wt->prev = NULL;
}

/* Ends a waiter's sleep with res. Called with port.mu held, by whoever ends it. */
static void waiter_finish(ep_world *w, port *p, waiter *wt, wresult res)
{
	waiter_unlink(p, wt);
	wt->res = res;
	hook_wake(w, wt->t);
	pthread_cond_signal(&wt->cv);
}

/* Serves the waiters the queue can satisfy, oldest first. Called with port.mu held. */
static void serve_waiters(ep_world *w, port *p)
{
	waiter *wt = p->whead;
	while (wt != NULL && p->nent > 0) {
		waiter *next = wt->next;
		if (wt->nget <= count_for(w, p, wt->t->proc)) {
			wt->got = take(w, p, wt->list, wt->max, wt->t->proc);
			waiter_finish(w, p, wt, W_EVENTS);
		}
		wt = next;
	}
}

/* A waiter's deadline passed: a port_getn takes what is queued. Called with port.mu held. */
static void waiter_timeout(ep_world *w, port *p, waiter *wt)
{
	wt->got = take(w, p, wt->list, wt->max, wt->t->proc);
	waiter_finish(w, p, wt, W_TIMEOUT);
}

static void set_sleeping(ep_world *w, ep_thread *t, port *p, waiter *wt)
{
	pthread_mutex_lock(&w->smu);
	t->sleeping_on = p;
	t->wt = wt;
	pthread_mutex_unlock(&w->smu);
}

/*
 * Sleeps until the waiter's end is decided. Called with port.mu held and wt linked; returns
 * with port.mu held and wt unlinked.
 */
static void waiter_sleep(ep_world *w, port *p, waiter *wt)
{
	set_sleeping(w, wt->t, p, wt);
	hook_sleep(w, wt->t);
	while (wt->res == W_PENDING) {
		if (w->clock == EP_CLOCK_REAL && wt->deadline != NO_DEADLINE) {
			struct timespec ts = {
				.tv_sec = wt->deadline / NSEC_PER_SEC,
				.tv_nsec = wt->deadline % NSEC_PER_SEC,
			};
			int rc = pthread_cond_timedwait(&wt->cv, &p->mu, &ts);
			if (rc == ETIMEDOUT && wt->res == W_PENDING)
				waiter_timeout(w, p, wt);
		} else {
			pthread_cond_wait(&wt->cv, &p->mu);
		}
	}
	set_sleeping(w, wt->t, NULL, NULL);
}

/* A sleeper is back out of the port; the last one lets a waiting close go on. */
static void sleeper_left(ep_world *w, port *p)
{
	p->sleepers--;
	if (p->sleepers == 0 && p->closer != NULL && !p->closer_woken) {
		p->closer_woken = true;
		hook_wake(w, p->closer);
		pthread_cond_signal(&p->close_cv);
	}
}

/* ---------------------------------------------------------------- calls */

int ep_port_create(ep_thread *t)
{
	if (canceled(t))
		return -1;
	ep_world *w = t->proc->w;
	port *p = calloc(1, sizeof(*p));
	if (p == NULL) {
		errno = ENOMEM;
		return -1;
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->close_cv, NULL);

	pthread_mutex_lock(&w->mu);
	int fd = -1;
	if (w->nports + 1 > w->lim.port_max_ids)
		errno = EAGAIN;
	else
		fd = table_open(w, t->proc, p, NULL);
	if (fd < 0) {
		pthread_mutex_unlock(&w->mu);
		int err = errno;
		pthread_cond_destroy(&p->close_cv);
		pthread_mutex_destroy(&p->mu);
		free(p);
		errno = err;
		return -1;
	}
	p->refs = 1;
	w->nports++;
	p->next_all = w->ports;
	w->ports = p;
	pthread_mutex_unlock(&w->mu);
	return fd;
}

/* The last close of p, by t. Called with port.mu held; returns with it released. */
static void port_last_close(ep_world *w, port *p, ep_thread *t)
{
	p->closing = true;
	p->alert = false;
	while (p->whead != NULL)
		waiter_finish(w, p, p->whead, W_CLOSED);
	if (p->sleepers > 0) {
		p->closer = t;
		p->closer_woken = false;
		hook_sleep(w, t);
		while (!p->closer_woken)
			pthread_cond_wait(&p->close_cv, &p->mu);
		p->closer = NULL;
	}
	pthread_mutex_unlock(&p->mu);

	pthread_mutex_lock(&w->mu);
	pthread_mutex_lock(&p->mu);
	sources_close_port(w, p, t->proc, true);
	discard_queue(p);
	pthread_mutex_unlock(&p->mu);
	w->nports--;
	pthread_mutex_unlock(&w->mu);
}

int ep_close(ep_thread *t, int fd)
{
	if (canceled(t))
		return -1;
	ep_world *w = t->proc->w;
	pthread_mutex_lock(&w->mu);
	fdent e;
	if (!table_remove(w, t->proc, fd, &e)) {
		pthread_mutex_unlock(&w->mu);
		errno = EBADF;
		return -1;
	}
	if (e.f != NULL) {
		e.f->refs--;
		sources_close_file(w, t->proc, fd, e.f);
		pthread_mutex_unlock(&w->mu);
		return 0;
	}
	port *p = e.p;
	bool last = --p->refs == 0;
	pthread_mutex_lock(&p->mu);
	if (!last) {
		/* Per-process close: what this process set up on the port goes. */
		if (p->alert && p->alert_owner == t->proc)
			p->alert = false;
		sources_close_port(w, p, t->proc, false);
		pthread_mutex_unlock(&p->mu);
		pthread_mutex_unlock(&w->mu);
		return 0;
	}
	pthread_mutex_unlock(&w->mu);
	port_last_close(w, p, t);
	return 0;
}

/* port_send on one port: 0 or the errno. */
static int send_one(ep_thread *t, int fd, int events, void *user)
{
	ep_world *w = t->proc->w;
	port *p = lookup_port(t, fd);
	if (p == NULL)
		return errno;
	pthread_mutex_lock(&p->mu);
	int err = 0;
	if (p->closing)
		err = EBADF;	/* the descriptor was closed under us */
	else if (p->canceled)
		err = ECANCELED;
	else if (p->curr >= w->lim.port_max_events)
		err = EAGAIN;
	else {
		evnode *e = calloc(1, sizeof(*e));
		if (e == NULL) {
			err = ENOMEM;
		} else {
			e->ev.portev_events = events;
			e->ev.portev_source = EP_SOURCE_USER;
			e->ev.portev_object = 0;
			e->ev.portev_user = user;
			p->curr++;
			append(w, p, e);
		}
	}
	pthread_mutex_unlock(&p->mu);
	return err;
}

int ep_port_send(ep_thread *t, int port, int events, void *user)
{
	if (canceled(t))
		return -1;
	int err = send_one(t, port, events, user);
	return result(err);
}

int ep_port_sendn(ep_thread *t, const int ports[], int errors[], unsigned nent, int events, void *user)
{
	if (canceled(t))
		return -1;
	ep_world *w = t->proc->w;
	if (nent == 0 || (int64_t)nent > w->lim.port_max_list) {
		errno = EINVAL;
		return -1;
	}
	int *err = calloc(nent, sizeof(*err));
	if (err == NULL) {
		errno = ENOMEM;
		return -1;
	}
	unsigned sent = 0;
	for (unsigned i = 0; i < nent; i++) {
		err[i] = send_one(t, ports[i], events, user);
		if (err[i] == 0)
			sent++;
	}
	if (sent < nent)
		memcpy(errors, err, nent * sizeof(*err));
	free(err);
	return (int)sent;
}

int ep_port_alert(ep_thread *t, int fd, int flags, int events, void *user)
{
	ep_world *w = t->proc->w;
	port *p = call_port(t, fd);
	if (p == NULL)
		return -1;
	pthread_mutex_lock(&p->mu);
	int err = 0;
	if (p->closing) {
		err = EBADF;
	} else if (events == 0) {
		p->alert = false;	/* leaving alert mode looks at no flag */
	} else if ((flags & EP_ALERT_SET) && (flags & EP_ALERT_UPDATE)) {
		err = EINVAL;
	} else if (flags == EP_ALERT_UPDATE && p->alert) {
		err = EBUSY;
	} else {
		p->alert = true;
		p->alertev.portev_events = events;
		p->alertev.portev_source = EP_SOURCE_ALERT;
		p->alertev.portev_object = 0;
		p->alertev.portev_user = user;
		p->alert_owner = t->proc;
		/* Every waiter returns this alert, each its own copy. */
		while (p->whead != NULL) {
			waiter *wt = p->whead;
			wt->list[0] = p->alertev;
			wt->got = 1;
			waiter_finish(w, p, wt, W_ALERT);
		}
	}
	pthread_mutex_unlock(&p->mu);
	return result(err);
}

/*
 * port_get and port_getn. `one` is port_get: an expired or fruitless timed call is ETIME with
 * no event. *nget is written on success and on ETIME only (libc).
 */
static int getn(ep_thread *t, int fd, ep_event *list, unsigned max, unsigned *nget,
    const struct timespec *to, bool one)
{
	ep_world *w = t->proc->w;
	port *p = call_port(t, fd);
	if (p == NULL)
		return -1;
	unsigned want = *nget;
	if (want > max && max > 0) {
		errno = EINVAL;
		return -1;
	}
	pthread_mutex_lock(&p->mu);
	int err = 0;
	if (max == 0) {			/* how many events are queued */
		*nget = p->nent;
		goto out;
	}
	if (want == 0)
		goto out;
	if (p->closing) {
		err = EBADFD;
		goto out;
	}
	if (p->canceled) {
		err = ECANCELED;
		goto out;
	}
	if (p->alert) {
		list[0] = p->alertev;
		*nget = 1;
		goto out;
	}
	if (count_for(w, p, t->proc) >= want) {
		*nget = take(w, p, list, max, t->proc);
		goto out;
	}
	/* Fewer than wanted: only now does the timeout matter. */
	int64_t deadline = NO_DEADLINE;
	if (to != NULL) {
		if (timeout_invalid(to)) {
			err = EINVAL;
			goto out;
		}
		if (timeout_zero(to)) {
			unsigned n = take(w, p, list, max, t->proc);
			if (one && n == 0)
				err = ETIME;
			else
				*nget = n;
			goto out;
		}
		deadline = deadline_from(clock_now(w), to);
		if (deadline != NO_DEADLINE && deadline <= clock_now(w)) {
			unsigned n = take(w, p, list, max, t->proc);
			*nget = n;
			err = ETIME;
			goto out;
		}
	}

	waiter wt = { .t = t, .max = max, .nget = want, .list = list, .deadline = deadline,
		.res = W_PENDING };
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&wt.cv, &ca);
	pthread_condattr_destroy(&ca);
	waiter_link(p, &wt);
	p->sleepers++;
	waiter_sleep(w, p, &wt);
	sleeper_left(w, p);
	pthread_cond_destroy(&wt.cv);
	switch (wt.res) {
	case W_EVENTS:
	case W_ALERT:
		*nget = wt.got;
		break;
	case W_TIMEOUT:
		*nget = wt.got;
		err = ETIME;
		break;
	case W_INTR:
		err = EINTR;
		break;
	case W_CLOSED:
		err = EBADFD;
		break;
	case W_CANCELED:
	case W_PENDING:
		err = ECANCELED;
		break;
	}
out:
	pthread_mutex_unlock(&p->mu);
	return result(err);
}

int ep_port_get(ep_thread *t, int port, ep_event *pe, const struct timespec *timeout)
{
	unsigned nget = 1;
	int r = getn(t, port, pe, 1, &nget, timeout, true);
	if (r == 0 && nget == 0) {	/* cannot happen: a port_get that returns has its event */
		errno = ETIME;
		return -1;
	}
	return r;
}

int ep_port_getn(ep_thread *t, int port, ep_event list[], unsigned max, unsigned *nget,
    const struct timespec *timeout)
{
	if (nget == NULL) {
		errno = EINVAL;
		return -1;
	}
	return getn(t, port, list, max, nget, timeout, false);
}

void ep_exit(ep_thread *t)
{
	ep_world *w = t->proc->w;
	for (;;) {
		pthread_mutex_lock(&w->tabmu);
		int fd = t->proc->nfd > 0 ? t->proc->fds[0].fd : -1;
		pthread_mutex_unlock(&w->tabmu);
		if (fd < 0 || ep_close(t, fd) != 0)
			return;
	}
}

/* ---------------------------------------------------------------- environment */

void ep_advance(ep_world *w, int64_t ms)
{
	if (w->clock != EP_CLOCK_VIRTUAL || ms <= 0)
		return;
	int64_t d = ms > INT64_MAX / 1000000 ? INT64_MAX : ms * 1000000;
	atomic_store(&w->now, sat_add(atomic_load(&w->now), d));
	int64_t now = atomic_load(&w->now);
	pthread_mutex_lock(&w->mu);
	for (port *p = w->ports; p != NULL; p = p->next_all) {
		pthread_mutex_lock(&p->mu);
		waiter *wt = p->whead;
		while (wt != NULL) {
			waiter *next = wt->next;
			if (wt->deadline != NO_DEADLINE && wt->deadline <= now)
				waiter_timeout(w, p, wt);
			wt = next;
		}
		pthread_mutex_unlock(&p->mu);
	}
	pthread_mutex_unlock(&w->mu);
}

void ep_interrupt(ep_thread *t)
{
	ep_world *w = t->proc->w;
	pthread_mutex_lock(&w->smu);
	port *p = t->sleeping_on;
	pthread_mutex_unlock(&w->smu);
	if (p == NULL)
		return;		/* not in an interruptible sleep: the signal changes nothing here */
	pthread_mutex_lock(&p->mu);
	if (t->sleeping_on == p && t->wt != NULL && t->wt->res == W_PENDING)
		waiter_finish(w, p, t->wt, W_INTR);
	pthread_mutex_unlock(&p->mu);
}

void ep_world_abandon(ep_world *w)
{
	atomic_store(&w->canceled, true);
	pthread_mutex_lock(&w->mu);
	for (port *p = w->ports; p != NULL; p = p->next_all) {
		pthread_mutex_lock(&p->mu);
		p->canceled = true;
		while (p->whead != NULL)
			waiter_finish(w, p, p->whead, W_CANCELED);
		pthread_mutex_unlock(&p->mu);
	}
	pthread_mutex_unlock(&w->mu);
}

void ep_world_free(ep_world *w)
{
	if (w == NULL)
		return;
	while (w->ports != NULL) {
		port *p = w->ports;
		w->ports = p->next_all;
		discard_queue(p);
		pthread_cond_destroy(&p->close_cv);
		pthread_mutex_destroy(&p->mu);
		free(p);
	}
	sources_free(w);
	while (w->procs != NULL) {
		ep_proc *pr = w->procs;
		w->procs = pr->next_all;
		free(pr->fds);
		free(pr);
	}
	while (w->threads != NULL) {
		ep_thread *t = w->threads;
		w->threads = t->next_all;
		free(t);
	}
	pthread_mutex_destroy(&w->smu);
	pthread_mutex_destroy(&w->tabmu);
	pthread_mutex_destroy(&w->mu);
	free(w);
}
