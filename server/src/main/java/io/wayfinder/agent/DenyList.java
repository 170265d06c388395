package io.wayfinder.agent;

import io.wayfinder.net.IpPrefix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The addresses the agent must never probe: the built-in ones, which no connection can sensibly go
 * to, and the operator's ({@code --deny FILE}: a network or address a line, {@code #} starting a
 * comment).
 *
 * <pre>
 *   built in   0.0.0.0/8        "this network" (0.0.0.0 is the unspecified address)
 *              224.0.0.0/4      multicast
 *              240.0.0.0/4      reserved, and 255.255.255.255 the limited broadcast
 *              ::/128           unspecified
 *              ff00::/8         multicast
 *   not denied 127.0.0.0/8, ::1, 10/8, 172.16/12, 192.168/16, 169.254/16, fc00::/7, fe80::/10:
 *              a resolver on a private network is a real target for an agent beside it, and the
 *              tests measure loopback; deny them in the file where they should not be probed.
 * </pre>
 *
 * A linear scan: deny lists are tens to a few thousand lines and are consulted once per target per
 * refresh, far from any hot path.
 */
public final class DenyList {
    /** The built-in entries, each with why. */
    static final List<Entry> BUILT_IN = List.of(
            new Entry(IpPrefix.parse("0.0.0.0/8"), "this network (unspecified)"),
            new Entry(IpPrefix.parse("224.0.0.0/4"), "multicast"),
            new Entry(IpPrefix.parse("240.0.0.0/4"), "reserved or broadcast"),
            new Entry(IpPrefix.parse("::/128"), "unspecified"),
            new Entry(IpPrefix.parse("ff00::/8"), "multicast"));

    /** One denied network and where it comes from (the built-in reason, or {@code FILE:LINE}). */
    record Entry(IpPrefix network, String why) {
    }

    private final List<Entry> entries;

    private DenyList(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** The built-in entries only. */
    public static DenyList builtIn() {
        return new DenyList(BUILT_IN);
    }

    /** The built-in entries and the file's. */
    public static DenyList read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * The built-in entries and these lines.
     *
     * @param name what the lines are called in messages (the file's name)
     * @throws IllegalArgumentException naming the line ({@code deny.txt:3: ...}) of the first bad entry
     */
    public static DenyList parse(List<String> lines, String name) {
        List<Entry> all = new ArrayList<>(BUILT_IN);
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i);
            int hash = text.indexOf('#');
            text = (hash >= 0 ? text.substring(0, hash) : text).strip();
            if (text.isEmpty()) {
                continue;
            }
            try {
                all.add(new Entry(IpPrefix.parse(text), name + ":" + (i + 1)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ":" + (i + 1) + ": " + e.getMessage()
                        + " (a line is a network as 192.0.2.0/24 or 2001:db8::/32, or an address)", e);
            }
        }
        return new DenyList(all);
    }

    /** Why {@code address} (4 or 16 bytes) must not be probed, or null when it may be. */
    public String denied(byte[] address) {
        IpPrefix host = IpPrefix.fromBytes(address, address.length * 8);
        for (Entry e : entries) {
            if (e.network().contains(host)) {
                return e.network() + " (" + e.why() + ")";
            }
        }
        return null;
    }

    /** Entries, the built-in ones included. */
    public int size() {
        return entries.size();
    }
}
