package dev.signet.server;

import dev.signet.events.SignetListener;
import dev.signet.index.HtmlIndexParser;
import dev.signet.index.IndexFormatException;
import dev.signet.index.JsonIndexParser;
import dev.signet.index.ProjectList;
import dev.signet.index.ProjectName;
import dev.signet.index.ProjectPage;
import dev.signet.server.concurrent.Futures;
import dev.signet.server.config.ConfigException;
import dev.signet.server.config.OperationsConfig;
import dev.signet.server.config.SignetConfig;
import dev.signet.server.index.Origin;
import dev.signet.server.netty.Transport;
import dev.signet.server.tls.TlsContexts;
import dev.signet.server.upstream.ForwardProxy;
import dev.signet.server.upstream.UpstreamClient;
import dev.signet.server.upstream.UpstreamResponse;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code signet check-config --probe}: asks each configured upstream, once, for its simple-API root through the same
 * upstream client {@code serve} uses (CA bundle, forward proxy, credentials, timeouts), and says whether it answers
 * like a simple index. A {@code application/vnd.pypi.simple.v1+json} root that parses is one. An HTML root is one
 * when the first project it lists has a page with at least one distribution file of that project: a file server's
 * directory listing (the most common wrong URL) has anchors too, but they do not lead to project pages.
 */
public final class UpstreamProbe {

    /** What one upstream answered: {@code ok} false is a problem that check-config reports. */
    public record Result(String upstream, String url, boolean ok, String detail) {
        public String line() {
            return "upstream " + upstream + " (" + url + "): " + detail;
        }
    }

    private static final String ACCEPT = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2,"
            + " text/html;q=0.1";

    private final UpstreamClient client;
    private final EventLoopGroup group;
    private final int maxBytes;
    private final long waitMillis;

    private UpstreamProbe(UpstreamClient client, EventLoopGroup group, int maxBytes, long waitMillis) {
        this.client = client;
        this.group = group;
        this.maxBytes = maxBytes;
        this.waitMillis = waitMillis;
    }

    /** Blocking: probes every upstream of {@code config} in order. */
    public static List<Result> probe(SignetConfig config) throws IOException, ConfigException {
        Transport transport = Transport.best();
        EventLoopGroup group = transport.newGroup(1, "signet-probe");
        try {
            OperationsConfig.Upstream upstream = config.operations().upstream();
            UpstreamClient client = new UpstreamClient(group, transport.socketChannelType(), config.upstreamTimeouts(),
                    TlsContexts.client(upstream.caBundle()),
                    upstream.proxy() == null ? null : ForwardProxy.of(upstream.proxy()), SignetListener.NONE);
            UpstreamProbe probe = new UpstreamProbe(client, group, (int) config.maxPageSize(),
                    config.upstreamTimeouts().total().toMillis());
            List<Result> results = new ArrayList<>();
            try {
                for (Origin origin : UpstreamsFactory.build(config).origins()) {
                    results.add(probe.probe(origin));
                }
            } finally {
                client.close();
            }
            return results;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private Result probe(Origin origin) {
        URI root = origin.simpleUrl();
        String shown = UpstreamClient.redacted(root);
        try {
            UpstreamResponse answer = get(origin, root);
            if (answer.status() != 200) {
                return new Result(origin.name(), shown, false, "answered " + answer.status()
                        + " for the simple-API root, not 200: is this the URL of a simple index (it ends in /simple/)?");
            }
            String type = contentType(answer);
            if (type.startsWith("application/vnd.pypi.simple.v1+json")) {
                ProjectList list = JsonIndexParser.parseRoot(answer.body());
                return new Result(origin.name(), shown, true, "a simple index (JSON, api-version " + list.apiVersion()
                        + ", " + list.projects().size() + " projects)");
            }
            if (!type.contains("html")) {
                return new Result(origin.name(), shown, false, "answered " + (type.isEmpty() ? "no Content-Type" : type)
                        + ", not a simple index page (HTML or application/vnd.pypi.simple.v1+json)");
            }
            ProjectList list = HtmlIndexParser.parseRoot(new String(answer.body(), StandardCharsets.UTF_8));
            if (list.projects().isEmpty()) {
                return new Result(origin.name(), shown, true, "a simple index with no projects (an empty HTML root page)");
            }
            return checkFirstProject(origin, root, shown, list);
        } catch (IndexFormatException e) {
            return new Result(origin.name(), shown, false, "not a simple index page: " + e.getMessage());
        } catch (ExecutionException e) {
            return new Result(origin.name(), shown, false, "no usable answer: " + Futures.unwrap(e).getMessage());
        } catch (TimeoutException e) {
            return new Result(origin.name(), shown, false, "no answer within " + waitMillis + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(origin.name(), shown, false, "interrupted");
        }
    }

    private Result checkFirstProject(Origin origin, URI root, String shown, ProjectList list)
            throws ExecutionException, TimeoutException, InterruptedException {
        String first = list.projects().get(0);
        String project = ProjectName.normalize(first);
        URI pageUrl = root.resolve(project + "/");
        UpstreamResponse page = get(origin, pageUrl);
        String notIndex = "lists '" + first + "', but " + UpstreamClient.redacted(pageUrl);
        if (page.status() != 200) {
            return new Result(origin.name(), shown, false, notIndex + " answered " + page.status()
                    + ": this looks like a directory listing, not a simple index");
        }
        try {
            ProjectPage parsed = contentType(page).startsWith("application/vnd.pypi.simple.v1+json")
                    ? JsonIndexParser.parseProject(page.body(), pageUrl)
                    : HtmlIndexParser.parseProject(new String(page.body(), StandardCharsets.UTF_8), pageUrl, project);
            // Any page of links parses; a project page lists files of that project (a directory listing does not).
            long ofProject = parsed.files().stream()
                    .filter(file -> ProjectName.normalize(file.filename()).startsWith(project + "-")).count();
            if (ofProject == 0) {
                return new Result(origin.name(), shown, false, notIndex + " lists no distribution files of '" + project
                        + "': this looks like a directory listing, not a simple index");
            }
            return new Result(origin.name(), shown, true, "a simple index (HTML, api-version " + list.apiVersion() + ", "
                    + list.projects().size() + " projects; '" + project + "' lists " + ofProject + " files)");
        } catch (IndexFormatException e) {
            return new Result(origin.name(), shown, false, notIndex + " is not a project page: " + e.getMessage());
        }
    }

    private UpstreamResponse get(Origin origin, URI url) throws ExecutionException, TimeoutException, InterruptedException {
        Map<String, String> headers = new LinkedHashMap<>(origin.credentials().headersFor(url));
        headers.put("Accept", ACCEPT);
        return client.fetch(url, headers, maxBytes, group.next()).get(waitMillis, TimeUnit.MILLISECONDS);
    }

    private static String contentType(UpstreamResponse response) {
        String type = response.headers().get("Content-Type");
        return type == null ? "" : type.toLowerCase(Locale.ROOT).strip();
    }
}
