#pragma once

#include "logger.h"

#include <tl/expected.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hoist {

// Every option of docs/protocol.md's "Running hoistd", with safe defaults: hoistd with no
// arguments serves on 127.0.0.1:8080 from local disk with SQLite.
struct Config {
    std::string listenHost = "127.0.0.1";
    int listenPort = 8080;
    std::string dataDir;                       // default: see defaultDataDir()
    std::map<std::string, std::string> tokens; // token -> user id
    std::int64_t maxSize = std::int64_t{1} << 40;
    std::int64_t maxOpenSessions = 1000;
    std::optional<std::int64_t> quotaBytes;
    // Parallel chunks (docs/protocol.md, docs/admin.md): the largest window granted, and
    // the memory for chunks stored ahead of the in-order hash.
    std::int64_t maxParallelChunks = 8;
    std::int64_t hashBufferBytes = std::int64_t{256} << 20;
    std::int64_t sessionTtlSeconds = 86400;
    std::int64_t sweepIntervalSeconds = 1800;
    std::string storage = "disk";
    std::string s3Endpoint;
    std::string s3Bucket;
    std::string s3Region = "us-east-1";
    std::string s3Prefix = "hoist-"; // see S3Config::prefix for why not "hoist/"
    bool s3PathStyle = true;
    std::string s3AccessKeyId;
    std::string s3SecretAccessKey;
    std::string s3SessionToken;
    std::string finalizeUrl;
    std::string finalizeSecret;
    std::vector<std::string> allowTypes;
    std::vector<std::string> corsOrigins; // browser origins that may use /tus/ ("*": any)
    std::string tlsCert;
    std::string tlsKey;
    std::string metricsToken;
    // Serve /metrics without a token although hoistd listens beyond loopback.
    bool metricsPublic = false;
    // Deadline of one finalization callback, and the threads that retry them.
    std::int64_t finalizeTimeoutSeconds = 15;
    std::size_t finalizeWorkers = 8;
    // Base of capability URLs handed to the application server; default: the
    // listening address.
    std::string publicUrl;
    // PostgreSQL shared by several nodes (libpq URI); empty: SQLite in dataDir
    // (docs/admin.md, "Running several nodes").
    std::string database;
    std::size_t databasePool = 16; // connections per node
    LogLevel logLevel = LogLevel::Info;
    std::size_t threads = 256;
    std::int64_t readTimeoutSeconds = 20;
    // Request deadlines (docs/admin.md "Security").
    std::int64_t headerTimeoutSeconds = 10;
    std::int64_t bodyTimeoutSeconds = 300;
    std::int64_t bodyMinRate = 1024; // bytes/s averaged over bodyRateWindowSeconds
    std::int64_t bodyRateWindowSeconds = 10;
    // Share links (docs/protocol.md, "Share links"): the lifetime of a link created
    // without expiresIn, and the longest one may ask for.
    std::int64_t shareLinkTtlSeconds = 7 * 86400;
    std::int64_t shareLinkMaxTtlSeconds = 30 * 86400;
};

// What the command line asked for.
struct CommandLine {
    enum class Action { Serve, Help, Version };
    Action action = Action::Serve;
    Config config;
};

// Parses flags (and the --config file they name; flags win). An error is a message for
// the user; the caller prints it and exits with status 2.
tl::expected<CommandLine, std::string> parseCommandLine(const std::vector<std::string>& args);

std::string usageText();

} // namespace hoist
