package dev.signet.server.status;

import static dev.signet.server.status.Html.escape;

import dev.signet.server.artifact.FillRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The operator's status page as one HTML document: inline CSS, no script, no external resource (it must work on an
 * admin port with no internet and be safe to open), readable on a phone (one column of blocks that wrap, long names
 * broken anywhere), refreshing itself every few seconds with a plain {@code meta refresh}. A pure function of a
 * {@link StatusSnapshot}; every value from outside is escaped.
 */
public final class StatusPage {

    /** Seconds between the page's own reloads. */
    static final int REFRESH_SECONDS = 5;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private static final String CSS = """
            body{font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;padding:12px;color:#1d232a;\
            background:#f4f6f8}
            main{max-width:980px;margin:0 auto}
            h1{font-size:1.35em;margin:0 0 4px}h2{font-size:1.05em;margin:0 0 8px}
            section{background:#fff;border:1px solid #d8dee4;border-radius:6px;padding:10px 12px;margin:10px 0}
            .scroll{overflow-x:auto}
            .item{padding:6px 0;border-bottom:1px solid #eef1f4}.item:last-child{border-bottom:0}
            .ok{color:#116329;font-weight:600}.bad{color:#a40e26;font-weight:600}.muted{color:#57606a}
            .tiles{display:flex;flex-wrap:wrap;gap:10px}.tile{flex:1 1 200px}
            .big{font-size:1.6em;font-weight:600}
            progress{width:100%;height:14px}
            code,pre{font:13px/1.35 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
            pre{white-space:pre-wrap;word-break:break-all;margin:0}
            .file{overflow-wrap:anywhere}
            """;

    private StatusPage() {
    }

    public static String render(StatusSnapshot s) {
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<meta http-equiv=\"refresh\" content=\"").append(REFRESH_SECONDS).append("\">")
                .append("<title>Signet status</title><style>").append(CSS).append("</style></head><body><main>\n");
        header(h, s);
        tiles(h, s);
        upstreams(h, s);
        fills(h, s);
        refusals(h, s);
        settings(h, s);
        h.append("</main></body></html>\n");
        return h.toString();
    }

    private static void header(StringBuilder h, StatusSnapshot s) {
        h.append("<h1>Signet status</h1><div class=\"muted\" id=\"version\">").append(escape(s.version()))
                .append(" &middot; up ").append(escape(duration(s.uptime())))
                .append(" &middot; ").append(escape(TIME.format(s.now()))).append("</div>\n");
        h.append("<div id=\"readiness\" class=\"").append(s.ready() ? "ok" : "bad").append("\">")
                .append(escape(s.readiness())).append("</div>\n");
    }

    private static void tiles(StringBuilder h, StatusSnapshot s) {
        StatusSnapshot.Cache c = s.cache();
        h.append("<section class=\"tiles\">");
        h.append("<div class=\"tile\" id=\"cache\"><h2>Artifact cache</h2><div class=\"big\">").append(escape(bytes(c.bytes())))
                .append("</div><div>of ").append(escape(bytes(c.maxBytes()))).append(" (")
                .append(c.maxBytes() > 0 ? Math.min(100, c.bytes() * 100 / c.maxBytes()) : 0).append("%), ")
                .append(c.entries()).append(c.entries() == 1 ? " file" : " files").append("</div>")
                .append("<progress value=\"").append(Math.min(c.bytes(), c.maxBytes())).append("\" max=\"")
                .append(Math.max(1, c.maxBytes())).append("\"></progress>");
        if (c.memoryMaxBytes() > 0) {
            h.append("<div class=\"muted\">memory tier ").append(escape(bytes(c.memoryBytes()))).append(" of ")
                    .append(escape(bytes(c.memoryMaxBytes()))).append("</div>");
        }
        h.append("</div>");
        HitWindow.Counts hits = s.hits();
        h.append("<div class=\"tile\" id=\"hits\"><h2>Hit ratio, last ").append(escape(duration(hits.window())))
                .append("</h2><div class=\"big\">")
                .append(Double.isNaN(hits.ratio()) ? "&ndash;" : String.format(Locale.ROOT, "%.1f%%", hits.ratio() * 100))
                .append("</div><div>").append(hits.hits()).append(" hits, ").append(hits.misses()).append(" misses</div></div>");
        h.append("</section>\n");
    }

    private static void upstreams(StringBuilder h, StatusSnapshot s) {
        h.append("<section id=\"upstreams\"><h2>Upstreams</h2>");
        for (StatusSnapshot.Upstream u : s.upstreams()) {
            UpstreamHealth.Host health = u.health();
            h.append("<div class=\"item upstream\"><b>").append(escape(u.name())).append("</b> ");
            if (health == null) {
                h.append("<span class=\"muted\">not contacted yet</span>");
            } else if (health.healthy()) {
                h.append("<span class=\"ok\">up</span>");
            } else {
                h.append("<span class=\"bad\">failing (").append(health.failuresInARow()).append(" in a row)</span>");
            }
            h.append("<div class=\"file\"><code>").append(escape(u.url())).append("</code></div>");
            if (health != null) {
                h.append("<div class=\"muted\">last answer ").append(escape(health.lastOutcome())).append(", ")
                        .append(escape(ago(s.now(), health.lastAt()))).append(" &middot; ").append(health.exchanges())
                        .append(health.exchanges() == 1 ? " exchange" : " exchanges").append("</div>");
            }
            h.append("</div>");
        }
        h.append("</section>\n");
    }

    private static void fills(StringBuilder h, StatusSnapshot s) {
        h.append("<section id=\"fills\"><h2>Fills in progress (").append(s.fills().size()).append(")</h2>");
        if (s.fills().isEmpty()) {
            h.append("<div class=\"muted\">none</div>");
        }
        for (FillRegistry.Status f : s.fills()) {
            boolean sized = f.total() != null && f.total() > 0;
            h.append("<div class=\"item fill\"><div class=\"file\">").append(escape(f.project())).append(" / <b>")
                    .append(escape(f.file())).append("</b></div>");
            if (sized) {
                h.append("<progress value=\"").append(Math.min(f.bytes(), f.total())).append("\" max=\"").append(f.total())
                        .append("\"></progress>");
            } else {
                // No max: the browser shows an indeterminate bar, honest about an unknown total.
                h.append("<progress></progress>");
            }
            h.append("<div>").append(escape(bytes(f.bytes())));
            if (f.total() != null) {
                h.append(" of ").append(escape(bytes(f.total())));
            }
            if (sized) {
                h.append(" (").append(Math.min(100, f.bytes() * 100 / f.total())).append("%)");
            } else {
                h.append(" <span class=\"muted\">(size not listed)</span>");
            }
            h.append(" &middot; ").append(escape(bytes((long) f.bytesPerSecond()))).append("/s &middot; ")
                    .append(escape(duration(Duration.ofMillis((long) (f.elapsedSeconds() * 1000))))).append(" &middot; <span class=\"waiting\">")
                    .append(f.waiting()).append(" waiting</span></div></div>");
        }
        h.append("</section>\n");
    }

    private static void refusals(StringBuilder h, StatusSnapshot s) {
        h.append("<section id=\"refusals\"><h2>Last refusals</h2>");
        if (s.refusals().isEmpty()) {
            h.append("<div class=\"muted\">none since start</div>");
        }
        for (RecentRefusals.Refusal r : s.refusals()) {
            h.append("<div class=\"item refusal\"><div><span class=\"muted\">").append(escape(ago(s.now(), r.at())))
                    .append("</span> <code>").append(escape(r.check())).append("</code></div><div class=\"file\"><b>")
                    .append(escape(r.project()));
            if (r.file() != null) {
                h.append(" / ").append(escape(r.file()));
            } else {
                h.append(" (page)");
            }
            h.append("</b></div><div class=\"file\">").append(escape(r.reason())).append("</div></div>");
        }
        h.append("</section>\n");
    }

    private static void settings(StringBuilder h, StatusSnapshot s) {
        h.append("<section id=\"settings\"><h2>Effective settings</h2>");
        if (s.settings() == null) {
            // An embedded server gets a SignetConfig, not the text it was loaded from.
            h.append("<div class=\"muted\">not known to this server (started without its configuration text); run ")
                    .append("<code>signet check-config</code> with the same flags</div></section>\n");
            return;
        }
        h.append("<div class=\"muted\">as <code>signet check-config</code> prints them, secrets redacted</div>")
                .append("<div class=\"scroll\"><pre>").append(escape(s.settings())).append("</pre></div></section>\n");
    }

    /** {@code 3 d 4 h}, {@code 2 h 5 min}, {@code 4 min 12 s}, {@code 9 s}: two units at most. */
    static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 86_400) {
            return s / 86_400 + " d " + s % 86_400 / 3600 + " h";
        }
        if (s >= 3600) {
            return s / 3600 + " h " + s % 3600 / 60 + " min";
        }
        if (s >= 60) {
            return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
        }
        return s + " s";
    }

    static String ago(Instant now, Instant then) {
        return duration(Duration.between(then, now)) + " ago";
    }

    /** Binary units with one decimal, like the fill progress log. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
