/**
 * The command line ({@code wayfinder serve}, {@code check-config}, {@code explain}, ...), one picocli
 * class per subcommand. The outermost edge: it may use any package, and no package may use it.
 */
package io.wayfinder.cli;
