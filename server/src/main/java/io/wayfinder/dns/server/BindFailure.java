package io.wayfinder.dns.server;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * A listener could not bind its address: which address, and whether because another socket holds
 * it (the one failure a user fixes by choosing another port), so that the command line can say what
 * to do rather than repeat the system's words.
 */
public final class BindFailure extends BindException {
    private final InetSocketAddress address;
    private final boolean inUse;

    public BindFailure(String message, InetSocketAddress address, Throwable cause) {
        super(message);
        initCause(cause);
        this.address = address;
        this.inUse = isAddressInUse(cause);
    }

    /** The address that could not be bound (port 0 when a free port was asked for). */
    public InetSocketAddress address() {
        return address;
    }

    /** Whether another socket holds the address (EADDRINUSE). */
    public boolean inUse() {
        return inUse;
    }

    /**
     * Whether a bind failed because the address is in use: Java's and Netty's native transports
     * both say "Address already in use" (EADDRINUSE's text), somewhere down the causes.
     */
    public static boolean isAddressInUse(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.toLowerCase(Locale.ROOT).contains("address already in use")) {
                return true;
            }
        }
        return false;
    }
}
