package dev.llmplatform.engine.template.jinja;

/**
 * MarkupSafe's {@code Markup}: a string marked safe by {@code |safe} or produced by {@code |escape}.
 * HF's environment does not autoescape output, but Markup's operators still apply: {@code markup + str}
 * and {@code str + markup} HTML-escape the plain-string side (functionary's template depends on this,
 * turning the quotes of a {@code tojson} result into {@code &#34;}).
 */
public record Markup(String text) {
    /** markupsafe's {@code escape}: Markup passes through, anything else is {@code str()}-ed and escaped. */
    public static Markup escape(Object value) {
        if (value instanceof Markup m) {
            return m;
        }
        String s = PyValues.str(value);
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&#34;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return new Markup(sb.toString());
    }

    @Override
    public String toString() {
        return text;
    }
}
