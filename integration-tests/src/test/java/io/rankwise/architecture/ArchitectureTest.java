package io.rankwise.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dependency rules of DESIGN.md, checked on the compiled main classes of every module. */
class ArchitectureTest {
    private static JavaClasses production;

    @BeforeAll
    static void importClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.rankwise");
    }

    @Test
    void apiImportsNoEngine() {
        noClasses().that().resideInAPackage("io.rankwise.api..")
                .should().dependOnClassesThat().resideInAnyPackage("ai.djl..", "org.tensorflow..", "org.bytedeco..")
                .because("the api is backend-neutral")
                .check(production);
    }

    @Test
    void apiSeesNoImplementationModule() {
        noClasses().that().resideInAPackage("io.rankwise.api..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.rankwise.backend..", "io.rankwise.optimizers..", "io.rankwise.allocators..",
                        "io.rankwise.models..", "io.rankwise.cli..")
                .check(production);
    }

    @Test
    void djlBackendDoesNotSeeTensorFlow() {
        noClasses().that().resideInAPackage("io.rankwise.backend.djl..")
                .should().dependOnClassesThat().resideInAnyPackage("org.tensorflow..", "io.rankwise.backend.tensorflow..")
                .check(production);
    }

    @Test
    void tensorFlowBackendDoesNotSeeDjl() {
        noClasses().that().resideInAPackage("io.rankwise.backend.tensorflow..")
                .should().dependOnClassesThat().resideInAnyPackage("ai.djl..", "io.rankwise.backend.djl..")
                .check(production);
    }

    @Test
    void optimizersAndAllocatorsSeeOnlyTheApi() {
        // allowEmptyShould: the modules exist before their classes do (optimizers and allocators issues).
        classes().that().resideInAnyPackage("io.rankwise.optimizers..", "io.rankwise.allocators..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "java..", "io.rankwise.api..", "io.rankwise.optimizers..", "io.rankwise.allocators..", "org.slf4j..")
                .allowEmptyShould(true)
                .check(production);
        noClasses().that().resideInAPackage("io.rankwise.optimizers..")
                .should().dependOnClassesThat().resideInAPackage("io.rankwise.allocators..")
                .allowEmptyShould(true)
                .check(production);
    }

    @Test
    void onlyTheWiringPackageImportsGuice() {
        noClasses().that().resideOutsideOfPackage("io.rankwise.api.wiring..")
                .should().dependOnClassesThat().resideInAnyPackage("com.google.inject..")
                .check(production);
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.rankwise.(**)").should().beFreeOfCycles().check(production);
    }
}
