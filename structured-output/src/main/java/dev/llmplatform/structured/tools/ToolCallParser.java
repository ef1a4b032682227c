package dev.llmplatform.structured.tools;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a response generated under a {@link ToolCallGrammar} as it streams: text before it is known
 * to be a call is held back, then either released as content or parsed into calls, whose arguments are
 * passed on piece by piece as they arrive (what OpenAI's streamed {@code tool_calls} deltas carry).
 * Relies on the grammar's fixed framing: every call starts with {@link ToolCallSyntax#namePrefix()}, and
 * a text answer never does.
 */
public final class ToolCallParser {
    /** What a piece of output turned out to be. */
    public sealed interface Event {
        record Content(String text) implements Event {
        }

        record CallStarted(int index, String name) implements Event {
        }

        record Arguments(int index, String text) implements Event {
        }
    }

    /** A finished call; {@code arguments} is the JSON object text. */
    public record Call(String name, String arguments) {
    }

    private enum State { UNDECIDED, CONTENT, NAME, ARGUMENTS, BETWEEN }

    private final ToolCallSyntax syntax;
    private final StringBuilder buf = new StringBuilder();
    private final StringBuilder content = new StringBuilder();
    private final List<Call> calls = new ArrayList<>();
    private State state = State.UNDECIDED;
    private String name;
    private StringBuilder arguments;
    /** Characters of {@link #arguments} already reported. */
    private int released;

    public ToolCallParser(ToolCallSyntax syntax) {
        this.syntax = syntax;
    }

    /** Takes the next piece of output; returns what can be told about it now. */
    public List<Event> feed(String delta) {
        List<Event> out = new ArrayList<>();
        buf.append(delta);
        boolean progress = true;
        while (progress) {
            progress = switch (state) {
                case UNDECIDED -> decide(out);
                case CONTENT -> {
                    if (!buf.isEmpty()) {
                        content.append(buf);
                        out.add(new Event.Content(buf.toString()));
                        buf.setLength(0);
                    }
                    yield false;
                }
                case NAME -> readName(out);
                case ARGUMENTS -> readArguments(out);
                case BETWEEN -> nextCall();
            };
        }
        return out;
    }

    /** The output has ended: releases what was held back. */
    public List<Event> finish() {
        List<Event> out = new ArrayList<>();
        switch (state) {
            case UNDECIDED, CONTENT -> {
                state = State.CONTENT;
                out.addAll(feed(""));
            }
            case ARGUMENTS -> {
                // A syntax without a closer ends with the stream; an unclosed call (cut off) keeps what it has.
                String all = arguments.toString() + buf;
                buf.setLength(0);
                String suffix = syntax.callSuffix();
                String args = all.endsWith(suffix) ? all.substring(0, all.length() - suffix.length()) : all;
                release(out, args);
                calls.add(new Call(name, args.strip()));
                state = State.BETWEEN;
            }
            default -> {
            }
        }
        return out;
    }

    /** Whether the output is (so far) tool calls rather than text. */
    public boolean isToolCall() {
        return state == State.NAME || state == State.ARGUMENTS || state == State.BETWEEN;
    }

    /** The calls completed so far. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The text answer released so far. */
    public String content() {
        return content.toString();
    }

    private boolean decide(List<Event> out) {
        String prefix = syntax.namePrefix();
        if (buf.length() >= prefix.length() && buf.substring(0, prefix.length()).equals(prefix)) {
            buf.delete(0, prefix.length());
            state = State.NAME;
            return true;
        }
        if (!prefix.startsWith(buf.toString())) {
            state = State.CONTENT;
            return true;
        }
        return false;
    }

    private boolean readName(List<Event> out) {
        String sep = syntax.argumentsPrefix();
        int at = buf.indexOf(sep);
        if (at < 0) {
            return false;
        }
        name = buf.substring(0, at);
        buf.delete(0, at + sep.length());
        arguments = new StringBuilder();
        released = 0;
        out.add(new Event.CallStarted(calls.size(), name));
        state = State.ARGUMENTS;
        return true;
    }

    private boolean readArguments(List<Event> out) {
        arguments.append(buf);
        buf.setLength(0);
        String suffix = syntax.callSuffix();
        // With a closer, the suffix cannot occur inside the arguments (a raw newline followed by '<' is not JSON).
        int end = syntax.closer().isEmpty() ? -1 : arguments.indexOf(suffix);
        if (end >= 0) {
            String rest = arguments.substring(end + suffix.length());
            String args = arguments.substring(0, end);
            release(out, args);
            calls.add(new Call(name, args.strip()));
            buf.append(rest);
            state = State.BETWEEN;
            return true;
        }
        // Hold back what could be the start of the suffix.
        int hold = 0;
        for (int k = Math.min(suffix.length(), arguments.length()); k > 0; k--) {
            if (suffix.startsWith(arguments.substring(arguments.length() - k))) {
                hold = k;
                break;
            }
        }
        release(out, arguments.substring(0, arguments.length() - hold));
        return false;
    }

    private void release(List<Event> out, String upTo) {
        if (upTo.length() > released) {
            String piece = upTo.substring(released);
            if (released == 0) {
                piece = piece.stripLeading();
            }
            released = upTo.length();
            if (!piece.isEmpty()) {
                out.add(new Event.Arguments(calls.size(), piece));
            }
        }
    }

    private boolean nextCall() {
        if (syntax.separator() == null || buf.isEmpty()) {
            return false;
        }
        String next = syntax.separator() + syntax.namePrefix();
        if (buf.length() >= next.length() && buf.substring(0, next.length()).equals(next)) {
            buf.delete(0, next.length());
            state = State.NAME;
            return true;
        }
        if (!next.startsWith(buf.toString())) {
            buf.setLength(0); // not a call: the grammar allows nothing else here
        }
        return false;
    }
}
