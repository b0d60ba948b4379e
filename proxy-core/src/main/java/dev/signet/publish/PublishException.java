package dev.signet.publish;

import java.util.List;

/**
 * Inputs the publisher refuses (bad file name, broken wheel, clash, a published file changed, unknown file to yank),
 * each problem naming its file. Nothing was published when this is thrown.
 */
public final class PublishException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public PublishException(String problem) {
        this(problem, (Throwable) null);
    }

    public PublishException(String problem, Throwable cause) {
        super(problem, cause);
        this.problems = List.of(problem);
    }

    private PublishException(List<String> problems) {
        super(problems.size() == 1 ? problems.get(0) : problems.size() + " problems: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    static PublishException of(List<String> problems) {
        return new PublishException(problems);
    }

    /** One line per refused input. */
    public List<String> problems() {
        return problems;
    }
}
