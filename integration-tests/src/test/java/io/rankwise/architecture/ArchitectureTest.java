package io.rankwise.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.Dependency.Predicates.dependency;
import static com.tngtech.archunit.core.domain.Dependency.Predicates.dependencyTarget;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.conditions.ArchConditions.onlyHaveDependenciesWhere;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.rankwise.cli.Main;
import io.rankwise.training.checkpoint.SavedRun;
import io.rankwise.training.model.RunModel;
import io.rankwise.training.wiring.RunAssembly;
import io.rankwise.training.wiring.RunParts;
import java.util.ServiceLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering rules, checked on the compiled main classes of every module (everything under {@code
 * io.rankwise} on this module's class path, tests left out). Rules that the Maven module graph
 * already enforces (a module cannot import one it does not depend on) are not repeated here.
 *
 * <ol>
 *   <li>The api is layered: core ({@code io.rankwise.api}, {@code .adapt}, {@code .optim}, {@code
 *       .grid}) below {@code .spi} below {@code .plugin} below {@code .wiring}; no layer depends on
 *       one above it (so the core does not depend on spi, plugin or wiring).
 *   <li>Only {@code io.rankwise.api.plugin} uses {@link ServiceLoader}.
 *   <li>Only the backend modules ({@code io.rankwise.backend..}) and the tokenizer package ({@code
 *       io.rankwise.models.tokenize}) use engine packages ({@code ai.djl..}, {@code
 *       org.tensorflow..}, {@code org.bytedeco..}); the benchmark harness is exempt (see {@link
 *       #BENCHMARKS}).
 *   <li>The tokenizer package uses only DJL's Hugging Face tokenizers ({@code
 *       ai.djl.huggingface..}, {@code ai.djl.util..}), no other engine class.
 *   <li>Backends never see each other: no {@code io.rankwise.backend.X} depends on another {@code
 *       io.rankwise.backend.Y}.
 *   <li>Plugins see only the api: optimizers and allocators depend only on {@code java..}, {@code
 *       org.slf4j..}, {@code io.rankwise.api..} and their own module's packages.
 *   <li>Nothing outside {@code io.rankwise.cli..} depends on it (so training does not depend on
 *       cli); the benchmark harness is exempt, and so is {@code SubmitGrid}, the spark-submit entry
 *       point, which runs the cli's {@code ablate}.
 *   <li>The cli's config and report packages do not depend, even transitively, on its commands
 *       ({@code io.rankwise.cli.command}).
 *   <li>Guice ({@code com.google.inject..}, {@code jakarta.inject..}) is used only in {@code
 *       io.rankwise.api.wiring} and {@code io.rankwise.training.wiring}.
 *   <li>The training packages {@code .step}, {@code .model}, {@code .eval}, {@code .checkpoint} and
 *       {@code .peft} do not depend on {@code io.rankwise.training.wiring}, except {@code RunModel}
 *       and {@code SavedRun} on {@code RunParts} (a run's assembled plugins) and {@code SavedRun}
 *       on {@code RunAssembly} (to reassemble a saved run's parts).
 *   <li>No package cycles within a module, except picocli's cli &lt;-&gt; cli.command (Main lists
 *       the subcommands, which reach the process's plugins through Main), excluded by name in
 *       {@link #noPackageCycles()}.
 *   <li>Only the Spark executor ({@code io.rankwise.executor.spark..}) uses Spark ({@code
 *       org.apache.spark..}): cli, training and the rest run without it.
 *   <li>The test fixtures ({@code io.rankwise.testing..}, the testing module) serve tests only: no
 *       main class outside them depends on them.
 *   <li>No rule may pass by matching no classes: ArchUnit's {@code archRule.failOnEmptyShould}
 *       stays on, and no rule sets {@code allowEmptyShould}.
 * </ol>
 */
class ArchitectureTest {
    /** The packages of the engines that only backends (and the tokenizer) may use. */
    private static final String[] ENGINES = {"ai.djl..", "org.tensorflow..", "org.bytedeco.."};

    /**
     * The benchmark harness (integration-tests' main classes): its hand-written DJL and TensorFlow
     * steps use the engines directly, as baselines for the api's overhead, and it reuses the smoke
     * problem of {@code io.rankwise.cli.smoke}. It is measurement code, not part of the product, so
     * the engine and cli rules leave it out.
     */
    private static final String BENCHMARKS = "io.rankwise.bench..";

    private static JavaClasses production;

    @BeforeAll
    static void importClasses() {
        production =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.rankwise");
    }

    @Test
    void apiIsLayered() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("core")
                .definedBy(
                        "io.rankwise.api",
                        "io.rankwise.api.adapt..",
                        "io.rankwise.api.optim..",
                        "io.rankwise.api.grid..")
                .layer("spi")
                .definedBy("io.rankwise.api.spi..")
                .layer("plugin")
                .definedBy("io.rankwise.api.plugin..")
                .layer("wiring")
                .definedBy("io.rankwise.api.wiring..")
                .whereLayer("wiring")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("plugin")
                .mayOnlyBeAccessedByLayers("wiring")
                .whereLayer("spi")
                .mayOnlyBeAccessedByLayers("plugin", "wiring")
                .because(
                        "providers build on the api's abstractions, discovery on providers, and injection on discovery")
                .check(production);
    }

    @Test
    void onlyThePluginPackageUsesServiceLoader() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.rankwise.api.plugin..")
                .should()
                .dependOnClassesThat()
                .belongToAnyOf(ServiceLoader.class)
                .because("discovery has one policy, in io.rankwise.api.plugin")
                .check(production);
    }

    @Test
    void onlyBackendsAndTheTokenizerUseEngines() {
        noClasses()
                .that()
                .resideOutsideOfPackages(
                        "io.rankwise.backend..", "io.rankwise.models.tokenize..", BENCHMARKS)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(ENGINES)
                .because("everything else runs on any backend through the api")
                .check(production);
    }

    @Test
    void theTokenizerUsesOnlyDjlTokenizers() {
        noClasses()
                .that()
                .resideInAPackage("io.rankwise.models.tokenize..")
                .should()
                .dependOnClassesThat(
                        resideInAnyPackage(ENGINES)
                                .and(
                                        not(
                                                resideInAnyPackage(
                                                        "ai.djl.huggingface..", "ai.djl.util.."))))
                .because("the tokenizer uses DJL's Hugging Face tokenizers, not its engine")
                .check(production);
    }

    @Test
    void backendsDoNotSeeEachOther() {
        slices().matching("io.rankwise.backend.(*)..")
                .should()
                .notDependOnEachOther()
                .because("each backend is a plugin that works alone")
                .check(production);
    }

    @Test
    void optimizersSeeOnlyTheApi() {
        classes()
                .that()
                .resideInAPackage("io.rankwise.optimizers..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "java..", "org.slf4j..", "io.rankwise.api..", "io.rankwise.optimizers..")
                .because("plugins are written against the api alone")
                .check(production);
    }

    @Test
    void allocatorsSeeOnlyTheApi() {
        classes()
                .that()
                .resideInAPackage("io.rankwise.allocators..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "java..", "org.slf4j..", "io.rankwise.api..", "io.rankwise.allocators..")
                .because("plugins are written against the api alone")
                .check(production);
    }

    @Test
    void nothingOutsideTheCliDependsOnIt() {
        noClasses()
                .that()
                .resideOutsideOfPackages("io.rankwise.cli..", BENCHMARKS)
                .and()
                .doNotHaveFullyQualifiedName("io.rankwise.executor.spark.SubmitGrid")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.rankwise.cli..")
                .because(
                        "the cli is the outermost layer; training and the rest are used by it, never the other way")
                .check(production);
    }

    @Test
    void cliConfigAndReportDoNotDependOnCommands() {
        noClasses()
                .that()
                .resideInAnyPackage("io.rankwise.cli.config..", "io.rankwise.cli.report..")
                .should()
                .transitivelyDependOnClassesThat()
                .resideInAPackage("io.rankwise.cli.command..")
                .because("commands use configuration and reports, not the other way")
                .check(production);
    }

    @Test
    void onlyTheWiringPackagesUseGuice() {
        noClasses()
                .that()
                .resideOutsideOfPackages(
                        "io.rankwise.api.wiring..", "io.rankwise.training.wiring..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("com.google.inject..", "jakarta.inject..")
                .because("injection is assembly; the parts themselves are plain classes")
                .check(production);
    }

    @Test
    void trainingPackagesDoNotDependOnWiring() {
        classes()
                .that()
                .resideInAnyPackage(
                        "io.rankwise.training.step..",
                        "io.rankwise.training.model..",
                        "io.rankwise.training.eval..",
                        "io.rankwise.training.checkpoint..",
                        "io.rankwise.training.peft..")
                .should(
                        onlyHaveDependenciesWhere(
                                not(dependencyTarget(
                                                resideInAPackage("io.rankwise.training.wiring..")))
                                        // A model is built from a run's assembled plugins (backend,
                                        // adapter provider).
                                        .or(
                                                dependency(
                                                        belongToAnyOf(
                                                                RunModel.class, SavedRun.class),
                                                        belongToAnyOf(RunParts.class)))
                                        // Reopening a saved run reassembles the parts its spec
                                        // names.
                                        .or(
                                                dependency(
                                                        belongToAnyOf(SavedRun.class),
                                                        belongToAnyOf(RunAssembly.class)))))
                .because(
                        "assembly sits above the training machinery, which gets its parts handed in")
                .check(production);
    }

    /**
     * One slice per package, so a cycle can only be within a module (Maven forbids cycles between
     * modules). The one cycle that exists is excluded by name where it is broken; a new cycle, or
     * this one grown by another class, fails.
     */
    @Test
    void noPackageCycles() {
        slices().matching("io.rankwise.(**)")
                .should()
                .beFreeOfCycles()
                // cli <-> cli.command, cli <-> cli.smoke: Main lists the picocli subcommands, and
                // each command's @ParentCommand field is Main, for the process's plugins().
                .ignoreDependency(
                        resideInAnyPackage("io.rankwise.cli.command..", "io.rankwise.cli.smoke.."),
                        belongToAnyOf(Main.class))
                .check(production);
    }

    @Test
    void onlyTheSparkExecutorUsesSpark() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.rankwise.executor.spark..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.apache.spark..")
                .because("Spark is one executor plugin; cli, training and the rest run without it")
                .check(production);
    }

    @Test
    void onlyTestsUseTheTestFixtures() {
        // The testing module's main classes are on this class path (it is a test dependency here),
        // so they are imported as production code; test classes are left out by the import option.
        noClasses()
                .that()
                .resideOutsideOfPackage("io.rankwise.testing..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.rankwise.testing..")
                .because(
                        "rankwise-testing is a test-scope dependency everywhere; the product must not need JUnit or the float64 reference")
                .check(production);
    }

    @Test
    void rulesFailWhenTheyMatchNoClasses() {
        assertEquals(
                "true",
                ArchConfiguration.get().getPropertyOrDefault("archRule.failOnEmptyShould", "true"),
                "archRule.failOnEmptyShould must stay on, so that a rule whose that() matches nothing fails");
    }
}
