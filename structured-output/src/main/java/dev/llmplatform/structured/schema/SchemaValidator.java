package dev.llmplatform.structured.schema;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.util.List;

/**
 * Checks a finished output against its JSON Schema with a maintained validator (networknt). The grammar
 * already guarantees what it can express; this catches what it cannot (keywords a lenient compile left
 * unenforced) and outputs cut off before the grammar could end.
 */
public final class SchemaValidator {
    private final Schema schema;

    public SchemaValidator(String schemaJson) {
        // Formats are asserted, as the grammar enforces the formats it knows.
        this.schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                        b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()))
                .getSchema(schemaJson, InputFormat.JSON);
    }

    /** True if {@code json} is valid; a failure to decide (not JSON, an unresolvable reference) is thrown. */
    boolean isValid(String json) {
        return schema.validate(json, InputFormat.JSON).isEmpty();
    }

    /** The violations of {@code json}, empty if it is valid; text that is not JSON is one violation. */
    public List<String> violations(String json) {
        try {
            return schema.validate(json, InputFormat.JSON).stream().map(Object::toString).toList();
        } catch (RuntimeException e) {
            return List.of("not valid JSON: " + e.getMessage());
        }
    }
}
