package dev.signet.server.status;

import dev.signet.events.SignetListener;

/** Feeds the status page's recent views (hit ratio, upstream health, refusals) from Signet's events. */
public final class StatusListener implements SignetListener {

    private final HitWindow hits;
    private final UpstreamHealth upstreams;
    private final RecentRefusals refusals;

    public StatusListener(HitWindow hits, UpstreamHealth upstreams, RecentRefusals refusals) {
        this.hits = hits;
        this.upstreams = upstreams;
        this.refusals = refusals;
    }

    @Override
    public void cacheHit(long bytes) {
        hits.hit();
    }

    @Override
    public void cacheMiss() {
        hits.miss();
    }

    @Override
    public void upstreamExchange(String upstream, String outcome, long nanos) {
        upstreams.exchanged(upstream, outcome);
    }

    @Override
    public void refused(String project, String file, String check, String reason) {
        refusals.add(project, file, check, reason);
    }
}
