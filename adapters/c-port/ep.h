/*
 * ep.h - event ports, a second implementation (user space, POSIX threads).
 *
 * Written from the man pages' contract: port_create(3C), port_send(3C)/port_sendn,
 * port_alert(3C), port_get(3C)/port_getn, close(2). It simulates a small system: a world holds
 * processes, each with its own descriptor table; a thread belongs to one process; a port is an
 * open file that descriptors of several processes may share (fork copies a table).
 *
 * Calls follow the C API: they return -1 and set errno (the calling pthread's own) on failure.
 * Every call takes the calling thread's context first, because a simulated process is not a
 * real one: the context names the process whose descriptor table the call uses, and is the
 * thing port_alert's owner, a signal (ep_interrupt) and the driver's hooks refer to.
 *
 * Time comes from a seam: EP_CLOCK_REAL waits with CLOCK_MONOTONIC deadlines; EP_CLOCK_VIRTUAL
 * has a clock that only ep_advance moves (a timed wait sleeps until woken, and ep_advance times
 * out the waits whose deadline it passes), so runs are deterministic.
 *
 * Hooks report exactly when a thread is asleep with nothing pending (`sleep`) and when someone
 * ends that sleep (`wake`, called by the waker, so the thread counts as runnable before it has
 * run). Both are called with the port's mutex held, and must not call back into this library.
 */
#ifndef EP_H
#define EP_H

#include <stdint.h>
#include <time.h>

#define EP_SOURCE_TIMER 2	/* sys/port.h PORT_SOURCE_TIMER */
#define EP_SOURCE_USER 3	/* sys/port.h PORT_SOURCE_USER */
#define EP_SOURCE_ALERT 5	/* sys/port.h PORT_SOURCE_ALERT */
#define EP_ALERT_SET 1		/* sys/port.h PORT_ALERT_SET */
#define EP_ALERT_UPDATE 2	/* sys/port.h PORT_ALERT_UPDATE */

/* port_event_t */
typedef struct ep_event {
	int portev_events;
	unsigned short portev_source;
	uintptr_t portev_object;
	void *portev_user;
} ep_event;

typedef struct ep_limits {
	int64_t port_max_events;	/* events a port may hold (process.max-port-events) */
	int64_t port_max_ids;		/* ports that may exist at once (project.max-port-ids) */
	int64_t port_max_list;		/* entries of one port_sendn */
	int64_t fd_max;			/* descriptors a process may hold open (EMFILE beyond) */
} ep_limits;

typedef enum { EP_CLOCK_REAL, EP_CLOCK_VIRTUAL } ep_clock_kind;

typedef struct ep_world ep_world;
typedef struct ep_proc ep_proc;
typedef struct ep_thread ep_thread;
typedef struct ep_file ep_file;

typedef struct ep_hooks {
	void (*sleep)(void *ctx, ep_thread *t);
	void (*wake)(void *ctx, ep_thread *t);
	void *ctx;
} ep_hooks;

ep_world *ep_world_new(const ep_limits *lim, ep_clock_kind clock, const ep_hooks *hooks);
/*
 * Ends the world: every thread asleep in a call (and every later call) returns -1 with
 * ECANCELED. The caller joins its threads, then calls ep_world_free.
 */
void ep_world_abandon(ep_world *w);
void ep_world_free(ep_world *w);

ep_proc *ep_proc_new(ep_world *w);
/* fork(2) of the descriptor table: the child holds every port the parent holds, same numbers. */
ep_proc *ep_fork(ep_proc *parent);
ep_thread *ep_thread_new(ep_proc *p, void *ctx);
void *ep_thread_ctx(const ep_thread *t);

/* Virtual clock only: time moves forward by ms (saturating); expired waits time out. */
void ep_advance(ep_world *w, int64_t ms);
/* A signal reaches t: a wait in port_get/port_getn ends with EINTR; otherwise nothing. */
void ep_interrupt(ep_thread *t);

int ep_port_create(ep_thread *t);
int ep_close(ep_thread *t, int fd);
int ep_port_send(ep_thread *t, int port, int events, void *user);
/* errors[] is written (all nent entries) only when some entry failed. */
int ep_port_sendn(ep_thread *t, const int ports[], int errors[], unsigned nent, int events, void *user);
int ep_port_alert(ep_thread *t, int port, int flags, int events, void *user);
int ep_port_get(ep_thread *t, int port, ep_event *pe, const struct timespec *timeout);
/* libc semantics: *nget is left alone on an error other than ETIME. */
int ep_port_getn(ep_thread *t, int port, ep_event list[], unsigned max, unsigned *nget,
    const struct timespec *timeout);
/*
 * timer_create(3C) with a SIGEV_PORT notification to `port`: returns the timer's id (per
 * process, from 0). ep_timer_expire is one expiry of the owner's timer `id` (EINVAL: no such
 * timer); a timer whose port was closed by its owner expires into nothing.
 */
int ep_timer_create(ep_thread *t, int port, void *user);
int ep_timer_expire(ep_proc *owner, int id);
/*
 * A pollable object opened in process p (like a pipe's read end), not ready, at a new
 * descriptor (*fd); NULL with EMFILE or ENOMEM. ep_fd_ready adds poll bits to its readiness
 * and wakes its associations with exactly those bits; ep_fd_clear makes it not ready.
 * Both act on the object even after its descriptors are closed.
 */
ep_file *ep_fd_open(ep_proc *p, int *fd);
void ep_fd_ready(ep_file *f, int events);
void ep_fd_clear(ep_file *f);
/* port_associate(3C) / port_dissociate: PORT_SOURCE_FD only (PORT_SOURCE_FILE is ENOTSUP). */
int ep_port_associate(ep_thread *t, int port, int source, uintptr_t object, int events, void *user);
int ep_port_dissociate(ep_thread *t, int port, int source, uintptr_t object);
/* exit(2): every descriptor of t's process is closed, in ascending order. */
void ep_exit(ep_thread *t);

#endif
