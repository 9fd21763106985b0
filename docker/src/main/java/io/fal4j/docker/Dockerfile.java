package io.fal4j.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read the way BuildKit reads it, as far as fal4j needs: parser directives (only
 * {@code escape} changes anything), line continuations with the escape character, comment lines,
 * heredocs, instructions in JSON or shell form with their {@code --flags}, {@code ARG} before the
 * first {@code FROM}, and build stages. Every instruction keeps the line it starts on, so that each
 * problem can name it.
 */
public final class Dockerfile {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*$");
    private static final Pattern HEREDOC = Pattern.compile("<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_]*)\\2");
    private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+][^}]*)?}|([A-Za-z_][A-Za-z0-9_]*))");

    /**
     * One instruction.
     *
     * @param line the line it starts on (from 1)
     * @param keyword the instruction, upper case
     * @param flags its {@code --name=value} flags
     * @param arguments its arguments: the JSON array's strings, or the shell form split on whitespace
     * @param json whether it was written in JSON form
     * @param raw the text after the keyword, continuations joined
     */
    public record Instruction(int line, String keyword, Map<String, String> flags, List<String> arguments,
            boolean json, String raw) {
    }

    /**
     * A context path a COPY or ADD reads.
     *
     * @param line the instruction's line
     * @param source the source as written (variables substituted)
     * @param matches the context entries it names
     */
    public record Source(int line, String source, List<String> matches) {
    }

    private final char escape;
    private final List<Instruction> instructions;

    private Dockerfile(char escape, List<Instruction> instructions) {
        this.escape = escape;
        this.instructions = List.copyOf(instructions);
    }

    /**
     * Reads a Dockerfile.
     *
     * @throws DockerfileException for a bad directive, an instruction without arguments, an
     *         unterminated heredoc, or no {@code FROM}
     */
    public static Dockerfile parse(String text) {
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        char escape = '\\';
        int i = 0;
        for (; i < lines.length; i++) {
            Matcher directive = DIRECTIVE.matcher(lines[i]);
            if (!directive.matches()) {
                break;
            }
            if (directive.group(1).equalsIgnoreCase("escape")) {
                String value = directive.group(2);
                if (!value.equals("\\") && !value.equals("`")) {
                    throw new DockerfileException(i + 1, "invalid escape character '" + value + "': use \\ or `");
                }
                escape = value.charAt(0);
            }
        }
        List<Instruction> instructions = new ArrayList<>();
        while (i < lines.length) {
            String line = lines[i];
            if (line.isBlank() || line.strip().startsWith("#")) {
                i++;
                continue;
            }
            int start = i + 1;
            StringBuilder logical = new StringBuilder();
            while (true) {
                String stripped = lines[i].stripTrailing();
                i++;
                if (stripped.endsWith(String.valueOf(escape)) && !stripped.isEmpty()) {
                    logical.append(stripped, 0, stripped.length() - 1);
                    // Comment and empty lines inside a continuation are dropped.
                    while (i < lines.length && (lines[i].isBlank() || lines[i].strip().startsWith("#"))) {
                        i++;
                    }
                    if (i >= lines.length) {
                        break;
                    }
                    continue;
                }
                logical.append(stripped);
                break;
            }
            Instruction instruction = instruction(start, logical.toString().strip());
            instructions.add(instruction);
            i = skipHeredocs(instruction, lines, i);
        }
        if (instructions.stream().noneMatch(each -> each.keyword().equals("FROM"))) {
            throw new DockerfileException(instructions.isEmpty() ? 1 : instructions.get(0).line(),
                    "the Dockerfile has no FROM instruction");
        }
        Instruction first = instructions.get(0);
        if (!first.keyword().equals("FROM") && !first.keyword().equals("ARG")) {
            throw new DockerfileException(first.line(), first.keyword() + " comes before the first FROM; only ARG may");
        }
        return new Dockerfile(escape, instructions);
    }

    private static Instruction instruction(int line, String text) {
        int space = indexOfWhitespace(text);
        String keyword = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
        String rest = space < 0 ? "" : text.substring(space).strip();
        if (rest.isEmpty()) {
            throw new DockerfileException(line, keyword + " needs arguments");
        }
        Map<String, String> flags = new HashMap<>();
        if (keyword.equals("COPY") || keyword.equals("ADD") || keyword.equals("FROM") || keyword.equals("RUN")) {
            while (rest.startsWith("--")) {
                int end = indexOfWhitespace(rest);
                String flag = end < 0 ? rest : rest.substring(0, end);
                int equals = flag.indexOf('=');
                flags.put(equals < 0 ? flag.substring(2) : flag.substring(2, equals),
                        equals < 0 ? "" : flag.substring(equals + 1));
                rest = end < 0 ? "" : rest.substring(end).strip();
            }
        }
        if (rest.startsWith("[")) {
            List<String> array = jsonArray(rest);
            if (array != null) {
                return new Instruction(line, keyword, flags, array, true, rest);
            }
        }
        List<String> words = rest.isEmpty() ? List.of() : List.of(rest.split("\\s+"));
        return new Instruction(line, keyword, flags, words, false, rest);
    }

    private static int skipHeredocs(Instruction instruction, String[] lines, int next) {
        if (instruction.json()) {
            return next;
        }
        Matcher heredoc = HEREDOC.matcher(instruction.raw());
        int i = next;
        while (heredoc.find()) {
            boolean stripTabs = !heredoc.group(1).isEmpty();
            String end = heredoc.group(3);
            while (true) {
                if (i >= lines.length) {
                    throw new DockerfileException(instruction.line(), "the heredoc <<" + end + " is never closed");
                }
                String body = stripTabs ? lines[i].replaceFirst("^\t+", "") : lines[i];
                i++;
                if (body.equals(end)) {
                    break;
                }
            }
        }
        return i;
    }

    private static List<String> jsonArray(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            if (!node.isArray()) {
                return null;
            }
            List<String> values = new ArrayList<>();
            for (JsonNode value : node) {
                if (!value.isTextual()) {
                    return null;
                }
                values.add(value.asText());
            }
            return values;
        } catch (IOException e) {
            return null;
        }
    }

    private static int indexOfWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The escape character: {@code \} or, by directive, a backtick. */
    public char escape() {
        return escape;
    }

    /** The instructions in order. */
    public List<Instruction> instructions() {
        return instructions;
    }

    /**
     * Every context path the COPY and ADD instructions read, expanded against the context.
     * {@code COPY --from}, ADD of a URL or git repository, and heredoc sources read no context.
     *
     * @param buildArgs values for {@code $VARIABLES} in sources, over the ARG defaults
     * @throws DockerfileException naming the line of a source that leaves the context or matches nothing
     */
    public List<Source> contextSources(BuildContext context, Map<String, String> buildArgs) {
        // An ARG before the first FROM is global: a stage sees it only when it declares it again.
        Map<String, String> globals = globalArgs(buildArgs);
        Map<String, String> variables = new HashMap<>();
        List<Source> sources = new ArrayList<>();
        for (Instruction instruction : instructions) {
            String keyword = instruction.keyword();
            if (keyword.equals("FROM")) {
                variables = new HashMap<>();
            } else if (keyword.equals("ARG")) {
                declare(instruction, variables, globals, buildArgs);
            }
            if (!keyword.equals("COPY") && !keyword.equals("ADD") || instruction.flags().containsKey("from")) {
                continue;
            }
            List<String> arguments = instruction.arguments();
            if (arguments.size() < 2) {
                throw new DockerfileException(instruction.line(), keyword + " needs a source and a destination");
            }
            int named = 0;
            for (String written : arguments.subList(0, arguments.size() - 1)) {
                if (written.startsWith("<<") || keyword.equals("ADD") && remote(written)) {
                    named++;
                    continue;
                }
                String source = substitute(written, variables);
                if (source.isEmpty()) {
                    // A word that substitutes to nothing is no argument at all, as in BuildKit.
                    continue;
                }
                named++;
                String cleaned = ContextPaths.clean(source.startsWith("/") ? source.substring(1) : source);
                if (ContextPaths.escapes(cleaned)) {
                    throw new DockerfileException(instruction.line(), keyword + " source '" + written
                            + "' is outside the build context");
                }
                List<String> matches = context.matching(cleaned);
                if (matches.isEmpty()) {
                    throw new DockerfileException(instruction.line(), keyword + " source '" + written
                            + "' matches nothing in the build context (or only files .dockerignore leaves out)");
                }
                sources.add(new Source(instruction.line(), source, matches));
            }
            if (named == 0) {
                throw new DockerfileException(instruction.line(), keyword + " has no source once its variables are "
                        + "substituted");
            }
        }
        return sources;
    }

    /**
     * The ARGs declared before the first {@code FROM}, with build args over their defaults: the
     * variables {@code FROM} lines see.
     */
    public Map<String, String> globalArgs(Map<String, String> buildArgs) {
        Map<String, String> globals = new HashMap<>();
        for (Instruction instruction : instructions) {
            if (instruction.keyword().equals("FROM")) {
                break;
            }
            if (instruction.keyword().equals("ARG")) {
                declare(instruction, globals, Map.of(), buildArgs);
            }
        }
        return globals;
    }

    /** Folds an ARG's declarations into {@code into}: a build arg, else its default, else the global's value. */
    private static void declare(Instruction arg, Map<String, String> into, Map<String, String> globals,
            Map<String, String> buildArgs) {
        for (String declaration : arg.arguments()) {
            int equals = declaration.indexOf('=');
            String name = equals < 0 ? declaration : declaration.substring(0, equals);
            String fallback = equals >= 0 ? unquote(declaration.substring(equals + 1)) : globals.getOrDefault(name, "");
            into.put(name, buildArgs.getOrDefault(name, fallback));
        }
    }

    /** The images the stages start from, with their lines, in order ({@code FROM} of a stage name included). */
    public List<Instruction> froms() {
        return instructions.stream().filter(instruction -> instruction.keyword().equals("FROM")).toList();
    }

    private static boolean remote(String source) {
        String lower = source.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("git@")
                || lower.endsWith(".git") && lower.contains("://");
    }

    /** {@code $NAME} and {@code ${NAME}} replaced by their values; an unknown variable is empty, as in BuildKit. */
    static String substitute(String text, Map<String, String> variables) {
        Matcher variable = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (variable.find()) {
            String name = variable.group(1) != null ? variable.group(1) : variable.group(2);
            variable.appendReplacement(out, Matcher.quoteReplacement(variables.getOrDefault(name, "")));
        }
        variable.appendTail(out);
        return out.toString();
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
