package kiln;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import kiln.engine.util.AtomicFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The layers depend one way: app → widgets → engine. */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importKiln() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("kiln");
    }

    @Test
    void theRulesSeeRealClasses() {
        assertTrue(classes.stream().anyMatch(c -> c.getPackageName().startsWith("kiln.engine")), "engine classes imported");
        assertTrue(classes.stream().anyMatch(c -> c.getPackageName().startsWith("kiln.app")), "app classes imported");
    }

    @Test
    void engineIsHeadless() {
        noClasses().that().resideInAPackage("kiln.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "kiln.widgets..", "kiln.app..")
                .because("the engine must run from the command line and as a library, with no display")
                .check(classes);
    }

    @Test
    void widgetsDoNotKnowTheApp() {
        noClasses().that().resideInAPackage("kiln.widgets..")
                .should().dependOnClassesThat().resideInAPackage("kiln.app..")
                .because("widgets are reusable controls that any shell can host")
                .allowEmptyShould(false)
                .check(classes);
    }

    /** Each package alone (kiln.app and kiln.app.training are two slices), then whole modules, then module parts with their sub-packages. */
    @ParameterizedTest
    @ValueSource(strings = {"kiln.(**)", "kiln.(*)..", "kiln.(*).(*).."})
    void noPackageCycles(String slicing) {
        freeOfCycles(slicing).check(classes);
    }

    @Test
    void theCycleRuleSeesAParentAndItsSubPackageUsingEachOther() {
        JavaClasses cyclic = new ClassFileImporter().importPackages("kiln.architecture.cycle");
        assertThrows(AssertionError.class, () -> freeOfCycles("kiln.(**)").check(cyclic));
    }

    private static ArchRule freeOfCycles(String slicing) {
        return slices().matching(slicing).should().beFreeOfCycles()
                .because("a cycle makes two packages one: neither can be read, tested or changed alone")
                .allowEmptyShould(false);
    }

    @Test
    void weightsFormatStandsAlone() {
        classes().that().resideInAPackage("kiln.engine.weights..")
                .should().onlyDependOnClassesThat(resideInAnyPackage("java..", "com.fasterxml.jackson..", "kiln.engine.weights..")
                        .or(belongToAnyOf(AtomicFiles.class)))
                .because("the weights file format is read by the training engine, tools and tests alike, and must not "
                        + "pull in ND4J, DL4J, JavaFX or the rest of Kiln")
                .check(classes);
    }

    @Test
    void theEngineCoreKnowsOnlyTensors() {
        // ND4J for arrays and ops, JavaCPP's oneDNN bindings for the kernels it calls directly
        classes().that().resideInAPackage("kiln.engine.nn..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.nd4j..", "org.bytedeco..", "kiln.engine.nn..")
                .because("the engine's primitives and planner know tensors, not layers, projects or files: the catalog "
                        + "composes them, so a new layer never changes the engine and the engine never changes a layer")
                .check(classes);
    }
}
