package io.wayfinder.store;

import io.wayfinder.store.ProfileStore.Write;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * The child process of the durability check: opens the store in the directory it is given and
 * writes for ever, appending {@code ack N} to the acknowledgement file after the write of revision
 * N has returned (is acknowledged), until it is killed. Each line is one {@code write} call on an
 * unbuffered file: once it returns the line is the kernel's, and a {@code kill -9} cannot take it
 * back (a pipe read by another thread of the parent could lag behind the kill). Write N sets profile {@code p<N % PROFILES>} to {@code {"n": N}},
 * so what the store must hold after any number of writes is known.
 */
public final class DurabilityWriter {
    static final int PROFILES = 16;

    private DurabilityWriter() {
    }

    static String name(long n) {
        return "p" + (n % PROFILES);
    }

    static String json(long n) {
        return "{\"name\":\"" + name(n) + "\",\"n\":" + n + "}";
    }

    /** {@code DurabilityWriter STORE_DIR ACK_FILE} */
    public static void main(String[] args) throws Exception {
        try (SqliteProfileStore store = SqliteProfileStore.open(Path.of(args[0]), Clock.systemUTC());
             FileOutputStream acks = new FileOutputStream(args[1], true)) {
            long n = store.contents().revision();
            acks.write(("open " + n + "\n").getBytes(StandardCharsets.US_ASCII));
            while (true) {
                n++;
                store.write(new Write(name(n), json(n), Write.ANY, "durability", "PUT", "profiles/" + name(n),
                        List.of("write " + n), null));
                acks.write(("ack " + n + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        }
    }
}
