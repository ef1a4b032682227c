package dev.llmplatform.api.state;

import dev.llmplatform.api.config.DataHome;
import javax.sql.DataSource;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The state {@link DataSource}: {@code spring.datasource.url} when set (PostgreSQL in production), else the
 * embedded H2 file under {@code <llmp.home>/state/}. Spring Boot's Flyway integration migrates it at start.
 */
@Configuration(proxyBeanMethods = false)
public class StateDatabaseConfiguration {
    @Bean
    DataSource dataSource(Environment env, DataHome home) {
        String url = env.getProperty("spring.datasource.url");
        boolean embedded = url == null || url.isBlank();
        return DataSourceBuilder.create()
                .url(embedded ? StateDatabase.embeddedUrl(home) : url)
                .username(env.getProperty("spring.datasource.username", embedded ? "sa" : ""))
                .password(env.getProperty("spring.datasource.password", ""))
                .build();
    }
}
