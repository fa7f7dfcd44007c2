package dev.switchboard.server;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server's dependency map, enforced: which part may import which (docs/architecture.md has the same table),
 * and no cycle between packages. A wrong arrow fails the build instead of a review.
 */
class ArchitectureTest {

    private static final String S = "dev.switchboard.server";
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(S);
    }

    @Test
    void eachPartImportsOnlyWhatTheMapAllows() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("node").definedBy(S)
                .layer("config").definedBy(S + ".config..")
                .layer("app").definedBy(S + ".app..")
                .layer("engine").definedBy(S + ".engine..")
                .layer("streams").definedBy(S + ".streams..")
                .layer("bridge").definedBy(S + ".bridge..")
                .layer("transport").definedBy(S + ".internal.transport..")
                .layer("sse").definedBy(S + ".internal.sse..")
                .layer("http apis").definedBy(S + ".internal.api..", S + ".internal.admin..")
                .layer("pusher").definedBy(S + ".internal.pusher..")
                .layer("durable streams").definedBy(S + ".internal.durable..")
                .layer("resumable").definedBy(S + ".internal.resumable..")
                .layer("routing").definedBy(S + ".internal.routing..")
                .layer("handlers").definedBy(S + ".internal.handlers..")
                .layer("hooks").definedBy(S + ".internal.hooks..")
                .layer("operations").definedBy(S + ".internal.operations..")
                .layer("delivery").definedBy(S + ".internal.delivery..")
                .layer("auth").definedBy(S + ".internal.auth..")
                .layer("observe").definedBy(S + ".internal.observe..")
                .layer("outbound").definedBy(S + ".internal.outbound..")

                .whereLayer("config").mayNotAccessAnyLayer()
                .whereLayer("engine").mayNotAccessAnyLayer()
                .whereLayer("streams").mayOnlyAccessLayers("engine")
                .whereLayer("app").mayOnlyAccessLayers("engine")
                .whereLayer("bridge").mayOnlyAccessLayers("engine")
                .whereLayer("auth").mayNotAccessAnyLayer()
                .whereLayer("observe").mayNotAccessAnyLayer()
                .whereLayer("outbound").mayOnlyAccessLayers("app")
                .whereLayer("delivery").mayOnlyAccessLayers("app", "engine", "auth", "observe")
                .whereLayer("operations").mayOnlyAccessLayers("delivery", "app", "engine")
                .whereLayer("hooks").mayOnlyAccessLayers("app", "auth", "observe", "outbound")
                .whereLayer("handlers").mayOnlyAccessLayers("operations", "delivery", "app", "engine", "auth", "outbound")
                .whereLayer("routing").mayOnlyAccessLayers("handlers", "operations", "delivery", "app", "engine", "auth",
                        "observe")
                .whereLayer("transport").mayOnlyAccessLayers("routing", "delivery", "app", "auth", "observe")
                .whereLayer("sse").mayOnlyAccessLayers("transport", "routing", "delivery", "app", "auth")
                .whereLayer("http apis").mayOnlyAccessLayers("transport", "operations", "app", "engine", "auth")
                .whereLayer("pusher").mayOnlyAccessLayers("transport", "routing", "operations", "delivery", "hooks", "app",
                        "engine", "auth", "outbound")
                .whereLayer("durable streams").mayOnlyAccessLayers("streams", "transport", "http apis", "auth")
                .whereLayer("resumable").mayOnlyAccessLayers("streams", "routing", "handlers", "delivery", "app", "engine", "auth")
                .whereLayer("node").mayNotBeAccessedByAnyLayer()
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching(S + ".(**)").should().beFreeOfCycles().check(classes);
    }
}
