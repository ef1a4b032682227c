package dev.llmplatform.api.state;

import dev.llmplatform.api.config.DataHome;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The state database's stores for the model registry, the collection catalog and the guardrails audit
 * trail, and the one-time {@link FileImport} of what earlier versions kept in files, which runs before the
 * server accepts requests (the stores' users depend on it).
 */
@Configuration(proxyBeanMethods = false)
public class StateStoresConfiguration {
    @Bean
    @DependsOnDatabaseInitialization
    JdbcModelFileStore modelFileStore(DataSource dataSource) {
        return new JdbcModelFileStore(dataSource, Clock.systemUTC());
    }

    @Bean
    @DependsOnDatabaseInitialization
    JdbcCollectionCatalog collectionCatalog(DataSource dataSource) {
        return new JdbcCollectionCatalog(dataSource);
    }

    @Bean
    AuditRetention auditRetention(@Value("${llmp.guardrails.audit.max-events:1000000}") long maxEvents,
                                  @Value("${llmp.guardrails.audit.max-age:90d}") Duration maxAge) {
        return AuditRetention.of(maxEvents, maxAge);
    }

    @Bean
    @DependsOnDatabaseInitialization
    JdbcAuditStore auditStore(DataSource dataSource, AuditRetention retention) {
        return new JdbcAuditStore(dataSource, retention, Clock.systemUTC());
    }

    /** Imports once, then applies the audit retention to what is there (an imported trail included). */
    @Bean
    @DependsOnDatabaseInitialization
    FileImport fileImport(DataSource dataSource, DataHome home, JdbcModelFileStore models, JdbcCollectionCatalog collections,
                          JdbcAuditStore audit) {
        FileImport fileImport = new FileImport(dataSource, Clock.systemUTC());
        fileImport.importAll(home, models, collections, audit);
        audit.prune();
        return fileImport;
    }
}
