package dev.signet.server.policy;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.signet.events.SignetListener;
import dev.signet.server.artifact.SignatureLocation;
import dev.signet.server.config.PolicyConfig;
import dev.signet.server.config.SignetConfig;
import dev.signet.server.index.IndexService;
import dev.signet.server.upstream.UpstreamClient;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.time.InstantSource;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The policy room as the composition root sees it: its rules (configuration, persisted admin rules, imported
 * advisories), the serve-time step, and the optional periodic OSV fetch.
 */
public final class Policies {

    /** Signature checks for ages in flight at once across all pages (as many as the metadata pre-check). */
    private static final int CHECKS_IN_FLIGHT = 32;

    private final PolicyRules rules;
    private final PolicyState state;
    private final EdgePolicy step;
    private final OsvFetcher fetcher;

    private Policies(PolicyRules rules, PolicyState state, EdgePolicy step, OsvFetcher fetcher) {
        this.rules = rules;
        this.state = state;
        this.step = step;
        this.fetcher = fetcher;
    }

    public static Policies build(SignetConfig config, UpstreamClient client, IndexService index, Executor workers,
                                 InstantSource clock, SignetListener listener) throws IOException {
        PolicyConfig settings = config.policy();
        PolicyRules rules = new PolicyRules(settings.minAge(), settings.blocks(), settings.advisorySeverity(),
                settings.advisoryIds());
        PolicyState state = PolicyState.open(config.cacheDir(), rules);
        EdgePolicy step = new EdgePolicy(rules, index, new SignatureAgesSettings(client,
                new SignatureLocation(config.signatureUrl()), config.indexTtl(), Ticker.systemTicker(), CHECKS_IN_FLIGHT,
                config.pages().metadataChecksPerView(), config.pages().metadataCheckWait(), settings.hideRefusedFiles()),
                workers, clock, listener);
        OsvFetcher fetcher = settings.osvUrl() == null || config.offline() ? null
                : new OsvFetcher(settings.osvUrl(), state, workers);
        return new Policies(rules, state, step, fetcher);
    }

    public ServePolicy step() {
        return step;
    }

    public PolicyRules rules() {
        return rules;
    }

    public PolicyState state() {
        return state;
    }

    /** Starts the periodic OSV fetch, if one is configured: first at once, then every {@code osv-fetch-interval}. */
    public void startFetching(EventLoopGroup group, java.time.Duration interval) {
        if (fetcher != null) {
            group.scheduleAtFixedRate(fetcher::fetchInBackground, 0, interval.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
