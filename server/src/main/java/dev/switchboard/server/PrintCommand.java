package dev.switchboard.server;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that prints a text and exits 0: version, genconfig, gendocs. */
abstract class PrintCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** What to print. */
    abstract String text();

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(text());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
