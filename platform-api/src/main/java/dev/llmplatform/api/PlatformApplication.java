package dev.llmplatform.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

/** The Spring Boot application behind {@code llmp serve}. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PlatformApplication {

    public static ConfigurableApplicationContext start(String... args) {
        return SpringApplication.run(PlatformApplication.class, args);
    }
}
