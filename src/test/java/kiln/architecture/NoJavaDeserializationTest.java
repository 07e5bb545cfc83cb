package kiln.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ObjectInputStream;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Kiln never turns bytes from a file into Java objects of the file's choosing. */
class NoJavaDeserializationTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importKiln() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("kiln");
    }

    @Test
    void noClassDeserializesJavaObjects() {
        noClasses().that().resideInAPackage("kiln..")
                .should().dependOnClassesThat(belongToAnyOf(ObjectInputStream.class)
                        .or(name("org.deeplearning4j.util.ModelSerializer")))
                .because("files from elsewhere (a shared project, a downloaded run, an old checkpoint) are data, never "
                        + "code: Java deserialization, which DL4J's ModelSerializer uses, can run code the file chooses, "
                        + "so weights are read as safetensors by kiln.engine.weights")
                .check(classes);
    }
}
