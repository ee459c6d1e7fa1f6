// hoistd's composition root: the one place that names concrete stores, backends and
// finalizers and wires them together.
#include "callback_finalizer.h"
#include "capability_links.h"
#include "cluster_metrics.h"
#include "config.h"
#include "crypto.h"
#include "disk_backend.h"
#include "file_handlers.h"
#include "finalization.h"
#include "in_process_session_locker.h"
#include "library_finalizer.h"
#include "ops_handlers.h"
#include "postgres_file_catalog.h"
#include "postgres_session_locker.h"
#include "postgres_session_store.h"
#include "postgres_share_link_store.h"
#include "private_file.h"
#include "responses.h"
#include "s3_backend.h"
#include "schema_migrator.h"
#include "session_census.h"
#include "share_link_handlers.h"
#include "shared_keys.h"
#include "sqlite_database.h"
#include "sqlite_file_catalog.h"
#include "sqlite_session_store.h"
#include "sqlite_share_link_store.h"
#include "staged_handlers.h"
#include "storage_health.h"
#include "sweeper.h"
#include "time_format.h"
#include "tus_handlers.h"
#include "upload_handlers.h"
#include "upload_service.h"
#include "validation.h"
#include "web_handlers.h"

#include "hoist_version.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <pthread.h>
#include <thread>

namespace {

constexpr int kExitIoError = 1;
constexpr int kExitUsage = 2;

// A configuration hoistd cannot run with: exit status 2, which the packaged unit does
// not restart (docs/admin.md, "Start, stop and check the service").
int refuse(const std::string& message) {
    std::cerr << "hoistd: " << message << "\n";
    return kExitUsage;
}

// An I/O failure at start-up (disk full, data directory not writable, database not
// openable) is not a configuration error: exit status 1, so systemd retries and the
// service comes back once the disk is fixed (docs/admin.md, "Security").
int failIo(const std::string& message) {
    std::cerr << "hoistd: " << message << "\n";
    return kExitIoError;
}

// Without configured tokens hoistd still needs one to be usable: a development token,
// kept in the data directory so it survives restarts, printed for the user.
tl::expected<std::map<std::string, std::string>, std::string>
developmentTokens(const std::filesystem::path& dataDir, hoist::Logger& logger) {
    const auto path = dataDir / "dev-token";
    std::string token;
    if (std::ifstream in(path); in)
        std::getline(in, token);
    if (token.size() < 32) {
        token = hoist::newUuid() + hoist::newUuid();
        token.erase(std::remove(token.begin(), token.end(), '-'), token.end());
        if (auto written = hoist::writePrivateFile(path.string(), token + "\n"); !written)
            return tl::unexpected(written.error());
    }
    logger.warn("no --token or --tokens-file given; development token for user 'dev': " + token +
                " (stored in " + path.string() + ")");
    return std::map<std::string, std::string>{{token, "dev"}};
}

std::string listenUrl(const hoist::Config& config, bool tls, int port) {
    const std::string host = config.listenHost.find(':') != std::string::npos
                                 ? "[" + config.listenHost + "]"
                                 : config.listenHost;
    return std::string(tls ? "https://" : "http://") + host + ":" + std::to_string(port);
}

// The composition root's one choice of storage (DESIGN: only main names backends).
tl::expected<std::unique_ptr<hoist::StorageBackend>, std::string>
openBackend(const hoist::Config& config, hoist::Logger& logger) {
    using namespace hoist;
    if (config.storage == "disk") {
        auto disk = DiskBackend::open(config.dataDir);
        if (!disk)
            return tl::unexpected(disk.error().message);
        return std::unique_ptr<StorageBackend>(std::move(*disk));
    }
    S3Config s3;
    s3.endpoint = config.s3Endpoint;
    s3.bucket = config.s3Bucket;
    s3.region = config.s3Region;
    s3.prefix = config.s3Prefix;
    s3.pathStyle = config.s3PathStyle;
    s3.accessKeyId = config.s3AccessKeyId;
    s3.secretAccessKey = config.s3SecretAccessKey;
    s3.sessionToken = config.s3SessionToken;
    s3.warn = [&logger](const std::string& message) { logger.warn("s3: " + message); };
    if (!config.database.empty())
        s3.foreignUploadGrace = std::chrono::minutes(10);
    return makeS3Backend(s3);
}

// The durable records and the session locks: SQLite in the data directory and an
// in-process locker (one node), or PostgreSQL with leases (several nodes).
struct Databases {
    std::unique_ptr<hoist::SqliteDatabase> sqlite;
    std::unique_ptr<hoist::PostgresDatabase> postgres;
    std::unique_ptr<hoist::SessionStore> sessions;
    std::unique_ptr<hoist::FileCatalog> catalog;
    std::unique_ptr<hoist::ShareLinkStore> shareLinks;
    std::unique_ptr<hoist::SessionLocker> locker;
    hoist::PostgresSessionLocker* leases = nullptr; // the locker, with a database
};

// A schema newer than this binary is a configuration error (exit status 2: restarting
// the same binary cannot help); anything else an I/O failure (exit status 1).
int refuseSchema(const hoist::SchemaError& error) {
    return error.kind == hoist::SchemaError::Kind::TooNew ? refuse(error.message)
                                                          : failIo(error.message);
}

// The schema first (so that a newer one is refused before anything reads it), then
// the stores on it.
template <typename Store, typename Catalog, typename Links, typename Database>
int openStores(Database& db, Databases& out) {
    if (auto migrated = hoist::SchemaMigrator::migrate(db); !migrated)
        return refuseSchema(migrated.error());
    auto store = Store::open(db);
    if (!store)
        return failIo(store.error().message);
    out.sessions = std::move(*store);
    auto catalog = Catalog::open(db);
    if (!catalog)
        return failIo(catalog.error().message);
    out.catalog = std::move(*catalog);
    auto links = Links::open(db);
    if (!links)
        return failIo(links.error().message);
    out.shareLinks = std::move(*links);
    return 0;
}

int openDatabases(const hoist::Config& config, hoist::Logger& logger, Databases& out) {
    using namespace hoist;
    if (config.database.empty()) {
        auto database = SqliteDatabase::open(config.dataDir + "/hoistd.db");
        if (!database)
            return failIo(database.error());
        out.sqlite = std::move(*database);
        out.locker = std::make_unique<InProcessSessionLocker>();
        return openStores<SqliteSessionStore, SqliteFileCatalog, SqliteShareLinkStore>(*out.sqlite,
                                                                                       out);
    }
    auto database = PostgresDatabase::open({config.database, config.databasePool});
    if (!database)
        return failIo(database.error().message);
    out.postgres = std::move(*database);
    if (config.storage == "disk")
        logger.warn("--storage disk with --database: chunks are staged on this node's disk, so "
                    "this is a single-node setup; several nodes need --storage s3 "
                    "(docs/admin.md, \"Running several nodes\")");
    if (const int status =
            openStores<PostgresSessionStore, PostgresFileCatalog, PostgresShareLinkStore>(
                *out.postgres, out))
        return status;
    auto leases = std::make_unique<PostgresSessionLocker>(*out.postgres);
    out.leases = leases.get();
    out.locker = std::move(leases);
    return 0;
}

int serve(hoist::Config config) {
    using namespace hoist;
    Logger logger(config.logLevel);
    if (auto made = makePrivateDirectory(config.dataDir); !made)
        return failIo("cannot create the data directory: " + made.error());
    if (config.tokens.empty()) {
        auto development = developmentTokens(config.dataDir, logger);
        if (!development)
            return failIo("cannot store the development token: " + development.error());
        config.tokens = std::move(*development);
    }

    Databases databases;
    if (auto opened = openDatabases(config, logger, databases); opened != 0)
        return opened;
    SessionStore& store = *databases.sessions;
    FileCatalog& catalog = *databases.catalog;

    auto backend = openBackend(config, logger);
    if (!backend)
        return config.storage == "disk" ? failIo(backend.error()) : refuse(backend.error());

    std::optional<CapabilityLinks> loadedLinks;
    if (databases.postgres) {
        auto key = SharedKeys::get(*databases.postgres, "capability", randomBytes(32));
        if (!key)
            return failIo("cannot read the shared capability key: " + key.error().message);
        loadedLinks.emplace(std::move(*key));
    } else {
        try {
            loadedLinks = CapabilityLinks::loadOrCreate(config.dataDir + "/capability.key");
        } catch (const std::runtime_error& error) {
            return failIo(error.what());
        }
    }
    CapabilityLinks& links = *loadedLinks;
    HttpClient callbackClient;
    std::unique_ptr<Finalizer> finalizer;
    if (config.finalizeUrl.empty())
        finalizer = std::make_unique<LibraryFinalizer>(catalog);
    else
        finalizer = std::make_unique<CallbackFinalizer>(
            CallbackSettings{config.finalizeUrl, config.finalizeSecret,
                             CallbackSettings{}.linkLifetime,
                             std::chrono::seconds(config.finalizeTimeoutSeconds)},
            callbackClient, **backend, links, logger);
    SessionLocker& locks = *databases.locker;
    Metrics metrics;
    if (databases.postgres)
        addClusterMetrics(metrics, *databases.postgres, *databases.leases);
    SessionCensus sessions(store, metrics);
    if (auto counted = sessions.count(); !counted)
        return failIo(counted.error().message);
    FinalizationRunner finalization(sessions, *finalizer, locks, metrics, logger,
                                    config.finalizeWorkers);
    UploadService uploads(sessions, **backend, catalog, finalization, locks, metrics, logger,
                          UploadPolicy{config.maxSize, config.sessionTtlSeconds, config.allowTypes,
                                       config.maxOpenSessions, config.quotaBytes,
                                       config.maxParallelChunks, config.hashBufferBytes,
                                       config.threads});
    const std::size_t expired = uploads.sweep();
    if (expired > 0)
        logger.info("start-up sweep expired " + std::to_string(expired) + " sessions");

    HttpServerOptions options;
    options.host = config.listenHost;
    options.port = config.listenPort;
    options.tlsCertFile = config.tlsCert;
    options.tlsKeyFile = config.tlsKey;
    options.threads = config.threads;
    options.maxPayloadBytes = UploadService::chunkSizeFor(config.maxSize) + 1024 * 1024;
    options.bodyStall = std::chrono::seconds(config.readTimeoutSeconds);
    options.headerTimeout = std::chrono::seconds(config.headerTimeoutSeconds);
    options.bodyTimeout = std::chrono::seconds(config.bodyTimeoutSeconds);
    options.bodyMinRate = config.bodyMinRate;
    options.bodyRateWindow = std::chrono::seconds(config.bodyRateWindowSeconds);
    HttpServer server(options);
    TokenAuthenticator auth(config.tokens);
    installRequestLog(server, metrics, logger);
    renderRefusals(server, metrics);
    StorageHealth storageHealth(config.dataDir);
    DatabaseProbe databaseProbe;
    if (databases.postgres)
        databaseProbe = [&databases] { return databases.postgres->problem(); };
    std::atomic<bool> draining{false};
    registerOpsRoutes(server, metrics, storageHealth, config.metricsToken, databaseProbe,
                      [&draining] { return draining.load(); });
    registerUploadRoutes(server, uploads, catalog, auth, metrics);
    registerFileRoutes(server, catalog, **backend, auth, metrics, logger);
    registerStagedRoute(server, sessions, **backend, links);
    registerWebRoutes(server, webAssets());
    UploadConcatenator concatenator(uploads, sessions, **backend, locks, logger);
    TusHandlers tus(uploads, concatenator, auth, metrics,
                    TusOptions{config.maxSize, config.publicUrl, server.tls(), config.corsOrigins});
    tus.registerRoutes(server);
    ShareLinkPolicy sharePolicy{config.shareLinkTtlSeconds, config.shareLinkMaxTtlSeconds, {}};
    registerShareLinkRoutes(server, *databases.shareLinks, catalog, **backend, auth, metrics,
                            logger, sharePolicy);

    const auto port = server.bind();
    if (!port)
        return refuse(port.error());
    const std::string url = listenUrl(config, server.tls(), *port);
    const std::string publicUrl = config.publicUrl.empty() ? url : config.publicUrl;
    links.setBaseUrl(publicUrl);
    sharePolicy.baseUrl = publicUrl.substr(0, publicUrl.find_last_not_of('/') + 1);

    Sweeper sweeper(std::chrono::seconds(config.sweepIntervalSeconds), [&] {
        if (const std::size_t n = uploads.sweep())
            logger.info("sweep expired " + std::to_string(n) + " sessions");
        if (auto n = databases.shareLinks->removeExpired(nowSeconds()); !n)
            logger.warn("sweep of share links: " + n.error().message);
        if (databases.postgres)
            finalization.adoptBacklog();
    });
    finalization.start();
    sweeper.start();

    // SIGTERM/SIGINT are blocked in every thread (see main) and taken here, where
    // stopping the server is safe. The node drains first (docs/admin.md, "Rolling
    // restarts and upgrades"): /readyz answers 503 at once and the listener stays open,
    // so a balancer takes the node out of rotation while every request in flight, and
    // any it still sends meanwhile, is answered; once none is left (or the grace is
    // spent) stop() closes the listener and gives what remains the rest of the grace.
    // A signal that arrives before serve() got going would be lost on a server not yet
    // running, so stop() is repeated until serve() has returned.
    std::atomic<bool> served{false};
    std::thread signals([&server, &logger, &served, &draining, grace = options.shutdownGrace] {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGINT);
        int received = 0;
        sigwait(&set, &received);
        if (served)
            return;
        logger.info(std::string("received ") + (received == SIGINT ? "SIGINT" : "SIGTERM") +
                    ", draining " + std::to_string(server.requestsInFlight()) +
                    " requests in flight; /readyz answers 503");
        draining = true;
        const auto graceEnd = std::chrono::steady_clock::now() + grace;
        while (!served && server.requestsInFlight() > 0 &&
               std::chrono::steady_clock::now() < graceEnd)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        logger.info("shutting down");
        while (!served) {
            server.stop(std::chrono::duration_cast<std::chrono::milliseconds>(
                std::max(graceEnd - std::chrono::steady_clock::now(),
                         std::chrono::steady_clock::duration::zero())));
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });

    logger.info("hoistd " HOIST_VERSION " serving " + url + " from " + config.dataDir + " (" +
                (*backend)->name() + " storage)");
    std::printf("listening on %s\n", url.c_str());
    std::fflush(stdout);
    server.serve();
    served = true;

    pthread_kill(signals.native_handle(), SIGTERM);
    signals.join();
    sweeper.stop();
    finalization.stop();
    logger.info("stopped; sessions are persisted in " + config.dataDir);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    auto parsed = hoist::parseCommandLine(std::vector<std::string>(argv + 1, argv + argc));
    if (!parsed)
        return refuse(parsed.error());
    switch (parsed->action) {
    case hoist::CommandLine::Action::Help:
        std::cout << hoist::usageText();
        return 0;
    case hoist::CommandLine::Action::Version:
        std::cout << "hoistd " HOIST_VERSION "\n";
        return 0;
    case hoist::CommandLine::Action::Serve:
        break;
    }
    return serve(std::move(parsed->config));
}
