/**
 * The portfs protocol of illumos event ports, port.c step for step (the seed, port.c:N; see
 * SOURCES.md), with the parts of port_subr.c, port_vnops.c and fio.c it calls.
 *
 * <h2>Objects</h2>
 * <pre>
 * PortSystem   port_control_t and the rest of the kernel a port call reaches: the process
 *              table, pc_mutex + pc_nents (ports in the system), the limits (rctls), the
 *              profile, the scheduler seam (eventports.sched) and the tracer.
 * Proc         a process: pid, descriptor table and its threads in calls; its methods are
 *              the user-level API of port(3C) and of the descriptor calls, one system call
 *              each, as libc event_port.c shows it.
 * UfEntry      uf_entry_t: a descriptor slot: the open file, uf_refcnt (getf references),
 *              uf_portfd (FD associations recorded on the descriptor).
 * KThread      a thread inside a system call: t_activefd (its getf references), a_stale.
 * FileObj      file_t: an open file, shared by fork, dup and descriptor passing; f_count
 *              tells port_close a per-process close (count > 1) from the last close; f_tlock
 *              serialises its closes.
 * Port         port_t: one port; port_curr (allocated slots) against port_max_events,
 *              port_cv for port_dispatch's sleeping allocator, port_pollhd: its descriptor
 *              is pollable (port_poll), so another port may watch it (nested ports).
 * PortQueue    port_queue_t: the port queue (portq_list, portq_nent), the temp list
 *              (portq_get_list, portq_tnent), the flags, the waiter ring, the counters
 *              (thrcnt, getn, nget), closecv, block_cv, the alert, the source table.
 * Kevent       port_kevent_t: one event slot, on at most one KeventList at a time; freed
 *              USER slots wait in their port's cache for the next port_send (kmem cache).
 * PortEvents   port_event_t list[]: the caller's array port_getn copies events into.
 * Waiter       portget_t: a thread asleep in port_getn, with its own condition variable and
 *              its private copy of an alert; the ring is ordered by requested count.
 * PortSource   port_source_t: a source's close callback (portq_scache).
 * PortGettimer port_gettimer_t: what survives the front end's retry loop in one call.
 * </pre>
 *
 * <h2>Locks, in the order they are taken</h2>
 * <pre>
 *   f_tlock                  (FileObj; closef holds it across VOP_CLOSE)
 *     portq_source_mutex     (PortQueue; held while the sources' close callbacks run)
 *       a source's own locks (eventports.sources: pc_lock → ph_lock → portkev_lock for FD,
 *                             the timer table → it_mutex for TIMER, aio_portq_mutex for AIO,
 *                             the file system's lock (SimFs) → pfc_lock → pvp_mutex for FILE,
 *                             pvfshash_mutex a leaf under pvp_mutex)
 *         PORTQ_BLOCKED      (the second lock, below; pc_lock is held across port_block)
 *           portq_mutex      (PortQueue; the innermost lock of a port)
 *   port_control.pc_mutex    (PortSystem; port_create and port_inactive only, never with a
 *                             port's locks)
 *   a pollhead's ph_lock     (PollHead: the parties polling one object; pollwakeup holds it
 *                             across their pollnotify, which for an FD association takes its
 *                             portkev_lock and its port's portq_mutex, and port_pollwkup)
 * Port polling nests these per port. A port P that watches a port Q's descriptor holds P's
 * pc_lock across Q's port_poll (Q's portq_mutex) and across polldat_associate /
 * pollhead_delete on Q's pollhead; Q's pollwakeups (after port_send_event, at the end of a
 * retrieval, in port_free_event_local: all with none of Q's locks held, though a source's
 * own lock such as Q's pc_lock may be) take Q's ph_lock, then P's portkev_lock and P's
 * portq_mutex. So a port's pc_lock ranks above the pollhead lock of every port it watches,
 * which ranks above the portkev_lock and portq_mutex of every port watching it; poll.c's
 * pollwakeup notifies one pollhead at a time (never two ph_locks), taking P's own pollhead
 * next when port_pollwkup marked P PORTQ_POLLWK_PEND.
 *   uf_lock                  (Proc; only to wait on or signal uf_closing_cv and the exit
 *                             wait, never with a port's locks)
 *     the descriptor table   (PortSystem.fileLock, a leaf: held for a lookup or an update,
 *                             never across a sleep or another lock)
 * </pre>
 * Every condition variable of a port (closecv, block_cv, port_cv, each waiter's cv) is waited
 * on with portq_mutex, which the wait releases; no other wait happens with portq_mutex held,
 * with one exception: port_close_events runs a queued event's CLOSE callback with portq_mutex
 * held, as port_vnops.c does, and the FD source's takes pc_lock there; by then the last close
 * has removed every association (port_close_sourcefd), so no other thread holds pc_lock.
 *
 * <h2>PORTQ_BLOCKED, the second lock</h2>
 * A flag of portq_flags plus portq_block_cv ({@link eventports.kernel.PortQueue#portBlock}):
 * taken with portq_mutex held, kept after the mutex is released. A retriever takes it, moves
 * the whole port queue to the temp list in one splice (port.c:1365-1380) and walks the temp
 * list <em>without</em> the mutex, running source callbacks that may be slow or deny delivery
 * (port.c:378-380: "a second mutex was introduced"). The holder owns the temp list and
 * portq_tnent; it takes portq_mutex only briefly (freeing a DEFAULT slot, its exit section).
 * Everyone else who must see every queued event takes the block first and so finds the temp
 * list empty: the count query (max == 0), port_remove_done_event, port_free_event,
 * port_discard_events. port_block sleeps on block_cv, not interruptibly; port_unblock
 * signals one sleeper. Before dropping the block the retriever pushes what is left of the
 * temp list back to the <em>tail</em> of the port queue (port_subr.c port_push_eventq).
 *
 * <h2>Wake rules</h2>
 * Only the head of the waiter ring is woken for events, and only when it can be satisfied:
 * <ul>
 * <li><b>W1</b> (port_subr.c port_send_event): a sender that finds no retriever
 * (portq_getn == 0), a head waiter and portq_nent &gt;= portq_nget signals the head.</li>
 * <li><b>W2</b> (port.c:1501-1509): while a retrieval runs, senders wake nobody; the last
 * retriever to leave (portq_getn back to 0) signals the head if the queue then holds enough
 * events for it.</li>
 * </ul>
 * The exceptions: port_alert signals every waiter not yet alerted (port.c:1121-1130), and
 * the last close signals the head until every thread has left. A woken waiter re-checks its
 * conditions (port.c:1296-1333), so a wake-up that cannot be used is harmless — unless it is
 * consumed (the findings PassWakeup, PassOn: {@link eventports.kernel.Fix}).
 *
 * <h2>Close</h2>
 * close(2) starts in the descriptor layer ({@link eventports.kernel.Fio}, fio.c closeandsetf):
 * the descriptor is cleared (getf fails: EBADF), and — in {@link eventports.kernel.Layer#DESCRIPTORS},
 * the default — every other thread of the closing process in a call on it is marked stale
 * and woken ({@link eventports.sched.Sched#mustReturn}: its interruptible wait returns as if
 * signalled, and its EINTR becomes EBADF at syscall exit), and the closer sleeps on
 * uf_closing_cv until their getf references drain. Then the descriptor's FD associations are
 * dissociated (port_close_pfd), and closef calls port_close
 * ({@link eventports.kernel.PortVnops}) under f_tlock with the open file's count. A <em>per-process</em> close (count &gt; 1) clears the alert if this
 * process set it, gives each source its close callback (lastclose 0) and marks the process's
 * NOSHARE queued events FREE (port_discard_events; the next retriever drops them). The
 * <em>last</em> close sets PORTQ_CLOSE, signals the head waiter and sleeps on closecv until
 * portq_thrcnt is 0: each thread leaving port_getn either signals closecv (the last one) or
 * passes the signal to the next head (port_check_return_cond, port.c:1711-1722); waiters
 * leave with EBADFD, and the last retriever out drops the events it collected
 * (port.c:1491-1500). Then the sources' close callbacks run (lastclose 1), the closer waits
 * until every allocated slot is back in the queue (port_curr &lt;= portq_nent), discards the
 * queue with CLOSE callbacks (port_close_events), and port_inactive lowers pc_nents. With the
 * descriptor layer the last close finds no thread in port_getn (none but the closer's could
 * hold the port, and those have left); in {@link eventports.kernel.Layer#PORTFS} (the layer
 * off) it may, and then runs the hand-shake above, as the seed's portfs on its own does.
 *
 * <h2>Where port.c's sections live</h2>
 * <pre>
 * port.c header comment (46-381)       this note; data structures below
 * port_t, port_queue_t, port_kevent_t  Port, PortQueue, Kevent (list_t: KeventList),
 *   portget_t, port_alert_t            Waiter, Alert; constants of port.h / port_impl.h: Ports
 * portfs() front end (553-712)         PortFs (dispatch, getf + VPORT check), Proc (libc view)
 * port_create, port_init (721-844)     PortFs.portCreate
 * port_send, port_dispatch_event,      PortFs.portSend, portDispatch, portNoshare, portSendn
 *   port_noshare, port_sendn (893-1050)
 * port_alert, port_remove_alert        PortFs.portAlert, portRemoveAlert
 *   (1061-1144)
 * port_getn (1158-1563)                PortGetn.portGetn (the engine; gotos become flags)
 * port_copy_event (1575-1617)          PortGetn.portCopyEvent
 * port_check_return_cond (1711-1722)   PortGetn.portCheckReturnCond
 * port_get_kevent (1734-1741)          KeventList.next
 * port_get_timeout (1748-1789)         PortGetn (inline), Timeout
 * port_queue_thread,                   PortGetn.portQueueThread, portDequeueThread
 *   port_dequeue_thread (1798-1859)
 * port_subr.c                          PortSubr (slots, send, free, sources);
 *                                      PortQueue.portBlock / portUnblock / portPushEventq
 * port_vnops.c                         PortVnops (close, discard, close events, inactive)
 * fio.c, fcntl.c, syscall.c            Fio (getf, releasef, closeandsetf, closef, dup, dup2,
 *                                        sendfd, exit, post_syscall), Proc (system calls,
 *                                        descriptor table), UfEntry, KThread, FileObj, PortFdLink
 * port_vnops.c port_poll               PortVnops.portPoll (Port is Pollable)
 * port_subr.c port_pollwkup/wkdone     PortSubr.portPollwkup, portPollwkdone
 * poll.c                               PollHead (pollwakeup and its plist of ports),
 *                                      Pollable, PollObject
 * port_fd.c, timer.c, aio.c, port_fop.c  eventports.sources (port_fop.c: FileWatchSource, for
 *                                      the file systems SimFs and WatchServiceFs)
 * </pre>
 *
 * <h2>Cost</h2>
 * The steps above are the protocol: every lock taken and released where port.c takes and
 * releases it, every trace record in its critical section. What a step does inside its
 * critical section is free to be cheap (issue 16, bench/RESULTS.md): port_send's slots come
 * from a per-port cache as port_kevent_t comes from a kmem cache; port_getn copies into the
 * caller's {@link eventports.kernel.PortEvents}; with tracing off (no Tracer) nothing is
 * allocated per event and no system-wide counter is touched; getf reads the descriptor table
 * without its lock. An event still costs three portq_mutex sections (alloc, send, free), so
 * the mutex itself (eventports.sched.RealSched) is where the rest of the time goes.
 *
 * <p>{@link eventports.kernel.Profile} chooses the seed as written (ILLUMOS, plus current
 * illumos' PORT_GET ETIME) or every {@link eventports.kernel.Fix} (CORRECTED);
 * {@link eventports.kernel.CoreFault} switches on deliberate mistakes for the checkers' tests.
 * Every step that changes shared state emits one trace record named after its seed function
 * inside its critical section (eventports.trace).
 */
package eventports.kernel;
