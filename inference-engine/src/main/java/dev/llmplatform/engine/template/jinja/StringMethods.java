package dev.llmplatform.engine.template.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The Python {@code str} methods templates call, such as {@code content.split('</think>')[-1]}. */
final class StringMethods {
    private static final Set<String> NAMES = Set.of("strip", "lstrip", "rstrip", "split", "rsplit", "splitlines",
            "startswith", "endswith", "upper", "lower", "title", "capitalize", "replace", "find", "rfind", "count",
            "join", "center", "ljust", "rjust", "zfill", "removeprefix", "removesuffix", "index", "rindex",
            "partition", "rpartition", "isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower", "format");

    private StringMethods() {
    }

    static boolean has(String name) {
        return NAMES.contains(name);
    }

    static JinjaCallable bind(String s, String name) {
        return args -> call(s, name, args);
    }

    private static Object call(String s, String name, Arguments args) {
        return switch (name) {
            case "strip" -> PyValues.strip(s, chars(args), true, true);
            case "lstrip" -> PyValues.strip(s, chars(args), true, false);
            case "rstrip" -> PyValues.strip(s, chars(args), false, true);
            case "split" -> split(s, optionalString(args.get(0, "sep", null)), maxSplit(args));
            case "rsplit" -> rsplit(s, optionalString(args.get(0, "sep", null)), maxSplit(args));
            case "splitlines" -> new ArrayList<Object>(splitLines(s));
            case "startswith" -> affix(s, args.require(0, "prefix", name), true);
            case "endswith" -> affix(s, args.require(0, "suffix", name), false);
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "lower" -> s.toLowerCase(Locale.ROOT);
            case "title" -> title(s);
            case "capitalize" -> capitalize(s);
            case "replace" -> replace(s, str(args.require(0, "old", name)), str(args.require(1, "new", name)),
                    PyValues.asLong(args.get(2, "count", -1L)));
            case "find" -> codePointIndex(s, s.indexOf(str(args.require(0, "sub", name))));
            case "rfind" -> codePointIndex(s, s.lastIndexOf(str(args.require(0, "sub", name))));
            case "count" -> count(s, str(args.require(0, "sub", name)));
            case "join" -> {
                StringBuilder sb = new StringBuilder();
                boolean first = true;
                for (Object o : PyValues.iterate(args.require(0, "iterable", name))) {
                    if (!first) {
                        sb.append(s);
                    }
                    first = false;
                    if (!(o instanceof String part)) {
                        throw new TemplateRuntimeException("sequence item: expected str instance, "
                                + PyValues.typeName(o) + " found");
                    }
                    sb.append(part);
                }
                yield sb.toString();
            }
            case "center" -> center(s, PyValues.asLong(args.require(0, "width", name)), str(args.get(1, "fillchar", " ")));
            case "ljust" -> {
                long width = PyValues.asLong(args.require(0, "width", name));
                int len = s.codePointCount(0, s.length());
                yield width <= len ? s : s + str(args.get(1, "fillchar", " ")).repeat((int) (width - len));
            }
            case "rjust" -> {
                long width = PyValues.asLong(args.require(0, "width", name));
                int len = s.codePointCount(0, s.length());
                yield width <= len ? s : str(args.get(1, "fillchar", " ")).repeat((int) (width - len)) + s;
            }
            case "zfill" -> {
                long width = PyValues.asLong(args.require(0, "width", name));
                int len = s.codePointCount(0, s.length());
                if (width <= len) {
                    yield s;
                }
                boolean signed = s.startsWith("-") || s.startsWith("+");
                String zeros = "0".repeat((int) (width - len));
                yield signed ? s.charAt(0) + zeros + s.substring(1) : zeros + s;
            }
            case "removeprefix" -> {
                String prefix = str(args.require(0, "prefix", name));
                yield s.startsWith(prefix) ? s.substring(prefix.length()) : s;
            }
            case "removesuffix" -> {
                String suffix = str(args.require(0, "suffix", name));
                yield !suffix.isEmpty() && s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
            }
            case "index", "rindex" -> {
                String sub = str(args.require(0, "sub", name));
                int at = name.equals("index") ? s.indexOf(sub) : s.lastIndexOf(sub);
                if (at < 0) {
                    throw new TemplateRuntimeException("substring not found");
                }
                yield (long) s.codePointCount(0, at);
            }
            case "partition", "rpartition" -> {
                String sep = str(args.require(0, "sep", name));
                if (sep.isEmpty()) {
                    throw new TemplateRuntimeException("empty separator");
                }
                int at = name.equals("partition") ? s.indexOf(sep) : s.lastIndexOf(sep);
                if (at < 0) {
                    yield name.equals("partition") ? new PyTuple(s, "", "") : new PyTuple("", "", s);
                }
                yield new PyTuple(s.substring(0, at), sep, s.substring(at + sep.length()));
            }
            case "isdigit" -> !s.isEmpty() && s.codePoints().allMatch(Character::isDigit);
            case "isalpha" -> !s.isEmpty() && s.codePoints().allMatch(Character::isLetter);
            case "isalnum" -> !s.isEmpty() && s.codePoints().allMatch(Character::isLetterOrDigit);
            case "isspace" -> !s.isEmpty() && s.codePoints().allMatch(PyValues::isSpace);
            case "isupper" -> s.chars().anyMatch(Character::isLetter) && s.equals(s.toUpperCase(Locale.ROOT));
            case "islower" -> s.chars().anyMatch(Character::isLetter) && s.equals(s.toLowerCase(Locale.ROOT));
            case "format" -> format(s, args);
            default -> throw new IllegalStateException(name);
        };
    }

    /** A UTF-16 index as Python's code-point index (-1 stays -1). */
    private static long codePointIndex(String s, int utf16Index) {
        return utf16Index < 0 ? -1 : s.codePointCount(0, utf16Index);
    }

    private static String str(Object o) {
        if (!(o instanceof String s)) {
            throw new TemplateRuntimeException("expected a string argument, got " + PyValues.typeName(o));
        }
        return s;
    }

    private static String chars(Arguments args) {
        return optionalString(args.get(0, "chars", null));
    }

    /** A string argument that may be None (null): Python's {@code sep=None} / {@code chars=None}. */
    static String optionalString(Object o) {
        return o == null ? null : str(PyValues.unwrapMarkup(o));
    }

    private static long maxSplit(Arguments args) {
        return PyValues.asLong(args.get(1, "maxsplit", -1L));
    }

    /** Python's {@code str.split}: by {@code sep}, or on runs of whitespace (dropping empty ends) when null. */
    static List<Object> split(String s, String sep, long maxSplit) {
        List<Object> out = new ArrayList<>();
        if (sep == null) {
            int i = 0;
            int n = s.length();
            while (true) {
                while (i < n && PyValues.isSpace(s.charAt(i))) {
                    i++;
                }
                if (i >= n) {
                    return out;
                }
                if (maxSplit >= 0 && out.size() == maxSplit) {
                    out.add(PyValues.strip(s.substring(i), null, false, true));
                    return out;
                }
                int j = i;
                while (j < n && !PyValues.isSpace(s.charAt(j))) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            }
        }
        if (sep.isEmpty()) {
            throw new TemplateRuntimeException("empty separator");
        }
        int from = 0;
        while (maxSplit < 0 || out.size() < maxSplit) {
            int at = s.indexOf(sep, from);
            if (at < 0) {
                break;
            }
            out.add(s.substring(from, at));
            from = at + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    private static List<Object> rsplit(String s, String sep, long maxSplit) {
        if (maxSplit < 0 || sep == null) {
            if (sep == null && maxSplit >= 0) {
                throw new TemplateRuntimeException("rsplit with maxsplit on whitespace is not supported");
            }
            return split(s, sep, -1);
        }
        List<Object> out = new ArrayList<>();
        int to = s.length();
        while (out.size() < maxSplit) {
            int at = s.lastIndexOf(sep, to - sep.length());
            if (at < 0) {
                break;
            }
            out.addFirst(s.substring(at + sep.length(), to));
            to = at;
        }
        out.addFirst(s.substring(0, to));
        return out;
    }

    /** Python's {@code str.splitlines()} (every line boundary Python knows; {@code \r\n} is one). */
    static List<String> splitLines(String s) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r' || c == 0x0b || c == 0x0c || c == 0x1c || c == 0x1d || c == 0x1e
                    || c == 0x85 || c == 0x2028 || c == 0x2029) {
                out.add(s.substring(start, i));
                i += (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') ? 2 : 1;
                start = i;
            } else {
                i++;
            }
        }
        if (start < s.length()) {
            out.add(s.substring(start));
        }
        return out;
    }

    private static boolean affix(String s, Object arg, boolean prefix) {
        if (arg instanceof List<?> options) {
            return options.stream().anyMatch(o -> affix(s, o, prefix));
        }
        String a = str(arg);
        return prefix ? s.startsWith(a) : s.endsWith(a);
    }

    static String replace(String s, String old, String replacement, long count) {
        if (count < 0) {
            return s.replace(old, replacement);
        }
        StringBuilder sb = new StringBuilder();
        int from = 0;
        for (long done = 0; done < count; done++) {
            int at = old.isEmpty() ? (from <= s.length() ? from : -1) : s.indexOf(old, from);
            if (at < 0) {
                break;
            }
            sb.append(s, from, at).append(replacement);
            if (old.isEmpty()) {
                if (at < s.length()) {
                    sb.append(s.charAt(at));
                }
                from = at + 1;
            } else {
                from = at + old.length();
            }
        }
        if (from <= s.length()) {
            sb.append(s.substring(from));
        }
        return sb.toString();
    }

    private static long count(String s, String sub) {
        if (sub.isEmpty()) {
            return s.codePointCount(0, s.length()) + 1;
        }
        long n = 0;
        for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) {
            n++;
        }
        return n;
    }

    /** Python's {@code str.title()}: a letter after a non-letter is upper-cased, other letters lower-cased. */
    static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean previousCased = false;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            boolean cased = Character.isLetter(c);
            sb.appendCodePoint(cased ? (previousCased ? Character.toLowerCase(c) : Character.toTitleCase(c)) : c);
            previousCased = cased;
        }
        return sb.toString();
    }

    static String capitalize(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int first = s.codePointAt(0);
        return new StringBuilder().appendCodePoint(Character.toTitleCase(first))
                .append(s.substring(Character.charCount(first)).toLowerCase(Locale.ROOT)).toString();
    }

    /** Python's {@code str.center}, including its rule for where an odd padding character goes. */
    static String center(String s, long width, String fill) {
        int len = s.codePointCount(0, s.length());
        if (width <= len) {
            return s;
        }
        long marg = width - len;
        long left = marg / 2 + (marg & width & 1);
        return fill.repeat((int) left) + s + fill.repeat((int) (marg - left));
    }

    /** {@code "{} and {name}".format(...)}: auto-numbered, numbered and named fields, no format specs. */
    private static String format(String s, Arguments args) {
        StringBuilder sb = new StringBuilder();
        int auto = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{' && i + 1 < s.length() && s.charAt(i + 1) == '{') {
                sb.append('{');
                i++;
            } else if (c == '}' && i + 1 < s.length() && s.charAt(i + 1) == '}') {
                sb.append('}');
                i++;
            } else if (c == '{') {
                int end = s.indexOf('}', i);
                if (end < 0) {
                    throw new TemplateRuntimeException("Single '{' encountered in format string");
                }
                String field = s.substring(i + 1, end);
                Object value;
                if (field.isEmpty()) {
                    value = args.get(auto++, null, null);
                } else if (field.chars().allMatch(Character::isDigit)) {
                    value = args.get(Integer.parseInt(field), null, null);
                } else {
                    if (!args.keywords().containsKey(field)) {
                        throw new TemplateRuntimeException("KeyError: " + PyValues.repr(field));
                    }
                    value = args.keywords().get(field);
                }
                sb.append(PyValues.str(value));
                i = end;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
