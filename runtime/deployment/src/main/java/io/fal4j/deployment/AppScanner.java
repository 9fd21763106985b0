package io.fal4j.deployment;

import io.fal4j.api.App;
import io.fal4j.api.Description;
import io.fal4j.api.Endpoint;
import io.fal4j.api.FalApp;
import io.fal4j.api.RequestContext;
import io.quarkus.gizmo.MethodDescriptor;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.Type;

/**
 * Finds the one {@code @FalApp} class in the application's index and checks how it is declared:
 * the class, its knobs and every {@code @Endpoint}. Collects all problems, then fails once.
 */
final class AppScanner {

    static final DotName FAL_APP = DotName.createSimple(FalApp.class.getName());
    static final DotName ENDPOINT = DotName.createSimple(Endpoint.class.getName());
    static final DotName APP = DotName.createSimple(App.class.getName());
    static final DotName CONTEXT = DotName.createSimple(RequestContext.class.getName());
    static final DotName DESCRIPTION = DotName.createSimple(Description.class.getName());

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~/-]*");
    private static final Set<String> RESERVED = Set.of("/health", "/metrics", "/openapi.json");
    private static final List<String> RESERVED_PREFIXES = List.of("/files/", "/q/", "/.well-known/");

    private final IndexView index;
    private final List<String> problems;

    private AppScanner(IndexView index, List<String> problems) {
        this.index = index;
        this.problems = problems;
    }

    /**
     * Scans the index, adding a sentence to {@code problems} for each mistake found.
     *
     * @return the app, or null when there is no single {@code @FalApp} class; its endpoints are
     *         the well-formed ones
     */
    static ScannedApp scan(IndexView index, List<String> problems) {
        return new AppScanner(index, problems).scan();
    }

    private ScannedApp scan() {
        List<ClassInfo> apps = index.getAnnotations(FAL_APP).stream()
                .filter(a -> a.target().kind() == AnnotationTarget.Kind.CLASS)
                .map(a -> a.target().asClass()).toList();
        if (apps.isEmpty()) {
            problems.add("no @FalApp class found: annotate the class that implements io.fal4j.api.App with "
                    + "@io.fal4j.api.FalApp");
            return null;
        }
        if (apps.size() > 1) {
            problems.add("found " + apps.size() + " @FalApp classes (" + apps.stream().map(c -> c.name().toString())
                    .sorted().collect(Collectors.joining(", ")) + "): a runner serves exactly one app; keep one");
            return null;
        }
        ClassInfo app = apps.get(0);
        checkClass(app);
        AnnotationInstance falApp = app.declaredAnnotation(FAL_APP);
        String name = name(app, falApp);
        ScannedApp.Knobs knobs = knobs(app, falApp);
        List<ScannedApp.Endpoint> endpoints = endpoints(app);
        return new ScannedApp(app.name().toString(), name, knobs, description(app.declaredAnnotation(DESCRIPTION)),
                endpoints);
    }

    private void checkClass(ClassInfo app) {
        String name = app.name().toString();
        if (!Modifier.isPublic(app.flags()) || Modifier.isAbstract(app.flags()) || app.isInterface()) {
            problems.add(name + ": a @FalApp class must be a public, concrete class");
        }
        if (!implementsApp(app)) {
            problems.add(name + ": a @FalApp class must implement io.fal4j.api.App");
        }
        MethodInfo constructor = app.method("<init>");
        if (constructor == null || !Modifier.isPublic(constructor.flags())) {
            problems.add(name + ": a @FalApp class needs a public constructor without parameters; "
                    + "heavy work belongs in setup()");
        }
    }

    private boolean implementsApp(ClassInfo app) {
        return index.getAllKnownImplementors(APP).stream().anyMatch(c -> c.name().equals(app.name()));
    }

    private String name(ClassInfo app, AnnotationInstance falApp) {
        String name = falApp.valueWithDefault(index, "name").asString();
        if (name.isEmpty()) {
            name = kebab(app.simpleName());
        }
        if (!NAME.matcher(name).matches()) {
            problems.add(app.name() + ": @FalApp(name = \"" + name + "\") must be lower-case letters, digits and "
                    + "dashes, at most 63, starting and ending with a letter or digit");
        }
        return name;
    }

    private ScannedApp.Knobs knobs(ClassInfo app, AnnotationInstance falApp) {
        List<String> machineType = Arrays.asList(falApp.valueWithDefault(index, "machineType").asStringArray());
        Map<String, Integer> ints = new LinkedHashMap<>();
        for (String knob : List.of("numGpus", "keepAlive", "minConcurrency", "maxConcurrency", "concurrencyBuffer",
                "maxMultiplexing", "requestTimeout", "startupTimeout")) {
            ints.put(knob, falApp.valueWithDefault(index, knob).asInt());
        }
        String where = app.name() + ": @FalApp(";
        if (machineType.isEmpty() || machineType.stream().anyMatch(String::isBlank)) {
            problems.add(where + "machineType) needs at least one machine type and no blank ones");
        }
        for (String knob : List.of("maxMultiplexing", "requestTimeout", "startupTimeout", "maxConcurrency")) {
            if (ints.get(knob) < 1) {
                problems.add(where + knob + " = " + ints.get(knob) + ") must be at least 1");
            }
        }
        for (String knob : List.of("numGpus", "keepAlive", "minConcurrency", "concurrencyBuffer")) {
            if (ints.get(knob) < 0) {
                problems.add(where + knob + " = " + ints.get(knob) + ") must not be negative");
            }
        }
        if (ints.get("minConcurrency") > ints.get("maxConcurrency")) {
            problems.add(where + "minConcurrency = " + ints.get("minConcurrency") + ") exceeds maxConcurrency = "
                    + ints.get("maxConcurrency"));
        }
        return new ScannedApp.Knobs(machineType, ints.get("numGpus"), ints.get("keepAlive"),
                ints.get("minConcurrency"), ints.get("maxConcurrency"), ints.get("concurrencyBuffer"),
                ints.get("maxMultiplexing"), ints.get("requestTimeout"), ints.get("startupTimeout"),
                falApp.valueWithDefault(index, "auth").asEnum());
    }

    private List<ScannedApp.Endpoint> endpoints(ClassInfo app) {
        Set<DotName> hierarchy = hierarchy(app);
        Map<String, String> byPath = new LinkedHashMap<>();
        List<ScannedApp.Endpoint> endpoints = new ArrayList<>();
        Collection<AnnotationInstance> annotations = index.getAnnotations(ENDPOINT);
        for (AnnotationInstance annotation : annotations) {
            MethodInfo method = annotation.target().asMethod();
            String where = method.declaringClass().name() + "#" + method.name();
            if (!hierarchy.contains(method.declaringClass().name())) {
                problems.add(where + ": @Endpoint methods belong to the @FalApp class, and "
                        + method.declaringClass().name() + " is not it");
                continue;
            }
            String path = annotation.value().asString();
            String clash = byPath.putIfAbsent(path, where);
            if (clash != null) {
                problems.add(clash + " and " + where + " are both @Endpoint(\"" + path + "\"): give each its own path");
            }
            checkPath(where, path);
            ScannedApp.Endpoint endpoint = endpoint(app, method, where, path, endpoints.size());
            if (endpoint != null) {
                endpoints.add(endpoint);
            }
        }
        if (annotations.stream().noneMatch(a -> hierarchy.contains(a.target().asMethod().declaringClass().name()))) {
            problems.add(app.name() + " declares no @Endpoint method: add one, such as "
                    + "@Endpoint(\"/\") public Output run(Input input)");
        }
        return endpoints;
    }

    private void checkPath(String where, String path) {
        if (!PATH.matcher(path).matches() || path.contains("//")) {
            problems.add(where + ": @Endpoint(\"" + path + "\") must start with / and use only letters, digits "
                    + "and . _ ~ - /");
        } else if (RESERVED.contains(path) || RESERVED_PREFIXES.stream().anyMatch(path::startsWith)
                || path.equals("/q") || path.equals("/files")) {
            problems.add(where + ": @Endpoint(\"" + path + "\") is a path the runner serves itself");
        }
    }

    private ScannedApp.Endpoint endpoint(ClassInfo app, MethodInfo method, String where, String path, int position) {
        List<String> wrong = new ArrayList<>();
        if (!Modifier.isPublic(method.flags()) || Modifier.isStatic(method.flags())) {
            wrong.add("it must be public and not static");
        }
        Type returned = method.returnType();
        if (returned.kind() == Type.Kind.VOID || returned.kind() == Type.Kind.PRIMITIVE) {
            wrong.add("it must return an output object, not " + returned);
        }
        int count = method.parametersCount();
        boolean takesContext = count == 2 && method.parameterType(1).name().equals(CONTEXT);
        if (count == 0 || count > 2 || count == 2 && !takesContext) {
            wrong.add("it must take one input object and optionally a RequestContext, not ("
                    + method.parameterTypes().stream().map(Type::toString).collect(Collectors.joining(", ")) + ")");
        } else if (method.parameterType(0).kind() != Type.Kind.CLASS) {
            wrong.add("its input must be a record or bean class, not " + method.parameterType(0));
        }
        if (!wrong.isEmpty()) {
            problems.add(where + " is not a valid @Endpoint: " + String.join("; ", wrong));
            return null;
        }
        return new ScannedApp.Endpoint(path, method.name(), method.parameterType(0).name().toString(),
                returned.toString(), takesContext, description(method.annotation(DESCRIPTION)),
                app.name() + "$$Fal4jInvoker" + position + "_" + method.name(), MethodDescriptor.of(method));
    }

    private Set<DotName> hierarchy(ClassInfo app) {
        Set<DotName> names = new HashSet<>();
        ClassInfo current = app;
        while (current != null) {
            names.add(current.name());
            current = current.superName() == null ? null : index.getClassByName(current.superName());
        }
        return names;
    }

    private static String description(AnnotationInstance description) {
        return description == null ? "" : description.value().asString();
    }

    /** {@code TextToImageApp} becomes {@code text-to-image-app}; {@code HTTPEcho} becomes {@code http-echo}. */
    static String kebab(String className) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < className.length(); i++) {
            char c = className.charAt(i);
            if (Character.isUpperCase(c)) {
                boolean afterLower = i > 0 && !Character.isUpperCase(className.charAt(i - 1));
                boolean endsAcronym = i > 0 && i + 1 < className.length()
                        && Character.isUpperCase(className.charAt(i - 1))
                        && Character.isLowerCase(className.charAt(i + 1));
                if (out.length() > 0 && (afterLower || endsAcronym)) {
                    out.append('-');
                }
                out.append(Character.toLowerCase(c));
            } else if (Character.isLetterOrDigit(c)) {
                out.append(c);
            } else if (out.length() > 0 && out.charAt(out.length() - 1) != '-') {
                out.append('-');
            }
        }
        return out.toString();
    }
}
