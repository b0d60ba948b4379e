package dev.signet.server.policy;

import dev.signet.policy.Decision;

/** A file the supply-chain policy refuses; the message is the one-line reason of the {@code 403}. */
public final class PolicyRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Decision.Refused decision;

    public PolicyRefusedException(Decision.Refused decision) {
        super(decision.message(), null, false, false);
        this.decision = decision;
    }

    public Decision.Refused decision() {
        return decision;
    }

    /** {@code policy_too_new}, {@code policy_blocked_rule}, ...: the access log's verify outcome. */
    public String outcomeTag() {
        return "policy_" + decision.reason().tag();
    }
}
