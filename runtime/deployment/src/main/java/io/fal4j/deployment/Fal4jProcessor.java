package io.fal4j.deployment;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fal4j.api.App;
import io.fal4j.api.ContainerImage;
import io.fal4j.api.Description;
import io.fal4j.api.Endpoint;
import io.fal4j.api.FalApp;
import io.fal4j.runtime.AppHost;
import io.fal4j.runtime.AppSpec;
import io.fal4j.runtime.Fal4jRecorder;
import io.fal4j.runtime.Runner;
import io.fal4j.runtime.RunnerHealth;
import io.fal4j.runtime.RunnerJson;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.BeanContainerBuildItem;
import io.quarkus.arc.deployment.SyntheticBeanBuildItem;
import io.quarkus.arc.processor.DotNames;
import io.quarkus.deployment.GeneratedClassGizmoAdaptor;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.AdditionalIndexedClassesBuildItem;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.GeneratedClassBuildItem;
import io.quarkus.deployment.builditem.GeneratedResourceBuildItem;
import io.quarkus.deployment.pkg.builditem.OutputTargetBuildItem;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;

/**
 * The build half of fal4j: finds and checks the {@code @FalApp}, registers it and the runner as
 * beans, generates the endpoint invokers, records the {@link AppSpec} and writes the app metadata.
 */
class Fal4jProcessor {

    /** The metadata file, written to the build's output directory beside {@code quarkus-app/}. */
    static final String METADATA_FILE = "fal4j-app.json";
    /** The same metadata inside the packaged app. */
    static final String METADATA_RESOURCE = "META-INF/fal4j/app.json";

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem("fal4j");
    }

    @BuildStep
    AdditionalIndexedClassesBuildItem indexApi() {
        // The scanner reads annotation defaults and App implementors from the index.
        return new AdditionalIndexedClassesBuildItem(FalApp.class.getName(), Endpoint.class.getName(),
                App.class.getName(), Description.class.getName());
    }

    @BuildStep
    AppBuildItem scan(CombinedIndexBuildItem index) {
        List<String> problems = new ArrayList<>();
        ScannedApp app = AppScanner.scan(index.getIndex(), problems);
        if (app == null) {
            throw new InvalidAppException(problems);
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        RunnerJson json = RunnerJson.of(new ObjectMapper().findAndRegisterModules(), Integer.MAX_VALUE,
                Integer.MAX_VALUE, null);
        for (ScannedApp.Endpoint endpoint : app.endpoints()) {
            String where = app.className() + "#" + endpoint.method();
            try {
                InputTypeCheck.check(loader.loadClass(endpoint.inputClass()), where, json, problems);
            } catch (ClassNotFoundException | LinkageError e) {
                problems.add(where + ": cannot load the input " + endpoint.inputClass() + ": " + e);
            }
        }
        ContainerImage image = image(app.className(), loader, problems);
        if (!problems.isEmpty()) {
            throw new InvalidAppException(problems);
        }
        return new AppBuildItem(app, image);
    }

    /** Constructs the app (constructors do no work) and asks it for its image spec. */
    private static ContainerImage image(String appClass, ClassLoader loader, List<String> problems) {
        try {
            App app = (App) loader.loadClass(appClass).getDeclaredConstructor().newInstance();
            ContainerImage image = app.image();
            if (image == null) {
                problems.add(appClass + "#image() returned null; return a ContainerImage or leave the default");
            }
            return image;
        } catch (InvocationTargetException e) {
            problems.add(appClass + ": constructing the app failed: " + e.getCause());
        } catch (IllegalArgumentException e) {
            problems.add(appClass + "#image(): " + e.getMessage());
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            problems.add(appClass + "#image() failed: " + e);
        }
        return null;
    }

    @BuildStep
    void beans(AppBuildItem app, BuildProducer<AdditionalBeanBuildItem> beans) {
        beans.produce(AdditionalBeanBuildItem.builder().addBeanClasses(Runner.class, RunnerHealth.class,
                AppHost.class).setUnremovable().build());
        beans.produce(AdditionalBeanBuildItem.builder().addBeanClass(app.app().className())
                .setDefaultScope(DotNames.SINGLETON).setUnremovable().build());
    }

    @BuildStep
    void invokers(AppBuildItem app, BuildProducer<GeneratedClassBuildItem> classes) {
        InvokerGenerator.generate(app.app(), new GeneratedClassGizmoAdaptor(classes, true));
    }

    @BuildStep
    @Record(ExecutionTime.STATIC_INIT)
    SyntheticBeanBuildItem spec(AppBuildItem app, Fal4jRecorder recorder) {
        return SyntheticBeanBuildItem.configure(AppSpec.class).scope(Singleton.class).unremovable()
                .supplier(recorder.appSpec(app.app().spec())).done();
    }

    /**
     * Starts setup() at static init when the app injects nothing (see {@link Fal4jRecorder#startSetup}),
     * right after the bean container is initialized: {@code container} is there for that order only.
     */
    @BuildStep
    @Record(ExecutionTime.STATIC_INIT)
    void startSetup(AppBuildItem app, CombinedIndexBuildItem index, BeanContainerBuildItem container,
            Fal4jRecorder recorder) {
        if (!injects(index.getIndex(), DotName.createSimple(app.app().className()))) {
            recorder.startSetup(app.app().className(), app.app().spec().name());
        }
    }

    /** Whether a bean class or one of its superclasses has an injection point. */
    static boolean injects(IndexView index, DotName name) {
        for (ClassInfo type = index.getClassByName(name); type != null;
                type = type.superName() == null ? null : index.getClassByName(type.superName())) {
            if (type.annotationsMap().containsKey(DotNames.INJECT)
                    || type.constructors().stream().noneMatch(constructor -> constructor.parametersCount() == 0)) {
                return true;
            }
        }
        return false;
    }

    @BuildStep
    GeneratedResourceBuildItem metadata(AppBuildItem app, OutputTargetBuildItem target) throws IOException {
        byte[] json = AppMetadata.write(app.app(), app.image());
        Files.createDirectories(target.getOutputDirectory());
        Files.write(target.getOutputDirectory().resolve(METADATA_FILE), json);
        return new GeneratedResourceBuildItem(METADATA_RESOURCE, json);
    }
}
