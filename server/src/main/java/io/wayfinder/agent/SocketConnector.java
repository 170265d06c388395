package io.wayfinder.agent;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * The real {@link Connector}: a blocking {@link Socket#connect(java.net.SocketAddress, int)} timed
 * with {@link System#nanoTime}. The JDK implements it as a non-blocking connect and a poll, so a
 * waiting attempt holds a thread and a socket and nothing else; the agent bounds both by running
 * {@code --concurrency} workers. A selector loop would save those threads, but the rate limit (50
 * attempts a second by default) keeps few in flight, and a blocking call per attempt keeps the
 * timing next to the call it times.
 *
 * <p>The socket is closed with {@code SO_LINGER 0}: an RST, not a FIN, so that neither side keeps
 * the connection in TIME_WAIT and the target sees one short handshake and nothing else. Nothing is
 * ever written on the connection.
 */
public final class SocketConnector implements Connector {

    @Override
    public Outcome connect(InetSocketAddress address, int timeoutMillis) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        try (Socket socket = new Socket()) {
            socket.setSoLinger(true, 0);
            long start = System.nanoTime();
            try {
                socket.connect(address, timeoutMillis);
                return Outcome.connected(Math.max(1, System.nanoTime() - start));
            } catch (SocketTimeoutException e) {
                return Outcome.timeout();
            } catch (ConnectException e) {
                long rtt = System.nanoTime() - start;
                // The JDK reports ECONNREFUSED as "Connection refused"; ENETUNREACH and the like are
                // ConnectExceptions too, but say nothing about the round trip.
                String m = e.getMessage() == null ? "" : e.getMessage();
                return m.startsWith("Connection refused") ? Outcome.refused(Math.max(1, rtt)) : Outcome.error(m);
            }
        } catch (IOException e) {
            return Outcome.error(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }
}
