package io.wayfinder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of {@code wayfinder args...} as its own Java process, as a user or a script runs it: its
 * exit code (from {@code System.exit}), stdout and stderr. Logging is set up once per process, so
 * only a process shows what a command prints besides its result.
 */
record ProcessRun(int exitCode, String out, String err) {

    /** Without this process's WAYFINDER_SERVER and WAYFINDER_TOKEN; with {@code environment} and {@code stdin}. */
    static ProcessRun of(Map<String, String> environment, String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), WayfinderCommand.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove(ServerOptions.SERVER_VARIABLE);
        builder.environment().remove(ServerOptions.TOKEN_VARIABLE);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new ProcessRun(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    /** With this process's environment less the two variables, and nothing on stdin. */
    static ProcessRun of(String... args) throws Exception {
        return of(Map.of(), "", args);
    }
}
