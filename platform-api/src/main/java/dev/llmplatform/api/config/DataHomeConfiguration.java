package dev.llmplatform.api.config;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Makes the {@link DataHome} a bean; tests point {@code llmp.home} at a temporary directory. */
@Configuration(proxyBeanMethods = false)
public class DataHomeConfiguration {
    @Bean
    DataHome dataHome(@Value("${llmp.home:}") String configured) {
        return DataHome.resolve(configured);
    }
}
