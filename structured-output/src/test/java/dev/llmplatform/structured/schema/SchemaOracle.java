package dev.llmplatform.structured.schema;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;

/** The reference validator (networknt json-schema-validator) used as the test oracle. */
final class SchemaOracle {
    private final Schema schema;

    SchemaOracle(String schemaJson) {
        // formats asserted, as our grammar enforces the formats it knows
        this.schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()))
                .getSchema(schemaJson, InputFormat.JSON);
    }

    boolean valid(String instanceJson) {
        return schema.validate(instanceJson, InputFormat.JSON).isEmpty();
    }
}
