/*
 * unit.c - ep.h on the real clock (EP_CLOCK_REAL), which the protocol driver never uses:
 * timed waits that expire on their own, a waiter woken across pthreads, the last close
 * ending a waiter, and the sleep/wake hooks pairing up. Results are checked, never times.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../ep.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int asleep;		/* sleeps reported and not yet ended */
static int sleeps, wakes;
static int failures;

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		failures++; \
		fprintf(stderr, "unit.c:%d: %s: ", __LINE__, #cond); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
	} \
} while (0)

static void on_sleep(void *ctx, ep_thread *t)
{
	(void)ctx; (void)t;
	pthread_mutex_lock(&mu);
	asleep++;
	sleeps++;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
}

static void on_wake(void *ctx, ep_thread *t)
{
	(void)ctx; (void)t;
	pthread_mutex_lock(&mu);
	asleep--;
	wakes++;
	pthread_mutex_unlock(&mu);
}

static void wait_asleep(int n)
{
	pthread_mutex_lock(&mu);
	while (asleep < n)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
}

typedef struct {
	ep_thread *t;
	int port;
	struct timespec to;
	int use_to;
	int rc, err;
	ep_event ev;
} getter;

static void *get_main(void *arg)
{
	getter *g = arg;
	g->rc = ep_port_get(g->t, g->port, &g->ev, g->use_to ? &g->to : NULL);
	g->err = g->rc < 0 ? errno : 0;
	return NULL;
}

int main(void)
{
	ep_limits lim = { 65536, 8192, 8192, 256 };
	ep_hooks hooks = { on_sleep, on_wake, NULL };
	ep_world *w = ep_world_new(&lim, EP_CLOCK_REAL, &hooks);
	ep_proc *p = ep_proc_new(w);
	ep_thread *main_t = ep_thread_new(p, NULL);
	int port = ep_port_create(main_t);
	CHECK(port >= 0, "port_create: %s", strerror(errno));

	/* A timed port_get with nothing queued times out by itself: ETIME, nothing written. */
	ep_event ev;
	memset(&ev, 0, sizeof(ev));
	struct timespec short_to = { 0, 20 * 1000 * 1000 };
	int rc = ep_port_get(main_t, port, &ev, &short_to);
	CHECK(rc == -1 && errno == ETIME, "rc %d errno %s", rc, strerror(errno));

	/* A timed port_getn takes what is there when it expires: ETIME, nget 1. */
	static char user[] = "u";
	CHECK(ep_port_send(main_t, port, 5, user) == 0, "port_send: %s", strerror(errno));
	ep_event list[4];
	unsigned nget = 2;
	rc = ep_port_getn(main_t, port, list, 4, &nget, &short_to);
	CHECK(rc == -1 && errno == ETIME && nget == 1, "rc %d errno %s nget %u", rc,
	    strerror(errno), nget);
	CHECK(list[0].portev_events == 5 && list[0].portev_user == user &&
	    list[0].portev_source == EP_SOURCE_USER, "event %d", list[0].portev_events);

	/* A waiter on another pthread, woken by a send. */
	getter g = { .t = ep_thread_new(p, NULL), .port = port };
	pthread_t pt;
	pthread_create(&pt, NULL, get_main, &g);
	wait_asleep(1);
	CHECK(ep_port_send(main_t, port, 6, user) == 0, "port_send: %s", strerror(errno));
	pthread_join(pt, NULL);
	CHECK(g.rc == 0 && g.ev.portev_events == 6, "rc %d err %s events %d", g.rc,
	    strerror(g.err), g.ev.portev_events);

	/* A waiter with a long timeout, ended by the last close: EBADFD, then EBADF. */
	getter h = { .t = ep_thread_new(p, NULL), .port = port, .to = { 3600, 0 }, .use_to = 1 };
	pthread_create(&pt, NULL, get_main, &h);
	wait_asleep(1);
	CHECK(ep_close(main_t, port) == 0, "close: %s", strerror(errno));
	pthread_join(pt, NULL);
	CHECK(h.rc == -1 && h.err == EBADFD, "rc %d err %s", h.rc, strerror(h.err));
	rc = ep_port_send(main_t, port, 1, user);
	CHECK(rc == -1 && errno == EBADF, "rc %d errno %s", rc, strerror(errno));

	/* Every reported sleep was ended exactly once. */
	CHECK(sleeps == wakes && asleep == 0, "sleeps %d wakes %d", sleeps, wakes);
	ep_world_free(w);
	if (failures == 0)
		printf("PASS unit.c (%d sleeps)\n", sleeps);
	return failures ? 1 : 0;
}
