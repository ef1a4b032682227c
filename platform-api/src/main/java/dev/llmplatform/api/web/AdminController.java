package dev.llmplatform.api.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** Serves the admin console (static assets of the admin-ui module) at {@code /admin}. */
@Controller
public class AdminController {
    @GetMapping({"/admin", "/admin/"})
    public String index() {
        return "forward:/admin/index.html";
    }
}
