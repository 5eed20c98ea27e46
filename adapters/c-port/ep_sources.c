/*
 * ep_sources.c - event sources other than port_send: timers (timer_create(3C) with a
 * SIGEV_PORT notification) and pollable objects associated with ports (port_associate(3C),
 * PORT_SOURCE_FD).
 *
 * Design
 *
 *  - A source holds one slot of its port for its life (port_max_events), queued or not:
 *    a timer from timer_create until its owner closes the port; an association from
 *    port_associate until it is dissociated, its descriptor is closed by its owner, or its
 *    owner closes the port. Its events never take a slot of their own.
 *  - Each source has at most one event queued. A timer that expires while its event waits
 *    counts the expiry into it (the event delivers the number of expirations). An armed
 *    association fires once, with the bits that happened and that it asked for (POLLHUP and
 *    POLLERR are always reportable), and stays disarmed until associated again.
 *  - Who may retrieve: a timer's event only its owner; an association's event its owner, or
 *    a process where the same descriptor number refers to the same object (inherited by
 *    fork and still open). The port's queue keeps an event where it is for the others.
 *  - An association is keyed by (descriptor number, object) per port and owned by the process
 *    that made it first; a later port_associate of the same key (from any process sharing it)
 *    removes the queued event, takes the new mask and cookie, re-arms and polls at once.
 *
 * Locks: ep_impl.h. Creating, re-keying or removing a source takes world.mu, then the port's
 * mutex; firing and delivery need only the port's mutex (plus the table lock to ask whether a
 * process holds a descriptor).
 */
#include "ep_impl.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>

/* ---------------------------------------------------------------- delivery */

bool source_deliverable(ep_world *w, const evnode *e, const ep_proc *to)
{
	if (e->tm != NULL)
		return e->tm->owner == to;
	const assoc *as = e->as;
	if (as->owner == to)
		return true;
	fdent d;
	return table_get(w, to, as->fd, &d) && d.f == as->file;
}

/* Fills in what a source decides at delivery. Called with port.mu held. */
void source_take(evnode *e, ep_event *out)
{
	if (e->tm != NULL) {
		out->portev_events = (int)e->tm->pending;
		e->tm->pending = 0;
	}
}

/* ---------------------------------------------------------------- timers */

int ep_timer_create(ep_thread *t, int fd, void *user)
{
	if (canceled(t))
		return -1;
	ep_world *w = t->proc->w;
	ep_timer *tm = calloc(1, sizeof(*tm));
	if (tm == NULL) {
		errno = ENOMEM;
		return -1;
	}
	int err = 0;
	pthread_mutex_lock(&w->mu);
	port *p = lookup_port(t, fd);
	if (p == NULL) {
		err = errno;
	} else {
		pthread_mutex_lock(&p->mu);
		if (p->closing)
			err = EBADF;
		else if (p->curr >= w->lim.port_max_events)
			err = EAGAIN;	/* the timer's slot */
		else {
			p->curr++;
			tm->p = p;
		}
		pthread_mutex_unlock(&p->mu);
	}
	if (err != 0) {
		pthread_mutex_unlock(&w->mu);
		free(tm);
		errno = err;
		return -1;
	}
	tm->id = t->proc->next_timer++;
	tm->owner = t->proc;
	tm->user = user;
	tm->next = t->proc->timers;
	t->proc->timers = tm;
	pthread_mutex_unlock(&w->mu);
	return tm->id;
}

int ep_timer_expire(ep_proc *owner, int id)
{
	ep_world *w = owner->w;
	pthread_mutex_lock(&w->mu);
	ep_timer *tm = owner->timers;
	while (tm != NULL && tm->id != id)
		tm = tm->next;
	if (tm == NULL) {
		pthread_mutex_unlock(&w->mu);
		errno = EINVAL;
		return -1;
	}
	port *p = tm->p;
	if (p != NULL) {
		pthread_mutex_lock(&p->mu);
		if (tm->queued) {
			tm->pending++;	/* an overrun: the queued event counts it */
		} else {
			evnode *e = calloc(1, sizeof(*e));
			if (e != NULL) {
				e->tm = tm;
				e->ev.portev_source = EP_SOURCE_TIMER;
				e->ev.portev_object = (uintptr_t)tm->id;
				e->ev.portev_user = tm->user;
				tm->pending = 1;
				tm->queued = true;
				append(w, p, e);
			}
		}
		pthread_mutex_unlock(&p->mu);
	}
	pthread_mutex_unlock(&w->mu);
	return 0;
}

/* ---------------------------------------------------------------- pollable objects */

ep_file *ep_fd_open(ep_proc *pr, int *fd)
{
	ep_world *w = pr->w;
	ep_file *f = calloc(1, sizeof(*f));
	if (f == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	f->w = w;
	pthread_mutex_lock(&w->mu);
	pthread_mutex_lock(&w->tabmu);
	bool full = (int64_t)pr->nfd >= w->lim.fd_max;
	pthread_mutex_unlock(&w->tabmu);
	if (full || !table_add(w, pr, w->next_fd, NULL, f)) {
		pthread_mutex_unlock(&w->mu);
		free(f);
		errno = full ? EMFILE : ENOMEM;
		return NULL;
	}
	*fd = w->next_fd++;
	f->refs = 1;
	f->next_all = w->files;
	w->files = f;
	pthread_mutex_unlock(&w->mu);
	return f;
}

/* An armed association fires with bits. Called with its port's mutex held. */
static void fire(ep_world *w, assoc *as, int bits)
{
	evnode *e = calloc(1, sizeof(*e));
	if (e == NULL)
		return;		/* out of memory: the association stays armed */
	as->armed = false;
	e->as = as;
	e->ev.portev_source = EP_SOURCE_FD;
	e->ev.portev_events = bits;
	e->ev.portev_object = (uintptr_t)as->fd;
	e->ev.portev_user = as->user;
	as->ev = e;
	append(w, as->p, e);
}

static int reportable(const assoc *as, int bits)
{
	return bits & (as->mask | EP_POLLHUP | EP_POLLERR);
}

void ep_fd_ready(ep_file *f, int events)
{
	ep_world *w = f->w;
	pthread_mutex_lock(&w->mu);
	f->ready |= events;
	for (assoc *as = f->assocs; as != NULL; as = as->fnext) {
		pthread_mutex_lock(&as->p->mu);
		if (as->armed && reportable(as, events) != 0)
			fire(w, as, reportable(as, events));
		pthread_mutex_unlock(&as->p->mu);
	}
	pthread_mutex_unlock(&w->mu);
}

void ep_fd_clear(ep_file *f)
{
	pthread_mutex_lock(&f->w->mu);
	f->ready = 0;
	pthread_mutex_unlock(&f->w->mu);
}

/* ---------------------------------------------------------------- associations */

/* The association of (fd, f) on p, or NULL. Called with world.mu or p's mutex held. */
static assoc *assoc_find(const port *p, int fd, const ep_file *f)
{
	for (assoc *as = p->assocs; as != NULL; as = as->pnext)
		if (as->fd == fd && as->file == f)
			return as;
	return NULL;
}

/*
 * Removes an association with its queued event and frees its slot; true if it was active
 * (armed, or its event queued). Called with world.mu and its port's mutex held.
 */
static bool assoc_remove(assoc *as)
{
	port *p = as->p;
	bool active = as->armed || as->ev != NULL;
	if (as->ev != NULL)
		remove_event(p, as->ev);
	for (assoc **pp = &p->assocs; *pp != NULL; pp = &(*pp)->pnext) {
		if (*pp == as) {
			*pp = as->pnext;
			break;
		}
	}
	for (assoc **fp = &as->file->assocs; *fp != NULL; fp = &(*fp)->fnext) {
		if (*fp == as) {
			*fp = as->fnext;
			break;
		}
	}
	p->curr--;
	free(as);
	return active;
}

/* The object behind descriptor `object` of the caller, or NULL (EBADFD). */
static ep_file *object_file(ep_thread *t, uintptr_t object)
{
	fdent d;
	if (object > INT_MAX || !table_get(t->proc->w, t->proc, (int)object, &d) || d.f == NULL)
		return NULL;
	return d.f;
}

static int source_check(int source)
{
	if (source == EP_SOURCE_FD)
		return 0;
	return source == EP_SOURCE_FILE ? ENOTSUP : EINVAL;
}

int ep_port_associate(ep_thread *t, int fd, int source, uintptr_t object, int events, void *user)
{
	ep_world *w = t->proc->w;
	port *p = call_port(t, fd);
	if (p == NULL)
		return -1;
	int err = source_check(source);
	pthread_mutex_lock(&w->mu);
	ep_file *f = NULL;
	if (err == 0 && (f = object_file(t, object)) == NULL)
		err = EBADFD;
	if (err != 0) {
		pthread_mutex_unlock(&w->mu);
		return result(err);
	}
	pthread_mutex_lock(&p->mu);
	assoc *as = assoc_find(p, (int)object, f);
	if (p->closing) {
		err = EBADF;
	} else if (as != NULL) {
		if (as->ev != NULL)
			remove_event(p, as->ev);	/* the old arming's event is not delivered */
	} else if (p->curr >= w->lim.port_max_events) {
		err = EAGAIN;
	} else if ((as = calloc(1, sizeof(*as))) == NULL) {
		err = ENOMEM;
	} else {
		as->p = p;
		as->fd = (int)object;
		as->file = f;
		as->owner = t->proc;
		as->pnext = p->assocs;
		p->assocs = as;
		as->fnext = f->assocs;
		f->assocs = as;
		p->curr++;
		p->had_fd = true;
	}
	if (err == 0) {
		as->mask = events;
		as->user = user;
		as->armed = true;
		if (reportable(as, f->ready) != 0)
			fire(w, as, reportable(as, f->ready));
	}
	pthread_mutex_unlock(&p->mu);
	pthread_mutex_unlock(&w->mu);
	return result(err);
}

int ep_port_dissociate(ep_thread *t, int fd, int source, uintptr_t object)
{
	ep_world *w = t->proc->w;
	port *p = call_port(t, fd);
	if (p == NULL)
		return -1;
	pthread_mutex_lock(&w->mu);
	int err;
	if ((err = source_check(source)) != 0) {
		if (err == ENOTSUP)
			err = EINVAL;	/* nothing of this source was ever associated */
	} else if (object > INT_MAX) {
		err = EBADFD;
	} else {
		pthread_mutex_lock(&p->mu);
		ep_file *f;
		assoc *as;
		if (!p->had_fd)
			err = ENOENT;
		else if ((f = object_file(t, object)) == NULL)
			err = EBADFD;
		else if ((as = assoc_find(p, (int)object, f)) == NULL)
			err = ENOENT;
		else if (as->owner != t->proc)
			err = EACCES;
		else if (!assoc_remove(as))
			err = ENOENT;	/* removed, but it had already fired and been retrieved */
		pthread_mutex_unlock(&p->mu);
	}
	pthread_mutex_unlock(&w->mu);
	return result(err);
}

/* ---------------------------------------------------------------- close and teardown */

/*
 * Process `closer` closed its descriptor of p: its timers and associations on p go (all of
 * them when this was the last close). Called with world.mu and p's mutex held.
 */
void sources_close_port(ep_world *w, port *p, const ep_proc *closer, bool last)
{
	for (ep_proc *pr = w->procs; pr != NULL; pr = pr->next_all) {
		if (!last && pr != closer)
			continue;
		for (ep_timer *tm = pr->timers; tm != NULL; tm = tm->next) {
			if (tm->p != p)
				continue;
			if (tm->queued) {
				for (evnode *e = p->qhead; e != NULL; e = e->next) {
					if (e->tm == tm) {
						remove_event(p, e);
						break;
					}
				}
			}
			tm->p = NULL;
			p->curr--;
		}
	}
	assoc *as = p->assocs;
	while (as != NULL) {
		assoc *next = as->pnext;
		if (last || as->owner == closer)
			assoc_remove(as);
		as = next;
	}
}

/*
 * Process `closer` closed descriptor fd of object f: the associations it owns for that
 * descriptor go, on every port. Called with world.mu held.
 */
void sources_close_file(ep_world *w, ep_proc *closer, int fd, ep_file *f)
{
	(void)w;
	assoc *as = f->assocs;
	while (as != NULL) {
		assoc *next = as->fnext;
		if (as->fd == fd && as->owner == closer) {
			port *p = as->p;
			pthread_mutex_lock(&p->mu);
			assoc_remove(as);
			pthread_mutex_unlock(&p->mu);
		}
		as = next;
	}
}

/* Frees every timer, association and object; the ports' queues are already gone. */
void sources_free(ep_world *w)
{
	for (ep_proc *pr = w->procs; pr != NULL; pr = pr->next_all) {
		while (pr->timers != NULL) {
			ep_timer *tm = pr->timers;
			pr->timers = tm->next;
			free(tm);
		}
	}
	while (w->files != NULL) {
		ep_file *f = w->files;
		w->files = f->next_all;
		while (f->assocs != NULL) {
			assoc *as = f->assocs;
			f->assocs = as->fnext;
			free(as);
		}
		free(f);
	}
}
