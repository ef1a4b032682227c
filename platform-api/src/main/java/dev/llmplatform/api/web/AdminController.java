package dev.llmplatform.api.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Serves the admin console (static assets of the admin-ui module) at {@code /admin/}. {@code /admin}
 * redirects there so the page's relative asset URLs resolve under {@code /admin/}.
 */
@Controller
public class AdminController {
    @GetMapping("/admin")
    public String redirect() {
        return "redirect:/admin/";
    }

    @GetMapping("/admin/")
    public String index() {
        return "forward:/admin/index.html";
    }
}
