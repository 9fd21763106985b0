package io.fal4j.api;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The rules every {@link ContainerImage} option is checked against when it is set. */
final class ImageRules {

    private static final Pattern ARG_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern SECRET_ID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    private static final Pattern REFERENCE =
            Pattern.compile("\\$(?:([A-Za-z_][A-Za-z0-9_]*)|\\{([A-Za-z_][A-Za-z0-9_]*)})");
    private static final Pattern REGISTRY_HOST =
            Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?");
    private static final Pattern FROM_LINE = Pattern.compile("(?im)^\\s*FROM\\s+\\S");

    private ImageRules() {
    }

    static String checkDockerfile(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(what + " is blank: give the Dockerfile of the image, starting with FROM");
        }
        if (!FROM_LINE.matcher(text).find()) {
            throw new IllegalArgumentException(what + " has no FROM instruction: name the base image with FROM");
        }
        return text;
    }

    static String checkArgName(String name) {
        if (name == null || !ARG_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Build argument name '" + name
                    + "' is invalid: use letters, digits and underscores, not starting with a digit");
        }
        return name;
    }

    static String checkSecretId(String id) {
        if (id == null || !SECRET_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("Secret id '" + id
                    + "' is invalid: use letters, digits, '_', '.' and '-'");
        }
        return id;
    }

    static String checkReference(String value, String what) {
        if (value == null || !REFERENCE.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be a reference such as \"$HF_TOKEN\" to an environment "
                    + "variable of the machine that builds the image, not a literal value: a secret written in code "
                    + "ends up in source control and build logs");
        }
        return value;
    }

    static String checkHost(String host) {
        if (host == null || !REGISTRY_HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("Registry host '" + host
                    + "' is invalid: give the host name and optional port, without scheme or path (ghcr.io, localhost:5000)");
        }
        return host;
    }

    static String checkPattern(String pattern) {
        if (pattern == null) {
            throw new IllegalArgumentException("An ignore pattern is null");
        }
        if (pattern.indexOf('\n') >= 0 || pattern.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("Ignore pattern '" + pattern.strip()
                    + "' spans lines: give one pattern an entry");
        }
        return pattern;
    }

    static String referencedName(String reference) {
        Matcher m = REFERENCE.matcher(checkReference(reference, "The value"));
        m.matches();
        return m.group(1) != null ? m.group(1) : m.group(2);
    }
}
