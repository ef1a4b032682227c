package dev.llmplatform.api.upstream;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/admin/upstreams}: each remote model's endpoints — healthy, requests in flight, circuit state. */
@RestController
public class UpstreamsController {
    private final Upstreams upstreams;

    public UpstreamsController(Upstreams upstreams) {
        this.upstreams = upstreams;
    }

    @GetMapping("/v1/admin/upstreams")
    public Map<String, Object> list() {
        List<Map<String, Object>> data = new ArrayList<>();
        for (UpstreamModel model : upstreams.all()) {
            List<Map<String, Object>> endpoints = new ArrayList<>();
            for (UpstreamEndpoint e : model.endpoints()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("url", e.base().toString());
                m.put("healthy", e.healthy());
                m.put("outstanding", e.outstanding());
                m.put("circuit", e.circuit().name().toLowerCase(Locale.ROOT));
                m.put("failed_calls", e.failedCalls());
                m.put("successful_calls", e.successfulCalls());
                endpoints.add(m);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", model.id());
            m.put("upstream_model", model.remoteName());
            m.put("endpoints", endpoints);
            data.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "list");
        body.put("data", data);
        return body;
    }
}
