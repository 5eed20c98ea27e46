package eventports.sources;

import eventports.kernel.Errno;
import eventports.kernel.FileObj;
import eventports.kernel.PollEvents;
import eventports.kernel.PollHead;
import eventports.kernel.Pollable;
import eventports.kernel.PortException;
import eventports.kernel.PortSystem;
import eventports.kernel.Proc;
import eventports.sched.RealSched;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/*
 * Java NIO channels as pollable descriptors for PORT_SOURCE_FD (the part of sockfs / fifofs
 * that VOP_POLL and pollwakeup are in illumos).
 *
 * fdOpen installs a SelectableChannel (pipe end, socket, server socket) in a process's
 * descriptor table; port_associate on that descriptor then works as for any pollable file.
 * One Selector thread per system stands in for the drivers' interrupt-time pollwakeup: it
 * watches each channel for the union of the interests of the channel's ARMED associations
 * (PollHead.armedInterest) and turns the selector's readiness into pollwakeup. Firing
 * disarms (one-shot), so the thread recomputes the channel's interest after every wake-up
 * and a ready channel nobody is armed for is not watched: no busy loop, and level-triggered
 * selection re-reports a channel that is still ready once an association re-arms it.
 *
 * Where this differs from illumos:
 * - VOP_POLL cannot ask a channel for its readiness synchronously, so port_associate of an
 *   already-ready channel queues nothing during the call: arming asks the selector thread to
 *   re-watch the channel and the event follows from there (no event is lost, it is only
 *   late). A closed channel polls as POLLHUP at once.
 * - NIO reports no hang-up or error condition: a peer's close shows as readability (read
 *   returns -1) and a failed connection as connectability; POLLHUP is reported only when the
 *   channel itself was closed behind the descriptor's back. An association with neither
 *   POLLIN-type nor POLLOUT-type interest is therefore never woken.
 * - POLLIN/POLLRDNORM/POLLRDBAND/POLLPRI map to OP_READ/OP_ACCEPT, POLLOUT/POLLWRBAND to
 *   OP_WRITE (OP_CONNECT while a connection is pending); readiness maps back to
 *   POLLIN|POLLRDNORM and POLLOUT.
 * Real-thread runtime only: the selector thread is outside the deterministic scheduler.
 */

/** NIO channels as descriptors that PORT_SOURCE_FD can associate, driven by a Selector thread. */
public final class NioChannels {
    private NioChannels() {
    }

    /**
     * Install {@code ch} (made non-blocking) in {@code p}'s descriptor table. Closing the
     * descriptor's last reference closes the channel. EINVAL: no channel; ENOTSUP: the
     * deterministic runtime; EIO: the channel cannot be made non-blocking or the selector
     * cannot be opened; EMFILE.
     */
    public static int fdOpen(Proc p, SelectableChannel ch) throws PortException {
        PortSystem sys = p.sys();
        if (ch == null) {
            throw new PortException(Errno.EINVAL);
        }
        if (!(sys.sched instanceof RealSched)) {
            throw new PortException(Errno.ENOTSUP);
        }
        State st = state(sys);
        if (st.selector == null) {
            throw new PortException(Errno.EIO);
        }
        try {
            ch.configureBlocking(false);
        } catch (IOException | IllegalStateException e) {
            throw new PortException(Errno.EIO);
        }
        return p.fdOpen(new ChannelVnode(st, ch, sys));
    }

    /** The channel behind descriptor {@code fd} of {@code p}. EBADF: not open or not a channel. */
    public static SelectableChannel channel(Proc p, int fd) throws PortException {
        FileObj fp = p.file(fd);
        if (fp == null || !(fp.vnode() instanceof ChannelVnode)) {
            throw new PortException(Errno.EBADF);
        }
        return ((ChannelVnode) fp.vnode()).channel;
    }

    /** Stop the system's selector thread (tests; a later fdOpen fails with EIO). */
    public static void shutdown(PortSystem sys) {
        State st = sys.sourceStateIfAny(State.class);
        if (st != null && st.selector != null) {
            st.running = false;
            st.selector.wakeup();
        }
    }

    private static State state(PortSystem sys) {
        return sys.sourceState(State.class, State::new);
    }

    /** Per-system: the selector, its thread and the channels whose interest must be recomputed. */
    static final class State {
        final Selector selector;
        final Queue<ChannelVnode> pending = new ConcurrentLinkedQueue<>();
        volatile boolean running = true;

        State(PortSystem sys) {
            Selector s;
            try {
                s = Selector.open();
            } catch (IOException e) {
                s = null;
            }
            selector = s;
            if (s != null) {
                Thread t = new Thread(this::run, "eventports-selector");
                t.setDaemon(true);
                t.start();
            }
        }

        /** Ask the selector thread to recompute {@code v}'s interest. */
        void request(ChannelVnode v) {
            pending.add(v);
            selector.wakeup();
        }

        private void run() {
            try {
                while (running) {
                    ChannelVnode v;
                    while ((v = pending.poll()) != null) {
                        v.updateInterest();
                    }
                    selector.select();
                    Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                    while (it.hasNext()) {
                        SelectionKey k = it.next();
                        it.remove();
                        ((ChannelVnode) k.attachment()).selected(k);
                    }
                }
            } catch (IOException | ClosedSelectorException e) {
                running = false;
            } finally {
                try {
                    selector.close();
                } catch (IOException e) {
                    // nothing more to release
                }
            }
        }
    }

    /** The vnode of a channel descriptor. */
    static final class ChannelVnode implements Pollable {
        final State st;
        final SelectableChannel channel;
        final PollHead pollhead;
        /** Selector-thread only. */
        private SelectionKey key;

        ChannelVnode(State st, SelectableChannel channel, PortSystem sys) {
            this.st = st;
            this.channel = channel;
            this.pollhead = new PollHead(sys.sched, "channel#" + System.identityHashCode(channel));
        }

        /** Arming (or re-arming) an association polls: the selector thread re-watches the channel. */
        @Override
        public int vopPoll(Proc cur, int events) {
            if (!channel.isOpen()) {
                return PollEvents.POLLHUP;
            }
            st.request(this);
            return 0;
        }

        @Override
        public PollHead pollhead() {
            return pollhead;
        }

        @Override
        public void vopClose(int count) {
            if (count == 1) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // close(2) of a socket does not report the peer's state; nothing to do
                }
                st.request(this);                  // the selector releases the key
            }
        }

        /** Selector thread: watch the channel for what its armed associations want. */
        void updateInterest() {
            int interest = pollhead.armedInterest();
            if (!channel.isOpen()) {
                key = null;
                if (interest != 0) {
                    pollhead.pollwakeup(PollEvents.POLLHUP);
                }
                return;
            }
            int ops = toOps(interest);
            try {
                if (key == null || !key.isValid()) {
                    if (ops != 0) {
                        key = channel.register(st.selector, ops, this);
                    }
                } else {
                    key.interestOps(ops);
                }
            } catch (ClosedChannelException | CancelledKeyException e) {
                key = null;
                pollhead.pollwakeup(PollEvents.POLLHUP);
            }
        }

        /** Selector thread: the channel is ready; wake the pollhead, then re-watch. */
        void selected(SelectionKey k) {
            int ready;
            try {
                ready = k.readyOps();
            } catch (CancelledKeyException e) {
                ready = 0;
            }
            int events = 0;
            if ((ready & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
                events |= PollEvents.POLLIN | PollEvents.POLLRDNORM;
            }
            if ((ready & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
                events |= PollEvents.POLLOUT;
            }
            if (events != 0) {
                pollhead.pollwakeup(events);
            }
            updateInterest();
        }

        private int toOps(int interest) {
            int valid = channel.validOps();
            int ops = 0;
            if ((interest & (PollEvents.POLLIN | PollEvents.POLLRDNORM | PollEvents.POLLRDBAND
                    | PollEvents.POLLPRI)) != 0) {
                ops |= valid & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
            }
            if ((interest & (PollEvents.POLLOUT | PollEvents.POLLWRBAND)) != 0) {
                boolean connecting = channel instanceof SocketChannel && ((SocketChannel) channel).isConnectionPending();
                ops |= valid & (connecting ? SelectionKey.OP_CONNECT : SelectionKey.OP_WRITE);
            }
            return ops;
        }
    }
}
