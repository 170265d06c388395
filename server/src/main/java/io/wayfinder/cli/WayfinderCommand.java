package io.wayfinder.cli;

public final class WayfinderCommand {
    public static void main(String[] args) {
    }
}
