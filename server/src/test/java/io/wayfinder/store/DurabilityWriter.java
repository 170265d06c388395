package io.wayfinder.store;

import io.wayfinder.store.ProfileStore.Write;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * The child process of the durability check: opens the store in the directory it is given and
 * writes for ever, printing {@code ack N} after the write of revision N has returned (is
 * acknowledged), until it is killed. Write N sets profile {@code p<N % PROFILES>} to {@code {"n": N}},
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

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, false, "UTF-8");
        try (SqliteProfileStore store = SqliteProfileStore.open(Path.of(args[0]), Clock.systemUTC())) {
            long n = store.contents().revision();
            out.println("open " + n);
            out.flush();
            while (true) {
                n++;
                store.write(new Write(name(n), json(n), Write.ANY, "durability", "PUT", "profiles/" + name(n),
                        List.of("write " + n), null));
                out.println("ack " + n);
                out.flush();
            }
        }
    }
}
