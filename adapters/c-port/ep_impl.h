/*
 * ep_impl.h - the structures ep.c (ports, queues, waiters, descriptor tables) and
 * ep_sources.c (timers, pollable objects and their associations) share. Not part of the API.
 *
 * Locks, and what each protects:
 *   world.mu    the lists of the world (ports, processes, threads), the timers of each
 *               process, the association lists of ports and objects, reference counts,
 *               the port count and the next descriptor number.
 *   port.mu     everything inside one port: queue, waiters, alert, close state, and the
 *               per-event state of its timers and associations.
 *   world.tabmu the descriptor tables (a leaf: held only to read or change a table).
 *   world.smu   ep_thread.sleeping_on (a leaf).
 * Order: world.mu -> port.mu -> world.tabmu / world.smu -> the hooks' locks. Nothing takes
 * world.mu while it holds a port mutex. Ports, objects and timers live until the world is
 * freed, so a pointer to one never dangles.
 */
#ifndef EP_IMPL_H
#define EP_IMPL_H

#include "ep.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#define EP_SOURCE_FD 4		/* sys/port.h PORT_SOURCE_FD */
#define EP_SOURCE_FILE 7	/* sys/port.h PORT_SOURCE_FILE */
#define EP_POLLERR 0x0008	/* sys/poll.h */
#define EP_POLLHUP 0x0010

typedef struct port port;
typedef struct assoc assoc;
typedef struct ep_timer ep_timer;

typedef struct evnode {
	ep_event ev;
	ep_timer *tm;		/* a timer's expiry event, or NULL */
	assoc *as;		/* an association's fired event, or NULL */
	struct evnode *next;
} evnode;

typedef enum { W_PENDING, W_EVENTS, W_ALERT, W_TIMEOUT, W_INTR, W_CLOSED, W_CANCELED } wresult;

typedef struct waiter {
	ep_thread *t;
	unsigned max, nget;
	ep_event *list;
	int64_t deadline;	/* on the world clock, ns; NO_DEADLINE waits for ever */
	wresult res;		/* set once, by whoever ends the wait */
	unsigned got;		/* events written to list */
	pthread_cond_t cv;
	struct waiter *next, *prev;
} waiter;

struct port {
	pthread_mutex_t mu;
	/* protected by mu */
	evnode *qhead, *qtail;
	unsigned nent;		/* queued events */
	int64_t curr;		/* slots held, of port_max_events: user events, timers, associations */
	waiter *whead, *wtail;
	unsigned sleepers;	/* threads that went to sleep here and are not back out yet */
	bool closing;		/* last close in progress or done */
	bool canceled;		/* the world was abandoned */
	bool alert;
	ep_event alertev;
	ep_proc *alert_owner;
	ep_thread *closer;	/* the last close, while it waits for the sleepers to leave */
	bool closer_woken;
	pthread_cond_t close_cv;
	bool had_fd;		/* some descriptor was ever associated with this port */
	/* changed under world.mu and mu */
	assoc *assocs;
	/* protected by world.mu */
	int refs;		/* descriptor-table entries (all processes) referring to the port */
	port *next_all;
};

/*
 * A timer notifying a port (timer_create with SIGEV_PORT). It holds one slot of the port for
 * its life; an expiry queues one event, and expiries while that event waits are counted into
 * it: the event delivers the number of expirations. Only the owner process can retrieve it.
 * Closing the port in the owner process detaches the timer, which then expires into nothing.
 */
struct ep_timer {
	int id;			/* per process, from 0 */
	ep_proc *owner;
	void *user;
	port *p;		/* changed under world.mu and p's mu; NULL: detached */
	/* protected by p's mutex */
	unsigned pending;	/* expirations since the last delivery */
	bool queued;
	ep_timer *next;		/* the owner's list */
};

/* A pollable object (a pipe's read end, say): what fd_open opens. */
struct ep_file {
	ep_world *w;
	int ready;		/* poll bits; protected by world.mu */
	int refs;		/* descriptor-table entries referring to it; world.mu */
	assoc *assocs;		/* associations watching it (all ports); world.mu */
	ep_file *next_all;
};

/*
 * An association of (descriptor number, object) with a port, owned by the process that made
 * it first. It holds one slot for its life; armed, it fires once (queues one event with the
 * bits that happened) and is disarmed until associated again.
 */
struct assoc {
	port *p;
	int fd;
	ep_file *file;
	ep_proc *owner;
	/* protected by p's mutex */
	int mask;
	void *user;
	bool armed;
	evnode *ev;		/* its fired event while queued */
	assoc *pnext;		/* p->assocs */
	assoc *fnext;		/* file->assocs */
};

typedef struct fdent {
	int fd;
	port *p;		/* exactly one of p and f */
	ep_file *f;
} fdent;

struct ep_proc {
	ep_world *w;
	fdent *fds;		/* world.tabmu; sorted by fd (numbers only grow, fork copies in order) */
	size_t nfd, cap;
	ep_timer *timers;	/* world.mu */
	int next_timer;
	ep_proc *next_all;
};

struct ep_thread {
	ep_proc *proc;
	void *ctx;
	/* written under the port's mu and world.smu; read under either */
	port *sleeping_on;
	waiter *wt;
	ep_thread *next_all;
};

struct ep_world {
	pthread_mutex_t mu;
	pthread_mutex_t tabmu;
	pthread_mutex_t smu;
	ep_limits lim;
	ep_clock_kind clock;
	ep_hooks hooks;
	_Atomic int64_t now;	/* virtual clock, ns */
	atomic_bool canceled;
	int next_fd;		/* descriptor numbers are never reused within a world */
	int64_t nports;		/* ports not yet last-closed, system-wide */
	port *ports;
	ep_proc *procs;
	ep_thread *threads;
	ep_file *files;
};

/* A call's return: 0, or -1 with errno = err. */
static inline int result(int err)
{
	if (err != 0) {
		errno = err;
		return -1;
	}
	return 0;
}

/* ep.c */
bool table_get(ep_world *w, const ep_proc *pr, int fd, fdent *out);
bool table_add(ep_world *w, ep_proc *pr, int fd, port *p, ep_file *f);
bool canceled(ep_thread *t);
port *lookup_port(ep_thread *t, int fd);
port *call_port(ep_thread *t, int fd);
void append(ep_world *w, port *p, evnode *e);
void unlink_event(port *p, evnode *prev, evnode *e);
void remove_event(port *p, evnode *e);

/* ep_sources.c */
bool source_deliverable(ep_world *w, const evnode *e, const ep_proc *to);
void source_take(evnode *e, ep_event *out);
void sources_close_port(ep_world *w, port *p, const ep_proc *closer, bool last);
void sources_close_file(ep_world *w, ep_proc *closer, int fd, ep_file *f);
void sources_free(ep_world *w);

#endif
