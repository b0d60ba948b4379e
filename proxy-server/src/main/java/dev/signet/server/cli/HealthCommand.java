package dev.signet.server.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code signet health}: one GET against a running Signet, for container health checks. The image then needs no
 * curl or wget, and the check speaks HTTP exactly as the JVM inside the image does.
 */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = {"Check that a running Signet answers: GET URL, exit 0 on a 2xx status, 1 otherwise "
                + "(never 2, which Docker reserves in health checks).",
                "URL defaults to $" + HealthCommand.URL_ENV + " when set, else " + HealthCommand.DEFAULT_URL + "."})
final class HealthCommand implements Callable<Integer> {

    static final String URL_ENV = "SIGNET_HEALTH_URL";
    static final String DEFAULT_URL = "http://127.0.0.1:9901/readyz";

    /** A health check that hangs is worse than one that fails: Docker would stack up probes. */
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    @Option(names = "--url", paramLabel = "URL", description = "Endpoint to probe (http or https).")
    String url;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        URI target;
        try {
            target = target(url, System.getenv());
        } catch (IllegalArgumentException e) {
            return unhealthy(e.getMessage());
        }
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                // A proxy configured for the JVM must not answer for the local process being probed.
                .proxy(HttpClient.Builder.NO_PROXY)
                .build();
        HttpRequest request = HttpRequest.newBuilder(target).timeout(TIMEOUT).GET().build();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                out().println("healthy: " + target + " answered " + status);
                return 0;
            }
            return unhealthy(target + " answered " + status);
        } catch (HttpTimeoutException e) {
            return unhealthy(target + " did not answer within " + TIMEOUT.toSeconds() + " s");
        } catch (ConnectException e) {
            return unhealthy(target + " refused or unreachable: nothing accepts connections there");
        } catch (IOException e) {
            return unhealthy(target + " failed: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unhealthy(target + " check interrupted");
        }
    }

    /**
     * The URL to probe: {@code --url}, else {@code $SIGNET_HEALTH_URL} when set and not blank, else the admin
     * listener's readiness endpoint. Only absolute http(s) URLs with a host are accepted.
     */
    static URI target(String option, Map<String, String> env) {
        String chosen = Optional.ofNullable(option)
                .or(() -> Optional.ofNullable(env.get(URL_ENV)).filter(v -> !v.isBlank()))
                .orElse(DEFAULT_URL);
        URI uri;
        try {
            uri = new URI(chosen.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid health URL '" + chosen + "': " + e.getReason());
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("invalid health URL '" + chosen + "': scheme must be http or https");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("invalid health URL '" + chosen + "': no host");
        }
        return uri;
    }

    /** The JDK's connect failures often carry no message; the exception type is then the only clue. */
    private static String describe(IOException e) {
        Throwable cause = e;
        while (cause.getMessage() == null && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    private int unhealthy(String reason) {
        err().println("unhealthy: " + reason);
        return 1;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
