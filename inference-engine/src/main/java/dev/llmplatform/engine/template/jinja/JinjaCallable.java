package dev.llmplatform.engine.template.jinja;

/** Anything a template can call: global functions, macros, bound methods of strings, dicts and lists. */
@FunctionalInterface
public interface JinjaCallable {
    Object call(Arguments args);
}
