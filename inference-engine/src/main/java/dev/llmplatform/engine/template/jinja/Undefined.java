package dev.llmplatform.engine.template.jinja;

/**
 * Jinja's default {@code Undefined}: what a missing variable, key or attribute evaluates to. It renders
 * as the empty string, is falsy, iterates as empty and passes {@code is undefined}; anything that needs
 * a real value (attribute access, arithmetic, comparison) fails with the message Jinja would give.
 */
public final class Undefined {
    private final String message;

    private Undefined(String message) {
        this.message = message;
    }

    /** A variable that does not exist. */
    public static Undefined variable(String name) {
        return new Undefined("'" + name + "' is undefined");
    }

    /** An attribute or key {@code name} missing from {@code owner}. */
    public static Undefined member(Object owner, Object name) {
        String type = PyValues.typeName(owner);
        if (owner == null) {
            return new Undefined("'None' has no attribute " + PyValues.repr(name));
        }
        if (name instanceof String) {
            return new Undefined("'" + type + " object' has no attribute " + PyValues.repr(name));
        }
        return new Undefined("'" + type + " object' has no element " + PyValues.repr(name));
    }

    /** An undefined value with a custom explanation (e.g. the missing else-branch of a conditional). */
    public static Undefined because(String message) {
        return new Undefined(message);
    }

    /** The error raised when this value is used as if it were defined. */
    public TemplateRuntimeException error() {
        return new TemplateRuntimeException(message);
    }

    public String message() {
        return message;
    }

    @Override
    public String toString() {
        return "";
    }
}
