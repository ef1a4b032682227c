package dev.llmplatform.api.cli;

import dev.llmplatform.guardrails.Decision;
import dev.llmplatform.guardrails.Finding;
import dev.llmplatform.guardrails.GuardSession;
import dev.llmplatform.guardrails.Guardrails;
import dev.llmplatform.guardrails.RequestContext;
import dev.llmplatform.guardrails.audit.AuditSink;
import dev.llmplatform.guardrails.policy.PolicySet;
import dev.llmplatform.guardrails.policy.Rail;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.ObjectMapper;

/** {@code llmp check}: what a guardrails policy would do with a text. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Show what a guardrails policy would do with a text: findings, their actions, the text passed on.",
                "The last line is one JSON object: {\"action\",\"blocked_category\",\"text\",\"findings\":[{\"category\","
                        + "\"start\",\"end\",\"score\",\"detector\",\"action\"}]}."})
public final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--policy", defaultValue = "default", description = "Policy name (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--text", required = true, description = "The text to check.")
    String text;

    @Option(names = "--rail", defaultValue = "input", description = "input, passage or output (default: ${DEFAULT-VALUE}).")
    String rail;

    @Option(names = "--policies-file", paramLabel = "FILE.yaml", description = "Policies to read instead of the built-in ones.")
    Path policiesFile;

    @Override
    public Integer call() throws Exception {
        Rail r = switch (rail) {
            case "input" -> Rail.INPUT;
            case "passage" -> Rail.PASSAGE;
            case "output" -> Rail.OUTPUT;
            default -> throw new ParameterException(spec.commandLine(), "--rail must be input, passage or output");
        };
        PolicySet policies = GuardrailsCliSupport.policies(policiesFile);
        GuardSession session;
        try {
            session = Guardrails.withDefaultModels(policies, AuditSink.DISCARD).session(policy, new RequestContext(null, "llmp check"));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--policy: " + e.getMessage());
        }
        Decision d = switch (r) {
            case INPUT -> session.checkInput(text);
            case PASSAGE -> session.checkPassage(text);
            case OUTPUT -> session.checkOutput(text);
        };
        PrintWriter w = spec.commandLine().getOut();
        w.println("policy '" + session.policy().name() + "', " + r.key() + " rail: " + d.action().lowerName()
                + (d.blocked() ? " (" + d.blockedCategory() + ")" : ""));
        List<Map<String, Object>> findings = new ArrayList<>();
        for (Finding f : d.findings()) {
            String action = session.policy().action(f.category(), r).lowerName();
            w.printf("  %-20s [%d, %d) score %.2f  %-8s %s%n", f.category(), f.start(), f.end(), f.score(), action, f.detector());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("category", f.category());
            m.put("start", f.start());
            m.put("end", f.end());
            m.put("score", f.score());
            m.put("detector", f.detector());
            m.put("action", action);
            findings.add(m);
        }
        if (d.text() != null) {
            w.println("  text: " + d.text());
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("action", d.action().lowerName());
        o.put("blocked_category", d.blockedCategory());
        o.put("text", d.text());
        o.put("findings", findings);
        w.println(new ObjectMapper().writeValueAsString(o));
        w.flush();
        return 0;
    }
}
