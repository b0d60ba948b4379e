package dev.signet.server;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.signet.events.SignetListener;
import dev.signet.server.artifact.ArtifactService;
import dev.signet.server.artifact.Scrubber;
import dev.signet.server.artifact.MetadataSignatures;
import dev.signet.server.artifact.SignatureLocation;
import dev.signet.server.config.ConfigException;
import dev.signet.server.config.SignetConfig;
import dev.signet.server.http.PublicChannelInitializer;
import dev.signet.server.index.IndexService;
import dev.signet.server.netty.Transport;
import dev.signet.server.upstream.UpstreamClient;
import dev.signet.sig.Keyring;
import dev.signet.store.ArtifactStore;
import dev.signet.store.PageStore;
import dev.signet.store.ScanResult;
import dev.signet.store.StoreBudget;
import java.util.concurrent.CompletableFuture;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every component from a {@link SignetConfig}, by hand, in one place, and owns their
 * lifecycle. Reading order for a newcomer: {@link PublicChannelInitializer} (serve path entry),
 * {@link ArtifactService} (cache lookup and fills), {@code ArtifactFill} (fill path), {@code VerifyingFill} (verify
 * path).
 */
public final class SignetServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SignetServer.class);
    /** Metadata signature pre-checks running at once across all pages (small fetches; bounds upstream load). */
    private static final int METADATA_CHECKS_IN_FLIGHT = 8;

    private final SignetConfig config;
    private final Transport transport = Transport.best();
    private final EventLoopGroup group;
    private final ExecutorService workers;
    private final ArtifactStore store;
    private final ArtifactService artifacts;
    private final IndexService index;
    private final MetadataSignatures metadata;
    private final Keyring keyring;
    private final StoreBudget budget;
    private final Scrubber scrubber;
    private Channel listener;

    private SignetServer(SignetConfig config, SignetListener events, InstantSource clock) throws IOException, ConfigException {
        this.config = config;
        UpstreamsFactory.Upstreams upstreams = UpstreamsFactory.build(config);
        this.keyring = upstreams.allKeys();
        this.store = ArtifactStore.open(config.cacheDir());
        int cores = Runtime.getRuntime().availableProcessors();
        this.group = transport.newGroup(config.ioThreads(), "signet-io");
        this.workers = newWorkers(config.workerThreads() > 0 ? config.workerThreads() : Math.max(4, 2 * cores));
        UpstreamClient client = new UpstreamClient(group, transport.socketChannelType(), config.upstreamTimeouts());
        this.index = new IndexService(client, upstreams.origins(), upstreams.pins(), workers, config.pageFreshness(),
                config.offline(), store, clock, (int) config.maxPageSize());
        this.metadata = new MetadataSignatures(client, new SignatureLocation(config.signatureUrl()), workers,
                config.indexTtl(), Ticker.systemTicker(), METADATA_CHECKS_IN_FLIGHT);
        this.budget = new StoreBudget(store, config.cache().maxSize(), config.cache().minFree(), workers);
        this.artifacts = new ArtifactService(index, client, keyring, store, budget, config.cache().paranoid(),
                new SignatureLocation(config.signatureUrl()), workers, clock, events);
        this.scrubber = new Scrubber(store, artifacts, config.cache().scrubRate());
    }

    /** Builds and starts a server; the returned server is listening. */
    public static SignetServer start(SignetConfig config, SignetListener events) throws IOException, ConfigException {
        return start(config, events, InstantSource.system());
    }

    /** As {@link #start(SignetConfig, SignetListener)} with an injected clock (tests of freshness and stale serving). */
    public static SignetServer start(SignetConfig config, SignetListener events, InstantSource clock)
            throws IOException, ConfigException {
        SignetServer server = new SignetServer(config, events, clock);
        try {
            server.bind();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void bind() throws IOException {
        loadCacheIndexInBackground();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannelType())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new PublicChannelInitializer(null, index, metadata, artifacts, workers,
                        config.clientIdleTimeout().toSeconds()));
        InetSocketAddress requested = config.listen();
        InetSocketAddress address = new InetSocketAddress(requested.getHostString(), requested.getPort());
        try {
            listener = bootstrap.bind(address).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding " + address, e);
        } catch (Exception e) {
            throw new IOException("cannot listen on " + requested.getHostString() + ":" + requested.getPort() + ": " + e.getMessage(), e);
        }
        log.info("signet listening on http://{}/simple/ ({}), upstream {}, {} trusted key(s)", hostPort(address()),
                transport.name(), UpstreamClient.redacted(config.upstream()), keyring.keys().size());
    }

    /**
     * Rebuilds the budget's view of the store from disk without delaying readiness: requests during the scan still
     * find artifacts on disk (lookups read the store directly), and every entry is re-verified before its first serve
     * anyway. The scan also removes orphans left by a crash.
     */
    private void loadCacheIndexInBackground() {
        CompletableFuture.runAsync(() -> {
            try {
                ScanResult scan = store.scan(budget::admit);
                budget.enforceFreeSpace();
                log.info("cache {}: {} artifacts, {} bytes; {} orphans removed; every entry is re-verified before its first serve",
                        config.cacheDir(), scan.entries(), scan.bytes(), scan.orphansRemoved());
            } catch (IOException | RuntimeException e) {
                log.error("cannot scan the cache {}: {}", config.cacheDir(), e.toString());
            }
        }, workers);
        // Free space changes under us (other files on the disk): keep checking.
        group.scheduleWithFixedDelay(() -> workers.execute(budget::enforceFreeSpace), 30, 30, TimeUnit.SECONDS);
        if (!config.cache().scrubInterval().isZero()) {
            scrubber.start(config.cache().scrubInterval());
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** {@code http://host:port/simple/} of this server. */
    public String simpleUrl() {
        return "http://" + hostPort(address()) + "/simple/";
    }

    public ArtifactService artifacts() {
        return artifacts;
    }

    private static String hostPort(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static ExecutorService newWorkers(int threads) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new io.netty.util.concurrent.DefaultThreadFactory("signet-worker", true));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    public StoreBudget budget() {
        return budget;
    }

    public Scrubber scrubber() {
        return scrubber;
    }

    @Override
    public void close() {
        scrubber.close();
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        try {
            store.close();
        } catch (IOException e) {
            log.warn("closing the cache store: {}", e.getMessage());
        }
    }
}
