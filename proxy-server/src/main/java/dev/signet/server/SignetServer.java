package dev.signet.server;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.signet.fill.HashWarmUp;
import dev.signet.events.SignetListener;
import dev.signet.server.access.AccessPolicy;
import dev.signet.server.access.PasswordCheckPool;
import dev.signet.server.access.PasswordHasher;
import dev.signet.server.admin.AdminServer;
import dev.signet.server.cli.VersionProvider;
import dev.signet.server.status.StatusPage;
import dev.signet.server.status.StatusSource;
import dev.signet.server.admin.Readiness;
import dev.signet.server.artifact.ArtifactService;
import dev.signet.server.artifact.FillRegistry;
import dev.signet.server.artifact.MemoryTier;
import dev.signet.server.artifact.MetadataSignatures;
import dev.signet.server.artifact.Scrubber;
import dev.signet.server.artifact.SignatureLocation;
import dev.signet.server.config.ConfigException;
import dev.signet.server.config.OperationsConfig;
import dev.signet.server.config.SignetConfig;
import dev.signet.server.config.Units;
import dev.signet.server.http.PublicChannelInitializer;
import dev.signet.server.index.IndexService;
import dev.signet.server.index.PageFetchBudget;
import dev.signet.server.metrics.OutOfMemory;
import dev.signet.server.lifecycle.Connections;
import dev.signet.server.lifecycle.StartupFailure;
import dev.signet.server.metrics.SignetListeners;
import dev.signet.server.metrics.SignetMetrics;
import dev.signet.server.policy.Policies;
import dev.signet.server.netty.Transport;
import dev.signet.server.origin.SigningOrigin;
import dev.signet.server.artifact.SharedTier;
import dev.signet.server.shared.S3SharedStore;
import dev.signet.server.tls.TlsContexts;
import dev.signet.server.upstream.ForwardProxy;
import dev.signet.server.upstream.UpstreamClient;
import dev.signet.sig.Keyring;
import dev.signet.store.ArtifactStore;
import dev.signet.store.ScanResult;
import dev.signet.store.StoreBudget;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
    private final SslContext publicTls;
    private final Transport transport = Transport.best();
    private final EventLoopGroup group;
    private final ExecutorService workers;
    private final ArtifactStore store;
    private final ArtifactService artifacts;
    private final IndexService index;
    private final MetadataSignatures metadata;
    /** The supply-chain policy step on pages and artifact requests (dev.signet.server.policy). */
    private final Policies policy;
    private final Keyring keyring;
    private final UpstreamClient client;
    private final StoreBudget budget;
    private final MemoryTier memory;
    /** The fleet's shared store (docs/fleet.md), or {@link SharedTier#NONE}. */
    private final SharedTier shared;
    private final Scrubber scrubber;
    /** The signing origin when {@code role: origin}; its routes replace the edge's on the public listener. */
    private final SigningOrigin origin;
    private final SignetMetrics metrics = new SignetMetrics();
    private final Readiness readiness;
    private final Connections connections = new Connections();
    private final List<Channel> listeners = new ArrayList<>();
    private Channel listener;
    private Channel httpsListener;
    private AdminServer admin;
    /** What the admin listener's status page shows. */
    private final StatusSource.Recent recent;
    private final StatusSource status;
    private PasswordCheckPool passwordChecks;
    private boolean closed;

    private SignetServer(SignetConfig config, String settings, SignetListener events, InstantSource clock)
            throws IOException, ConfigException {
        this.config = config;
        UpstreamsFactory.Upstreams upstreams = UpstreamsFactory.build(config);
        this.keyring = upstreams.allKeys();
        // A signing origin verifies no signatures: it is ready without trusted keys.
        this.readiness = new Readiness(config.cacheDir(), () -> config.origin().isOrigin() || !keyring.keys().isEmpty());
        OperationsConfig ops = config.operations();
        SslContext upstreamTls = TlsContexts.client(ops.upstream().caBundle());
        this.publicTls = ops.https().enabled() ? TlsContexts.server(ops.https().certificate(), ops.https().privateKey()) : null;
        this.store = openStore(config.cacheDir());
        int cores = Runtime.getRuntime().availableProcessors();
        // One event loop per core by default (Netty's own default is two): loops that outnumber the cores only add
        // context switches to a server whose blocking work already runs on the worker pool.
        this.group = transport.newGroup(config.ioThreads() > 0 ? config.ioThreads() : cores, "signet-io");
        this.workers = newWorkers(config.workerThreads() > 0 ? config.workerThreads() : Math.max(4, 2 * cores));
        this.recent = StatusSource.Recent.standard(clock);
        events = SignetListeners.both(SignetListeners.both(metrics, recent.listener()), events);
        this.client = new UpstreamClient(group, transport.socketChannelType(), config.upstreamTimeouts(),
                upstreamTls, ops.upstream().proxy() == null ? null : ForwardProxy.of(ops.upstream().proxy()), events);
        this.index = new IndexService(client, upstreams.origins(), upstreams.pins(), workers, config.pageFreshness(),
                config.offline(), store, clock, (int) config.maxPageSize(), pageCacheSize(config),
                new PageFetchBudget(config.pages().fetchMemory(Runtime.getRuntime().maxMemory())), events);
        this.metadata = new MetadataSignatures(client, new SignatureLocation(config.signatureUrl()), workers,
                config.indexTtl(), Ticker.systemTicker(), METADATA_CHECKS_IN_FLIGHT, config.pages().metadataChecksPerView(),
                config.pages().metadataCheckWait());
        this.budget = new StoreBudget(store, config.cache().maxSize(), config.cache().minFree(), workers);
        metrics.track(budget);
        // Paranoid mode re-verifies the disk file for every request, so it never answers from memory.
        this.memory = config.cache().paranoid() ? MemoryTier.disabled()
                : new MemoryTier(memoryTierSize(config.cache().memorySize()), config.cache().memoryMaxObject());
        metrics.track(memory);
        this.shared = S3SharedStore.open(config.sharedStore(), events);
        this.artifacts = new ArtifactService(index, client, upstreams::reverificationKeys, store, budget, memory,
                config.cache().paranoid(),
                new SignatureLocation(config.signatureUrl()), workers, clock, events, shared);
        this.scrubber = new Scrubber(store, artifacts, config.cache().scrubRate());
        this.origin = config.origin().isOrigin()
                ? SigningOrigin.open(config.cacheDir().resolve("origin"), config.origin(), config.upstream(),
                        upstreams.origins().get(0).credentials(), index, client, workers, clock, events)
                : null;
        metrics.monitorCaches(budget, index.pageCaches(), metadata.statistics());
        this.status = new StatusSource(new VersionProvider().getVersion()[0], clock, readiness, index, budget,
                config.cache().maxSize(), memory, artifacts.fillRegistry(), recent, settings);
        this.policy = Policies.build(config, client, index, workers, clock, events);
    }

    /** Builds and starts a server; the returned server is listening. */
    public static SignetServer start(SignetConfig config, SignetListener events) throws IOException, ConfigException {
        return start(config, events, InstantSource.system());
    }

    /**
     * As {@link #start(SignetConfig, SignetListener)}, with the effective settings as {@code check-config} prints them
     * ({@link dev.signet.server.config.ConfigLoader#describe}, secrets redacted), which the status page shows.
     */
    public static SignetServer start(SignetConfig config, String effectiveSettings, SignetListener events)
            throws IOException, ConfigException {
        return start(config, effectiveSettings, events, InstantSource.system());
    }

    /** As {@link #start(SignetConfig, SignetListener)} with an injected clock (tests of freshness and stale serving). */
    public static SignetServer start(SignetConfig config, SignetListener events, InstantSource clock)
            throws IOException, ConfigException {
        // Started without the loader's text (embedded, tests): the status page says where to find the settings.
        return start(config, null, events, clock);
    }

    private static SignetServer start(SignetConfig config, String effectiveSettings, SignetListener events,
                                      InstantSource clock) throws IOException, ConfigException {
        OutOfMemory.installUncaughtHandler();
        SignetServer server = new SignetServer(config, effectiveSettings, events, clock);
        try {
            server.bind();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void bind() throws IOException {
        OperationsConfig ops = config.operations();
        admin = AdminServer.bind(group, transport.serverChannelType(), ops.admin(), readiness, metrics, index, artifacts, workers,
                config.requestHead(), () -> StatusPage.render(status.get()), policy.rules(), policy.state());
        policy.startFetching(group, config.policy().osvFetchInterval());
        log.info("signet admin listening on http://{}/ (livez, readyz, metrics, purge)", hostPort(admin.address()));
        loadCacheIndexInBackground();
        warmUpHashes();
        AccessPolicy access = ops.access().open() ? null : accessPolicy(ops.access());
        PublicChannelInitializer.Operations pipeline = new PublicChannelInitializer.Operations(metrics, connections, access,
                ops.accessLogFormat(), config.requestHead());
        listener = bindPublic("listen", config.listen(), null, pipeline);
        if (ops.https().enabled()) {
            httpsListener = bindPublic("https.listen", ops.https().listen(), publicTls, pipeline);
            log.info("signet listening on https://{}/simple/", hostPort(httpsAddress()));
        }
        log.info("signet listening on http://{}/simple/ ({}), upstream {}, {} trusted key(s){}, {}", hostPort(address()),
                transport.name(), UpstreamClient.redacted(config.upstream()), keyring.keys().size(),
                access == null ? "" : ", access control on", memory.enabled()
                        ? "memory tier " + Units.formatSize(memory.maxBytes()) + " (artifacts up to "
                                + Units.formatSize(memory.maxObjectBytes()) + ")"
                        : "memory tier off");
        readiness.serving();
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
        // Long fills are logged every few seconds; the byte counters are read on a worker, never on an event loop.
        long every = FillRegistry.REPORT_EVERY.toMillis();
        group.scheduleWithFixedDelay(() -> workers.execute(artifacts.fillRegistry()::logProgress), every, every,
                TimeUnit.MILLISECONDS);
        // Free space changes under us (other files on the disk): keep checking.
        group.scheduleWithFixedDelay(() -> workers.execute(budget::enforceFreeSpace), 30, 30, TimeUnit.SECONDS);
        if (!config.cache().scrubInterval().isZero()) {
            scrubber.start(config.cache().scrubInterval());
        }
    }

    /**
     * The fill's hashes compiled before the first fill needs them ({@link HashWarmUp}), on a worker: readiness does not
     * wait for it, and a fill that starts meanwhile only shares the CPU with it.
     */
    private void warmUpHashes() {
        CompletableFuture.runAsync(() -> {
            long start = System.nanoTime();
            HashWarmUp.run();
            log.debug("fill hashes warmed up in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }, workers);
    }

    /** Password checks get threads of their own (half the cores by default): a flood of them never reaches the workers. */
    private AccessPolicy accessPolicy(OperationsConfig.Access access) {
        int threads = access.passwordCheckThreads() > 0 ? access.passwordCheckThreads()
                : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        passwordChecks = new PasswordCheckPool(threads, access.passwordCheckQueue());
        metrics.track(passwordChecks);
        return new AccessPolicy(access.allowNetworks(), access.users(), passwordChecks, PasswordHasher.BCRYPT,
                access.credentialCacheTtl(), Ticker.systemTicker());
    }

    /** The store, or a failure naming {@code cache-dir}, the path and the operating system's reason. */
    private static ArtifactStore openStore(java.nio.file.Path cacheDir) throws IOException {
        try {
            return ArtifactStore.open(cacheDir);
        } catch (IOException e) {
            throw StartupFailure.of("cache-dir", "use the cache directory", cacheDir, e);
        }
    }

    private Channel bindPublic(String setting, InetSocketAddress requested, SslContext tls,
            PublicChannelInitializer.Operations pipeline) throws IOException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannelType())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(origin != null
                        ? PublicChannelInitializer.forOrigin(tls, origin, config.clientIdleTimeout().toSeconds(), pipeline)
                        : new PublicChannelInitializer(tls, index, metadata, policy.step(), artifacts, workers,
                                config.clientIdleTimeout().toSeconds(), pipeline, config.fillRedirects()));
        InetSocketAddress address = new InetSocketAddress(requested.getHostString(), requested.getPort());
        try {
            Channel bound = bootstrap.bind(address).sync().channel();
            listeners.add(bound);
            return bound;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding " + address, e);
        } catch (Exception e) {
            throw StartupFailure.of(setting, "listen on", requested.getHostString() + ":" + requested.getPort(), e);
        }
    }

    /** Client connections open on the public listeners now. */
    public int openClientConnections() {
        return connections.open();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** The HTTPS listener's address; only when {@code https.listen} is configured. */
    public InetSocketAddress httpsAddress() {
        return (InetSocketAddress) httpsListener.localAddress();
    }

    public InetSocketAddress adminAddress() {
        return admin.address();
    }

    public SignetMetrics metrics() {
        return metrics;
    }

    /** {@code http://host:port/simple/} of this server. */
    public String simpleUrl() {
        return "http://" + hostPort(address()) + "/simple/";
    }

    public ArtifactService artifacts() {
        return artifacts;
    }

    public StoreBudget budget() {
        return budget;
    }

    public Scrubber scrubber() {
        return scrubber;
    }

    private static String hostPort(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static ExecutorService newWorkers(int threads) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new io.netty.util.concurrent.DefaultThreadFactory("signet-worker", true)) {
            @Override
            protected void afterExecute(Runnable task, Throwable error) {
                OutOfMemory.report(error, "a worker task");
            }
        };
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * The SIGTERM path: readiness fails at once; after the drain delay the listeners close and idle connections with
     * them; transfers in progress get the drain timeout to finish; then {@link #close()} aborts whatever is left,
     * including fills (which leave nothing in the cache).
     */
    public void drainAndClose() throws InterruptedException {
        OperationsConfig.Shutdown shutdown = config.operations().shutdown();
        readiness.draining();
        log.info("draining: /readyz now answers 503; new connections are refused in {}", Units.formatDuration(shutdown.drainDelay()));
        if (!shutdown.drainDelay().isZero()) {
            Thread.sleep(shutdown.drainDelay().toMillis());
        }
        listeners.forEach(l -> l.close().syncUninterruptibly());
        connections.drain();
        log.info("draining: listeners closed, waiting up to {} for {} connection(s) to finish",
                Units.formatDuration(shutdown.drainTimeout()), connections.open());
        if (connections.awaitClosed(shutdown.drainTimeout())) {
            log.info("draining: every transfer finished");
        } else {
            log.warn("draining: {} connection(s) still busy after {}, closing them", connections.open(),
                    Units.formatDuration(shutdown.drainTimeout()));
        }
        close();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        readiness.draining();
        scrubber.close();
        listeners.forEach(l -> l.close().syncUninterruptibly());
        connections.closeAll();
        if (admin != null) {
            admin.close();
        }
        client.close();
        if (passwordChecks != null) {
            passwordChecks.close();
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
        shared.close();
        // After the loops and workers stopped: nothing admits or serves a copy any more.
        memory.close();
        try {
            store.close();
        } catch (IOException e) {
            log.warn("closing the cache store: {}", e.getMessage());
        }
        metrics.close();
    }

    /**
     * The memory tier lives in direct memory, whose JVM limit (-XX:MaxDirectMemorySize) defaults to the heap size: with
     * a small heap the configured size could starve the buffers the network needs. At most a quarter of the limit.
     */
    private static long memoryTierSize(long configured) {
        long limit = PlatformDependent.maxDirectMemory() / 4;
        if (configured > limit) {
            // INFO, not WARN: the default meets this with any heap under 256MiB, which is a deliberate, fine choice.
            log.info("memory tier: {} (memory-cache-size {} is capped at a quarter of the JVM's direct memory limit,"
                    + " {}; raise -XX:MaxDirectMemorySize or the heap to keep more)",
                    Units.formatSize(limit),
                    Units.formatSize(configured), Units.formatSize(PlatformDependent.maxDirectMemory()));
            return limit;
        }
        return configured;
    }

    /** {@code page-cache-size}, or an eighth of the heap; a page larger than its share is served but not kept. */
    private static long pageCacheSize(SignetConfig config) {
        long size = config.pages().cacheSize(Runtime.getRuntime().maxMemory());
        if (size / 4 < config.maxPageSize()) {
            log.info("page cache: {} of memory; pages over {} (a quarter) may not stay in memory (max-page-size {})",
                    Units.formatSize(size), Units.formatSize(size / 4), Units.formatSize(config.maxPageSize()));
        }
        return size;
    }

    public MemoryTier memory() {
        return memory;
    }
}
