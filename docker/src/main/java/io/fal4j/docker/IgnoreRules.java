package io.fal4j.docker;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which paths of a build context are left out, with Docker's {@code .dockerignore} semantics: rules
 * apply in order and the last one that matches a path decides; {@code !} re-includes; a rule that
 * matches a directory leaves out everything below it; {@code *} and {@code ?} stay within one path
 * segment, {@code **} spans any number of them, {@code [...]} is a character class and a backslash
 * escapes the next character; patterns are cleaned like paths ({@code .}, {@code ..}, doubled and
 * leading or trailing slashes), so {@code /a/} and {@code a} are the same rule.
 */
public final class IgnoreRules {

    /** What fal4j leaves out of every context unless a rule of the app's re-includes it. */
    public static final List<String> DEFAULTS = List.of("**/.git", "**/.hg", "**/.svn", "**/.env", "**/*.pyc",
            "**/__pycache__", "**/node_modules", "**/.DS_Store", "**/.venv");

    private final List<Rule> rules;
    private final boolean reincludes;

    private IgnoreRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        this.reincludes = rules.stream().anyMatch(Rule::reinclude);
    }

    /** No rules: nothing is left out. */
    public static IgnoreRules none() {
        return new IgnoreRules(List.of());
    }

    /**
     * The rules of a {@code .dockerignore} file: one pattern per line, {@code #} comment lines, blank
     * lines and surrounding whitespace ignored.
     *
     * @throws IllegalArgumentException naming the line of a malformed pattern
     */
    public static IgnoreRules parse(String text) {
        return of(lines(text));
    }

    /**
     * Rules from patterns, in order of increasing precedence.
     *
     * @throws IllegalArgumentException naming a malformed pattern
     */
    public static IgnoreRules of(List<String> patterns) {
        List<Rule> rules = new ArrayList<>();
        for (String pattern : patterns) {
            String p = pattern.strip();
            if (p.isEmpty()) {
                continue;
            }
            boolean reinclude = p.startsWith("!");
            if (reinclude) {
                p = p.substring(1).strip();
                if (p.isEmpty()) {
                    throw new IllegalArgumentException("illegal exclusion pattern: \"!\"");
                }
            }
            p = ContextPaths.clean(p);
            if (p.length() > 1 && p.startsWith("/")) {
                p = p.substring(1);
            }
            rules.add(Rule.compile(p, reinclude));
        }
        return new IgnoreRules(rules);
    }

    /** These rules followed by {@code later} ones, which take precedence. */
    public IgnoreRules then(IgnoreRules later) {
        List<Rule> all = new ArrayList<>(rules);
        all.addAll(later.rules);
        return new IgnoreRules(all);
    }

    /** The patterns, as cleaned, in order ({@code !} marks a re-include). */
    public List<String> patterns() {
        return rules.stream().map(rule -> (rule.reinclude() ? "!" : "") + rule.pattern()).toList();
    }

    /** Whether any rule re-includes. */
    public boolean reincludes() {
        return reincludes;
    }

    /**
     * Whether a walk must enter an excluded directory because a re-include rule names a path in it.
     * As in Docker's walker, only a rule that starts with the directory's path counts: {@code !dir/keep}
     * does, {@code !**}{@code /keep} does not.
     */
    public boolean reincludesBelow(String dir) {
        String prefix = dir + "/";
        return rules.stream().anyMatch(rule -> rule.reinclude() && (rule.pattern() + "/").startsWith(prefix));
    }

    /**
     * Whether a path (relative to the context, slash-separated) is left out, by a rule that matches
     * it or one of the directories above it.
     */
    public boolean excludes(String path) {
        String file = ContextPaths.clean(path);
        if (file.equals(".")) {
            return false;
        }
        int slash = file.lastIndexOf('/');
        String[] parents = slash < 0 ? new String[0] : file.substring(0, slash).split("/");
        boolean excluded = false;
        for (Rule rule : rules) {
            // A rule can only change the outcome: an exclusion of an included path, or the reverse.
            if (rule.reinclude() != excluded) {
                continue;
            }
            boolean match = rule.matches(file);
            StringBuilder parent = new StringBuilder();
            for (int i = 0; !match && i < parents.length; i++) {
                parent.append(i == 0 ? "" : "/").append(parents[i]);
                match = rule.matches(parent.toString());
            }
            if (match) {
                excluded = !rule.reinclude();
            }
        }
        return excluded;
    }

    private static List<String> lines(String text) {
        List<String> patterns = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = i == 0 && lines[i].startsWith("\uFEFF") ? lines[i].substring(1) : lines[i];
            if (line.startsWith("#")) {
                continue;
            }
            try {
                of(List.of(line));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
            }
            patterns.add(line);
        }
        return patterns;
    }

    /** One pattern, compiled to the cheapest test that decides it. */
    private record Rule(String pattern, boolean reinclude, Kind kind, String literal, Pattern regex) {

        enum Kind {
            EXACT, PREFIX, SUFFIX, REGEX
        }

        static Rule compile(String pattern, boolean reinclude) {
            checkSyntax(pattern);
            StringBuilder regex = new StringBuilder("^");
            Kind kind = Kind.EXACT;
            int i = 0;
            for (int index = 0; i < pattern.length(); index++) {
                char c = pattern.charAt(i++);
                if (c == '*' && i < pattern.length() && pattern.charAt(i) == '*') {
                    i++;
                    if (i < pattern.length() && pattern.charAt(i) == '/') {
                        i++;
                    }
                    if (i == pattern.length()) {
                        if (kind == Kind.EXACT) {
                            kind = Kind.PREFIX;
                        } else {
                            regex.append(".*");
                            kind = Kind.REGEX;
                        }
                    } else {
                        regex.append("(.*/)?");
                        kind = Kind.REGEX;
                    }
                    if (index == 0) {
                        kind = Kind.SUFFIX;
                    }
                } else if (c == '*') {
                    regex.append("[^/]*");
                    kind = Kind.REGEX;
                } else if (c == '?') {
                    regex.append("[^/]");
                    kind = Kind.REGEX;
                } else if (".+()|{}$".indexOf(c) >= 0) {
                    regex.append('\\').append(c);
                } else if (c == '\\') {
                    if (i < pattern.length()) {
                        regex.append('\\').append(pattern.charAt(i++));
                        kind = Kind.REGEX;
                    } else {
                        regex.append("\\\\");
                    }
                } else if (c == '[' || c == ']') {
                    regex.append(c);
                    kind = Kind.REGEX;
                } else {
                    regex.append(c);
                }
            }
            return switch (kind) {
                case EXACT -> new Rule(pattern, reinclude, kind, pattern, null);
                case PREFIX -> new Rule(pattern, reinclude, kind, pattern.substring(0, pattern.length() - 2), null);
                case SUFFIX -> new Rule(pattern, reinclude, kind, pattern.substring(2), null);
                case REGEX -> new Rule(pattern, reinclude, kind, null, compileRegex(regex.append('$').toString(),
                        pattern));
            };
        }

        boolean matches(String path) {
            return switch (kind) {
                case EXACT -> path.equals(literal);
                case PREFIX -> path.startsWith(literal);
                // **/foo matches foo itself as well as anything ending in /foo.
                case SUFFIX -> path.endsWith(literal) || literal.startsWith("/") && path.equals(literal.substring(1));
                case REGEX -> regex.matcher(path).matches();
            };
        }

        private static Pattern compileRegex(String regex, String pattern) {
            try {
                return Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("syntax error in pattern '" + pattern + "'");
            }
        }

        /** The syntax errors Go's filepath.Match reports: an unclosed class, a trailing escape. */
        private static void checkSyntax(String pattern) {
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (c == '\\') {
                    if (++i >= pattern.length()) {
                        throw new IllegalArgumentException("syntax error in pattern '" + pattern
                                + "': it ends in an escape");
                    }
                } else if (c == '[') {
                    int j = i + 1;
                    if (j < pattern.length() && pattern.charAt(j) == '^') {
                        j++;
                    }
                    boolean closed = false;
                    for (boolean first = true; j < pattern.length(); j++, first = false) {
                        char k = pattern.charAt(j);
                        if (k == '\\') {
                            j++;
                        } else if (k == ']' && !first) {
                            closed = true;
                            break;
                        }
                    }
                    if (!closed) {
                        throw new IllegalArgumentException("syntax error in pattern '" + pattern
                                + "': a '[' is not closed");
                    }
                    i = j;
                }
            }
        }
    }
}
