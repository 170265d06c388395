package io.wayfinder.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version and the Java runtime.")
final class VersionCommand implements Runnable {

    @Override
    public void run() {
        for (String line : new Provider().getVersion()) {
            System.out.println(line);
        }
    }

    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = VersionCommand.class.getPackage().getImplementationVersion();
            return new String[] {
                "wayfinder " + (version == null ? "(development build)" : version),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
            };
        }
    }
}
