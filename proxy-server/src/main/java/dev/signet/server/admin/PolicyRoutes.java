package dev.signet.server.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.policy.FileRule;
import dev.signet.server.policy.PolicyRules;
import dev.signet.server.policy.PolicyState;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy's admin calls, all behind the admin token: {@code GET /policy} lists the rules in force (config, admin,
 * advisories) with how often each refused and what lately; {@code POST /policy/exempt/RULE},
 * {@code /policy/unexempt/RULE}, {@code /policy/block/RULE} and {@code /policy/unblock/RULE} change the admin rules
 * (RULE percent-encoded: {@code foo%3E%3D2%2C%3C2.1}), persisted before they take effect; {@code POST /policy/reload}
 * reads the OSV database written by {@code signet osv import} again.
 */
final class PolicyRoutes {

    private static final Logger log = LoggerFactory.getLogger(PolicyRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PREFIX = "/policy";

    private final PolicyRules rules;
    private final PolicyState state;

    PolicyRoutes(PolicyRules rules, PolicyState state) {
        this.rules = rules;
        this.state = state;
    }

    static boolean handles(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    AdminRoutes.Answer answer(HttpMethod method, String path) throws IOException {
        if (path.equals(PREFIX)) {
            if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
                return AdminRoutes.Answer.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed: use GET");
            }
            return new AdminRoutes.Answer(HttpResponseStatus.OK, "application/json",
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(Map.of("rules", rules.describe())) + "\n");
        }
        if (!HttpMethod.POST.equals(method)) {
            return AdminRoutes.Answer.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed: use POST");
        }
        String rest = path.substring(PREFIX.length() + 1);
        if (rest.equals("reload")) {
            int count = state.reloadAdvisories();
            log.info("admin: reloaded the OSV database, {} advisories", count);
            return AdminRoutes.Answer.text(HttpResponseStatus.OK, "reloaded: " + count + " advisories");
        }
        int slash = rest.indexOf('/');
        String action = slash < 0 ? rest : rest.substring(0, slash);
        String raw = slash < 0 ? "" : decode(rest.substring(slash + 1));
        FileRule rule;
        try {
            rule = FileRule.parse(raw);
        } catch (IllegalArgumentException e) {
            return AdminRoutes.Answer.text(HttpResponseStatus.BAD_REQUEST, "not a rule: " + e.getMessage());
        }
        switch (action) {
            case "exempt" -> state.changeExemptions(list -> with(list, rule));
            case "unexempt" -> state.changeExemptions(list -> without(list, rule));
            case "block" -> state.changeBlocks(list -> with(list, rule));
            case "unblock" -> state.changeBlocks(list -> without(list, rule));
            default -> {
                return AdminRoutes.Answer.text(HttpResponseStatus.NOT_FOUND,
                        "expected /policy, /policy/reload or /policy/{exempt,unexempt,block,unblock}/RULE");
            }
        }
        log.info("admin: policy {} {}", action, rule.text());
        return AdminRoutes.Answer.text(HttpResponseStatus.OK, action + " " + rule.text());
    }

    private static List<FileRule> with(List<FileRule> list, FileRule rule) {
        if (list.stream().noneMatch(r -> r.text().equals(rule.text()))) {
            list.add(rule);
        }
        return list;
    }

    private static List<FileRule> without(List<FileRule> list, FileRule rule) {
        list.removeIf(r -> r.text().equals(rule.text()));
        return list;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
