package io.wayfinder.dns.server;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The Linux system calls of the FFM UDP path, bound once through {@link Linker}: socket, setsockopt,
 * bind, getsockname, recvmmsg, sendmmsg, shutdown, close, strerror. Each call that can fail captures
 * errno into a segment its caller owns (one per thread, allocated once).
 *
 * <p>Layouts are those of the LP64 Linux ABI, identical on x86_64 and aarch64 (the platforms
 * {@link FfmUdpListeners} lets through): {@code struct mmsghdr} is 64 bytes, a {@code struct msghdr}
 * (56) then {@code msg_len}; {@code struct iovec} is 16. The constants below are the generic Linux
 * ones, which both architectures share (SO_REUSEPORT 15, SO_RCVTIMEO 20 with a 64-bit timeval).
 */
final class LinuxUdp {
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_SNDBUF = 7;
    private static final int SO_RCVBUF = 8;
    private static final int SO_REUSEPORT = 15;
    private static final int SO_RCVTIMEO = 20;
    private static final int IPPROTO_IPV6 = 41;
    private static final int IPV6_V6ONLY = 26;
    static final int SHUT_RDWR = 2;
    /** recvmmsg: block for the first datagram only, then take what is queued. */
    static final int MSG_WAITFORONE = 0x10000;
    /** msg_flags: the datagram was longer than the buffer. */
    static final int MSG_TRUNC = 0x20;
    static final int EINTR = 4;
    static final int EAGAIN = 11;

    /** struct mmsghdr: msg_hdr { name, namelen, iov, iovlen, control, controllen, flags }, msg_len. */
    static final long MMSGHDR_SIZE = 64;
    static final long MSG_NAME = 0;
    static final long MSG_NAMELEN = 8;
    static final long MSG_IOV = 16;
    static final long MSG_IOVLEN = 24;
    static final long MSG_FLAGS = 48;
    static final long MSG_LEN = 56;
    /** struct iovec: base, length. */
    static final long IOVEC_SIZE = 16;
    /** sockaddr_in6 is 28 bytes, the largest we receive; a slot of 32 keeps them aligned. */
    static final long SOCKADDR_SIZE = 32;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final java.lang.foreign.AddressLayout PTR = ValueLayout.ADDRESS;

    private static final MethodHandle SOCKET = errnoCall("socket", FunctionDescriptor.of(INT, INT, INT, INT));
    private static final MethodHandle SETSOCKOPT = errnoCall("setsockopt", FunctionDescriptor.of(INT, INT, INT, INT, PTR, INT));
    private static final MethodHandle BIND = errnoCall("bind", FunctionDescriptor.of(INT, INT, PTR, INT));
    private static final MethodHandle GETSOCKNAME = errnoCall("getsockname", FunctionDescriptor.of(INT, INT, PTR, PTR));
    private static final MethodHandle RECVMMSG = errnoCall("recvmmsg", FunctionDescriptor.of(INT, INT, PTR, INT, INT, PTR));
    private static final MethodHandle SENDMMSG = errnoCall("sendmmsg", FunctionDescriptor.of(INT, INT, PTR, INT, INT));
    private static final MethodHandle SHUTDOWN = errnoCall("shutdown", FunctionDescriptor.of(INT, INT, INT));
    private static final MethodHandle CLOSE = errnoCall("close", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LINKER.defaultLookup().find("strerror").orElseThrow(), FunctionDescriptor.of(PTR, INT));

    private LinuxUdp() {
    }

    /** Binds the system calls (this class's initialisation) now: an error here names what libc lacks. */
    static void link() {
        // the static initialisers did the work
    }

    private static MethodHandle errnoCall(String name, FunctionDescriptor descriptor) {
        SymbolLookup libc = LINKER.defaultLookup();
        MemorySegment symbol = libc.find(name).orElseThrow(() -> new UnsatisfiedLinkError("no " + name + " in libc"));
        return LINKER.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("errno"));
    }

    /** A segment for one thread's captured errno. */
    static MemorySegment callState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    static String describe(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(256).getString(0) + " (errno " + errno + ")";
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    static int recvmmsg(MemorySegment state, int fd, MemorySegment vector, int count, int flags) {
        try {
            return (int) RECVMMSG.invokeExact(state, fd, vector, count, flags, MemorySegment.NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int sendmmsg(MemorySegment state, int fd, MemorySegment vector, int count) {
        try {
            return (int) SENDMMSG.invokeExact(state, fd, vector, count, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void shutdown(MemorySegment state, int fd) {
        try {
            int ignored = (int) SHUTDOWN.invokeExact(state, fd, SHUT_RDWR); // ENOTCONN is expected: it still wakes a reader
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void close(MemorySegment state, int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(state, fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * A UDP socket bound to {@code address} with SO_REUSEPORT, the buffer sizes given and a receive
     * timeout (so a blocked recvmmsg returns now and then even if nothing wakes it).
     *
     * @return the descriptor
     */
    static int bindUdp(Arena arena, MemorySegment state, InetSocketAddress address, int bufferBytes, int timeoutMillis)
            throws IOException {
        boolean ipv6 = address.getAddress() instanceof Inet6Address;
        int fd = call(state, "socket", () -> (int) SOCKET.invokeExact(state, ipv6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        try {
            MemorySegment one = arena.allocateFrom(INT, 1);
            MemorySegment buffer = arena.allocateFrom(INT, bufferBytes);
            MemorySegment timeout = arena.allocate(16);
            timeout.set(LONG, 0, timeoutMillis / 1000);
            timeout.set(LONG, 8, (timeoutMillis % 1000) * 1000L);
            setsockopt(state, fd, SOL_SOCKET, SO_REUSEPORT, one, "SO_REUSEPORT");
            setsockopt(state, fd, SOL_SOCKET, SO_RCVBUF, buffer, "SO_RCVBUF");
            setsockopt(state, fd, SOL_SOCKET, SO_SNDBUF, buffer, "SO_SNDBUF");
            setsockopt(state, fd, SOL_SOCKET, SO_RCVTIMEO, timeout, "SO_RCVTIMEO");
            if (ipv6) {
                setsockopt(state, fd, IPPROTO_IPV6, IPV6_V6ONLY, one, "IPV6_V6ONLY");
            }
            MemorySegment sockaddr = arena.allocate(SOCKADDR_SIZE);
            int length = writeSockaddr(sockaddr, address);
            call(state, "bind", () -> (int) BIND.invokeExact(state, fd, sockaddr, length));
            return fd;
        } catch (IOException | RuntimeException e) {
            close(state, fd);
            throw e;
        }
    }

    /** The address a socket is bound to (its port, when it asked for port 0). */
    static InetSocketAddress localAddress(Arena arena, MemorySegment state, int fd) throws IOException {
        MemorySegment sockaddr = arena.allocate(SOCKADDR_SIZE);
        MemorySegment length = arena.allocateFrom(INT, (int) SOCKADDR_SIZE);
        call(state, "getsockname", () -> (int) GETSOCKNAME.invokeExact(state, fd, sockaddr, length));
        return readSockaddr(sockaddr);
    }

    private static void setsockopt(MemorySegment state, int fd, int level, int option, MemorySegment value, String name)
            throws IOException {
        call(state, "setsockopt " + name, () -> (int) SETSOCKOPT.invokeExact(state, fd, level, option, value, (int) value.byteSize()));
    }

    /** sockaddr_in or sockaddr_in6 (port in network order); returns its length. */
    static int writeSockaddr(MemorySegment at, InetSocketAddress address) {
        at.fill((byte) 0);
        byte[] bytes = address.getAddress().getAddress();
        at.set(ValueLayout.JAVA_SHORT, 0, (short) (bytes.length == 4 ? AF_INET : AF_INET6));
        at.set(ValueLayout.JAVA_BYTE, 2, (byte) (address.getPort() >>> 8));
        at.set(ValueLayout.JAVA_BYTE, 3, (byte) address.getPort());
        if (bytes.length == 4) {
            MemorySegment.copy(bytes, 0, at, ValueLayout.JAVA_BYTE, 4, 4);
            return 16;
        }
        MemorySegment.copy(bytes, 0, at, ValueLayout.JAVA_BYTE, 8, 16);
        if (address.getAddress() instanceof Inet6Address v6) {
            at.set(INT, 24, v6.getScopeId());
        }
        return 28;
    }

    static InetSocketAddress readSockaddr(MemorySegment at) throws IOException {
        int family = at.get(ValueLayout.JAVA_SHORT, 0);
        int port = ((at.get(ValueLayout.JAVA_BYTE, 2) & 0xFF) << 8) | (at.get(ValueLayout.JAVA_BYTE, 3) & 0xFF);
        byte[] bytes = at.asSlice(family == AF_INET ? 4 : 8, family == AF_INET ? 4 : 16).toArray(ValueLayout.JAVA_BYTE);
        return new InetSocketAddress(InetAddress.getByAddress(bytes), port);
    }

    @FunctionalInterface
    private interface Call {
        int invoke() throws Throwable;
    }

    /** Runs a setup call; -1 becomes an IOException with the system's words for errno. */
    private static int call(MemorySegment state, String what, Call call) throws IOException {
        int result;
        try {
            result = call.invoke();
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (result < 0) {
            throw new IOException(what + ": " + describe(errno(state)));
        }
        return result;
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
