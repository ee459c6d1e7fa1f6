#include "config.h"

#include "crypto.h"
#include "validation.h"

#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>

namespace hoist {

namespace {
using Result = tl::expected<void, std::string>;

// Every byte the tokens file's word splitting (operator>>) takes for a space: trimming
// fewer let "\v#TOKEN USER" through as the token "#TOKEN", which the same file written
// back reads as a comment.
constexpr const char* kSpaces = " \t\r\v\f";

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(kSpaces);
    if (first == std::string::npos)
        return "";
    const auto last = text.find_last_not_of(kSpaces);
    return text.substr(first, last - first + 1);
}

Result addToken(Config& config, const std::string& token, const std::string& user,
                const std::string& where) {
    if (token.empty() || user.empty())
        return tl::unexpected(where + ": a token needs the form TOKEN:USER");
    config.tokens[token] = user;
    return {};
}

// Calls `line` for each line of `path` that is neither blank nor a comment; its error
// is reported with the file name and line number.
Result forEachLine(const std::string& path, const char* what,
                   const std::function<Result(const std::string&)>& line) {
    std::ifstream in(path);
    if (!in)
        return tl::unexpected("cannot read " + std::string(what) + " " + path);
    std::string text;
    int number = 0;
    while (std::getline(in, text)) {
        ++number;
        text = trim(text);
        if (text.empty() || text[0] == '#')
            continue;
        if (auto ok = line(text); !ok)
            return tl::unexpected(path + ":" + std::to_string(number) + ": " + ok.error());
    }
    return {};
}

Result loadTokensFile(Config& config, const std::string& path) {
    return forEachLine(path, "tokens file", [&](const std::string& line) -> Result {
        std::istringstream fields(line);
        std::string token;
        std::string user;
        std::string rest;
        if (!(fields >> token >> user) || (fields >> rest))
            return tl::unexpected(std::string("expected 'TOKEN USER'"));
        return addToken(config, token, user, "tokens file");
    });
}

Result parseListen(Config& config, const std::string& value) {
    const auto colon = value.rfind(':');
    if (colon == std::string::npos)
        return tl::unexpected("--listen wants HOST:PORT, not '" + value + "'");
    std::string host = value.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    const auto port = parseOffset(value.substr(colon + 1));
    if (host.empty() || !port || *port > 65535)
        return tl::unexpected("--listen wants HOST:PORT, not '" + value + "'");
    config.listenHost = host;
    config.listenPort = static_cast<int>(*port);
    return {};
}

std::vector<std::string> splitList(const std::string& value) {
    std::vector<std::string> out;
    std::istringstream in(value);
    std::string item;
    while (std::getline(in, item, ',')) {
        item = trim(item);
        if (!item.empty())
            out.push_back(item);
    }
    return out;
}

// One option, from the command line or the config file (same keys, without "--").
Result applyOption(Config& config, const std::string& key, const std::string& value) {
    if (key == "listen")
        return parseListen(config, value);
    if (key == "data-dir") {
        config.dataDir = value;
        return {};
    }
    if (key == "token") {
        const auto colon = value.find(':');
        if (colon == std::string::npos)
            return tl::unexpected("--token wants TOKEN:USER, not '" + value + "'");
        return addToken(config, value.substr(0, colon), value.substr(colon + 1), "--token");
    }
    if (key == "tokens-file")
        return loadTokensFile(config, value);
    if (key == "max-size") {
        const auto size = parseByteSize(value);
        if (!size || *size == 0)
            return tl::unexpected("--max-size wants a byte count such as 10737418240 or 10G, "
                                  "not '" +
                                  value + "'");
        config.maxSize = *size;
        return {};
    }
    if (key == "max-open-sessions") {
        const auto count = parseOffset(value);
        if (!count || *count == 0)
            return tl::unexpected("--max-open-sessions wants a positive count, not '" + value +
                                  "'");
        config.maxOpenSessions = *count;
        return {};
    }
    if (key == "max-parallel-chunks") {
        const auto count = parseOffset(value);
        if (!count || *count < 1 || *count > 64)
            return tl::unexpected("--max-parallel-chunks wants a number from 1 to 64, not '" +
                                  value + "'");
        config.maxParallelChunks = *count;
        return {};
    }
    if (key == "hash-buffer") {
        const auto bytes = parseByteSize(value);
        if (!bytes)
            return tl::unexpected("--hash-buffer wants a byte count such as 268435456 or 256M, "
                                  "not '" +
                                  value + "'");
        config.hashBufferBytes = *bytes;
        return {};
    }
    if (key == "quota") {
        const auto bytes = parseByteSize(value);
        if (!bytes)
            return tl::unexpected("--quota wants a byte count such as 10737418240 or 10G, not '" +
                                  value + "'");
        config.quotaBytes = *bytes;
        return {};
    }
    if (key == "body-min-rate") {
        const auto rate = parseOffset(value);
        if (!rate)
            return tl::unexpected("--body-min-rate wants bytes per second, not '" + value + "'");
        config.bodyMinRate = *rate;
        return {};
    }
    const std::map<std::string, std::int64_t Config::*> seconds{
        {"session-ttl", &Config::sessionTtlSeconds},
        {"sweep-interval", &Config::sweepIntervalSeconds},
        {"read-timeout", &Config::readTimeoutSeconds},
        {"header-timeout", &Config::headerTimeoutSeconds},
        {"body-timeout", &Config::bodyTimeoutSeconds},
        {"body-rate-window", &Config::bodyRateWindowSeconds},
        {"finalize-timeout", &Config::finalizeTimeoutSeconds},
        {"share-link-ttl", &Config::shareLinkTtlSeconds},
        {"share-link-max-ttl", &Config::shareLinkMaxTtlSeconds},
    };
    if (const auto it = seconds.find(key); it != seconds.end()) {
        const auto n = parseOffset(value);
        if (!n || *n == 0)
            return tl::unexpected("--" + key + " wants a positive number of seconds, not '" +
                                  value + "'");
        config.*(it->second) = *n;
        return {};
    }
    if (key == "threads") {
        const auto n = parseOffset(value);
        if (!n || *n < 2 || *n > 4096)
            return tl::unexpected(std::string("--threads wants a number from 2 to 4096"));
        config.threads = static_cast<std::size_t>(*n);
        return {};
    }
    if (key == "finalize-workers") {
        const auto n = parseOffset(value);
        if (!n || *n < 1 || *n > 256)
            return tl::unexpected(std::string("--finalize-workers wants a number from 1 to 256"));
        config.finalizeWorkers = static_cast<std::size_t>(*n);
        return {};
    }
    if (key == "metrics-public") {
        if (value != "true" && value != "false")
            return tl::unexpected(std::string("--metrics-public is a switch (true or false in a "
                                              "config file)"));
        config.metricsPublic = value == "true";
        return {};
    }
    if (key == "database") {
        if (value.rfind("postgresql://", 0) != 0 && value.rfind("postgres://", 0) != 0)
            return tl::unexpected(std::string("--database wants a postgresql:// URL"));
        config.database = value;
        return {};
    }
    if (key == "database-pool") {
        const auto n = parseOffset(value);
        if (!n || *n < 2 || *n > 1000)
            return tl::unexpected(std::string("--database-pool wants a number from 2 to 1000"));
        config.databasePool = static_cast<std::size_t>(*n);
        return {};
    }
    if (key == "storage") {
        if (value != "disk" && value != "s3")
            return tl::unexpected("--storage must be 'disk' or 's3', not '" + value + "'");
        config.storage = value;
        return {};
    }
    if (key == "s3-path-style" || key == "s3-virtual-hosted") {
        if (value != "true" && value != "false")
            return tl::unexpected("--" + key + " is a switch (true or false in a config file)");
        config.s3PathStyle = (key == "s3-path-style") == (value == "true");
        return {};
    }
    if (key == "allow-types") {
        config.allowTypes = splitList(value);
        return {};
    }
    if (key == "cors-origin") {
        for (const std::string& origin : splitList(value)) {
            const bool web = origin.rfind("http://", 0) == 0 || origin.rfind("https://", 0) == 0;
            if (origin != "*" &&
                (!web || origin.find('/', origin.find("//") + 2) != std::string::npos))
                return tl::unexpected("--cors-origin takes origins like https://app.example.com "
                                      "(no path) or *, not '" +
                                      origin + "'");
            config.corsOrigins.push_back(origin);
        }
        return {};
    }
    if (key == "log-level") {
        const auto level = logLevelFromString(value);
        if (!level)
            return tl::unexpected(std::string("--log-level must be debug, info, warn or error"));
        config.logLevel = *level;
        return {};
    }
    const std::map<std::string, std::string Config::*> strings{
        {"s3-endpoint", &Config::s3Endpoint},
        {"s3-bucket", &Config::s3Bucket},
        {"s3-region", &Config::s3Region},
        {"s3-prefix", &Config::s3Prefix},
        {"s3-access-key-id", &Config::s3AccessKeyId},
        {"s3-secret-access-key", &Config::s3SecretAccessKey},
        {"finalize-url", &Config::finalizeUrl},
        {"finalize-secret", &Config::finalizeSecret},
        {"tls-cert", &Config::tlsCert},
        {"tls-key", &Config::tlsKey},
        {"metrics-token", &Config::metricsToken},
        {"public-url", &Config::publicUrl},
    };
    if (const auto it = strings.find(key); it != strings.end()) {
        config.*(it->second) = value;
        return {};
    }
    return tl::unexpected("unknown option --" + key + " (see hoistd --help)");
}

Result loadConfigFile(Config& config, const std::string& path) {
    return forEachLine(path, "config file", [&](const std::string& line) -> Result {
        const auto equals = line.find('=');
        if (equals == std::string::npos)
            return tl::unexpected(std::string("expected 'key = value'"));
        const std::string key = trim(line.substr(0, equals));
        if (key == "config")
            return tl::unexpected(std::string("config files do not nest"));
        return applyOption(config, key, trim(line.substr(equals + 1)));
    });
}

bool isSwitch(const std::string& key) {
    return key == "s3-path-style" || key == "s3-virtual-hosted" || key == "metrics-public";
}

bool isLoopback(const std::string& host) {
    return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

std::string defaultDataDir() {
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        return std::string(xdg) + "/hoistd";
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::string(home) + "/.local/share/hoistd";
    return "hoistd-data";
}

Result validate(Config& config) {
    if (config.dataDir.empty())
        config.dataDir = defaultDataDir();
    if (config.tlsCert.empty() != config.tlsKey.empty())
        return tl::unexpected(std::string("--tls-cert and --tls-key go together"));
    if (config.finalizeUrl.empty() != config.finalizeSecret.empty())
        return tl::unexpected(std::string("--finalize-url and --finalize-secret go together"));
    if (!config.finalizeUrl.empty() && config.finalizeUrl.rfind("http://", 0) != 0 &&
        config.finalizeUrl.rfind("https://", 0) != 0)
        return tl::unexpected(std::string("--finalize-url must be an http:// or https:// URL"));
    if (config.finalizeSecret.rfind("whsec_", 0) == 0 &&
        !base64Decode(std::string_view(config.finalizeSecret).substr(6)))
        return tl::unexpected(std::string("--finalize-secret: the part after whsec_ must be "
                                          "base64 (receivers decode it to get the key)"));
    // Counters and gauges tell an outsider how busy the server is and which errors it
    // gives: open on loopback only, unless the admin says so (docs/admin.md, "Security").
    if (!isLoopback(config.listenHost) && config.metricsToken.empty() && !config.metricsPublic)
        return tl::unexpected("hoistd would listen on " + config.listenHost +
                              ", beyond loopback, with /metrics open to anyone: give "
                              "--metrics-token TOKEN, or --metrics-public to serve it without one");
    if (config.shareLinkTtlSeconds > config.shareLinkMaxTtlSeconds)
        return tl::unexpected(std::string("--share-link-ttl must not exceed --share-link-max-ttl"));
    if (config.storage == "s3" && (config.s3Endpoint.empty() || config.s3Bucket.empty()))
        return tl::unexpected(std::string("--storage s3 needs --s3-endpoint and --s3-bucket"));
    if (config.s3AccessKeyId.empty())
        if (const char* v = std::getenv("AWS_ACCESS_KEY_ID"))
            config.s3AccessKeyId = v;
    if (config.s3SecretAccessKey.empty())
        if (const char* v = std::getenv("AWS_SECRET_ACCESS_KEY"))
            config.s3SecretAccessKey = v;
    if (const char* v = std::getenv("AWS_SESSION_TOKEN"))
        config.s3SessionToken = v;
    return {};
}
} // namespace

tl::expected<CommandLine, std::string> parseCommandLine(const std::vector<std::string>& args) {
    CommandLine result;
    std::vector<std::pair<std::string, std::string>> options;
    std::string configFile;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--help" || arg == "-h") {
            result.action = CommandLine::Action::Help;
            return result;
        }
        if (arg == "--version") {
            result.action = CommandLine::Action::Version;
            return result;
        }
        if (arg.rfind("--", 0) != 0 || arg.size() == 2)
            return tl::unexpected("unexpected argument '" + arg + "' (see hoistd --help)");
        std::string key = arg.substr(2);
        std::string value;
        if (const auto equals = key.find('='); equals != std::string::npos) {
            value = key.substr(equals + 1);
            key = key.substr(0, equals);
        } else if (isSwitch(key)) {
            value = "true";
        } else {
            if (i + 1 >= args.size())
                return tl::unexpected("--" + key + " needs a value");
            value = args[++i];
        }
        if (key == "config")
            configFile = value;
        else
            options.emplace_back(key, value);
    }
    if (!configFile.empty())
        if (auto ok = loadConfigFile(result.config, configFile); !ok)
            return tl::unexpected(ok.error());
    for (const auto& [key, value] : options)
        if (auto ok = applyOption(result.config, key, value); !ok)
            return tl::unexpected(ok.error());
    if (auto ok = validate(result.config); !ok)
        return tl::unexpected(ok.error());
    return result;
}

std::string usageText() {
    return R"(Usage: hoistd [OPTIONS]
The Hoist upload server: resumable chunked uploads (see docs/protocol.md).

  --listen HOST:PORT        address to serve on (default 127.0.0.1:8080; port 0 = any free)
  --data-dir DIR            sessions database, staging and file library
                            (default $XDG_DATA_HOME/hoistd or ~/.local/share/hoistd)
  --token TOKEN:USER        accept bearer TOKEN as USER (repeatable)
  --tokens-file FILE        one "TOKEN USER" per line
  --max-size BYTES          largest accepted file (suffixes K, M, G, T; default 1T)
  --max-open-sessions N     unfinished uploads per user (default 1000)
  --quota BYTES             per user: bytes declared by unfinished uploads plus stored
                            files (suffixes K, M, G, T; default none)
  --max-parallel-chunks N   largest window of chunks in flight granted to a session
                            that asks for parallel chunks (1-64, default 8)
  --hash-buffer BYTES       memory for chunks that arrive ahead of the in-order hash,
                            all sessions together; beyond it they are read back
                            (suffixes K, M, G; default 256M)
  --session-ttl SECONDS     sessions expire this long after last activity (default 86400)
  --sweep-interval SECONDS  how often expired sessions are swept (default 1800)
  --storage disk|s3         where bytes are staged (default disk)
  --s3-endpoint URL --s3-bucket NAME --s3-region REGION --s3-prefix PREFIX
  --s3-path-style | --s3-virtual-hosted
                            S3 addressing (default path style); credentials from
                            AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN
                            or the config keys s3-access-key-id / s3-secret-access-key
  --database URL            keep sessions, the file library and shared keys in
                            PostgreSQL (postgresql://user:pass@host:port/db?sslmode=...),
                            so that several hoistd share them (default: SQLite in
                            --data-dir)
  --database-pool N         PostgreSQL connections per node (default 16)
  --finalize-url URL --finalize-secret SECRET
                            hand finished uploads to an application server by a signed
                            callback (Standard Webhooks) instead of the built-in library
  --public-url URL          base of the download links given to that server, and of
                            share links and tus Location URLs (default: the address
                            the client used)
  --allow-types TYPE,...    only these detected types may be finalized
  --cors-origin ORIGIN,...  browser origins (or *) that may use the tus face at /tus/
  --tls-cert FILE --tls-key FILE
                            serve HTTPS
  --metrics-token TOKEN     require this bearer token for /metrics (needed, or
                            --metrics-public, when listening beyond loopback)
  --metrics-public          serve /metrics without a token beyond loopback
  --finalize-timeout SECONDS
                            deadline of one finalization callback; past it complete
                            answers 202 finalizing and retries go on (default 15)
  --finalize-workers N      threads retrying finalization callbacks (default 8)
  --threads N               request worker threads (default 256)
  --read-timeout SECONDS    drop a request body that stalls this long (default 20)
  --header-timeout SECONDS  a request head must arrive within this (default 10)
  --body-timeout SECONDS    a request body must arrive within this (default 300)
  --body-min-rate BYTES     a request body slower than this per second over a window
                            is dropped (default 1024; 0: no minimum)
  --body-rate-window SECONDS
                            the window of --body-min-rate (default 10)
  --share-link-ttl SECONDS  lifetime of a share link created without expiresIn
                            (default 604800, 7 days)
  --share-link-max-ttl SECONDS
                            the longest lifetime a share link may ask for
                            (default 2592000, 30 days)
  --log-level debug|info|warn|error
  --config FILE             "key = value" lines with the keys above (flags win)
  --help, --version
Without --token or --tokens-file, a development token is generated and printed.
)";
}

} // namespace hoist
