package kiln;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
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

    /** Classes of app and widgets that may touch files, each because that code runs as executor work (or, for
     *  ChooserStart, right before a native chooser that reads folders on the JavaFX thread anyway). */
    private static final String[] FILE_ACCESS_ALLOWED = {
            "kiln.app.UserProjects", "kiln.app.RecentProjects", "kiln.app.TrainGuide",
            "kiln.widgets.tasks.TaskExecutor", "kiln.widgets.util.ChooserStart"};

    @Test
    void viewsLeaveFilesToTheExecutor() {
        noClasses().that().resideInAnyPackage("kiln.app..", "kiln.widgets..")
                .and(notNamed(FILE_ACCESS_ALLOWED))
                .should().callCodeUnitWhere(touchesFiles())
                .because("file access on the JavaFX thread freezes the window: views hand it to the executor "
                        + "(TaskExecutor.submit/save) or to one of the named classes whose methods run there")
                .allowEmptyShould(false)
                .check(classes);
    }

    @Test
    void theFileRuleSeesAViewThatReadsAFile() {
        JavaClasses view = new ClassFileImporter().importClasses(ViewReadingAFile.class);
        assertThrows(AssertionError.class, () -> noClasses().should().callCodeUnitWhere(touchesFiles()).check(view));
    }

    /** A made-up view that reads a file in its click handler, as the rule above must refuse. */
    static final class ViewReadingAFile {
        String onClick(java.nio.file.Path p) throws java.io.IOException {
            return java.nio.file.Files.readString(p);
        }
    }

    private static DescribedPredicate<JavaClass> notNamed(String... names) {
        // nested and anonymous classes (a lambda's enclosing class is the class itself) belong to their top class
        return DescribedPredicate.describe("are not one of " + String.join(", ", names),
                c -> java.util.Arrays.stream(names).noneMatch(n -> c.getName().equals(n) || c.getName().startsWith(n + "$")));
    }

    /** java.nio.file.Files, AtomicFiles, file streams, readers and writers, and java.io.File's disk queries. */
    private static DescribedPredicate<JavaCall<?>> touchesFiles() {
        java.util.Set<String> fileQueries = java.util.Set.of("exists", "isDirectory", "isFile", "list", "listFiles",
                "mkdir", "mkdirs", "delete", "length", "lastModified", "createNewFile", "renameTo");
        java.util.Set<String> fileClasses = java.util.Set.of("java.io.FileInputStream", "java.io.FileOutputStream",
                "java.io.FileReader", "java.io.FileWriter", "java.io.RandomAccessFile");
        return DescribedPredicate.describe("touches files", call -> {
            String owner = call.getTargetOwner().getName();
            return owner.equals("java.nio.file.Files") || owner.equals(AtomicFiles.class.getName())
                    || fileClasses.contains(owner)
                    || owner.equals("java.io.File") && fileQueries.contains(call.getName());
        });
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
