// The config file (--config, "key = value" lines): what parses, written back as a
// config file, parses to the same configuration.
#include "config.h"
#include "fuzz_check.h"
#include "scratch_file.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <tuple>

namespace {
const char* levelName(hoist::LogLevel level) {
    switch (level) {
    case hoist::LogLevel::Debug:
        return "debug";
    case hoist::LogLevel::Info:
        return "info";
    case hoist::LogLevel::Warn:
        return "warn";
    case hoist::LogLevel::Error:
        return "error";
    }
    return "info";
}

std::string configText(const hoist::Config& c) {
    std::string out = "listen = [" + c.listenHost + "]:" + std::to_string(c.listenPort) + "\n";
    const auto line = [&out](const char* key, const std::string& value) {
        out += std::string(key) + " = " + value + "\n";
    };
    line("data-dir", c.dataDir);
    for (const auto& [token, user] : c.tokens)
        line("token", token + ":" + user);
    line("max-size", std::to_string(c.maxSize));
    line("session-ttl", std::to_string(c.sessionTtlSeconds));
    line("sweep-interval", std::to_string(c.sweepIntervalSeconds));
    line("read-timeout", std::to_string(c.readTimeoutSeconds));
    line("threads", std::to_string(c.threads));
    line("storage", c.storage);
    line("s3-endpoint", c.s3Endpoint);
    line("s3-bucket", c.s3Bucket);
    line("s3-region", c.s3Region);
    line("s3-prefix", c.s3Prefix);
    line("s3-path-style", c.s3PathStyle ? "true" : "false");
    line("s3-access-key-id", c.s3AccessKeyId);
    line("s3-secret-access-key", c.s3SecretAccessKey);
    line("finalize-url", c.finalizeUrl);
    line("finalize-secret", c.finalizeSecret);
    std::string types;
    for (const auto& type : c.allowTypes)
        types += (types.empty() ? "" : ",") + type;
    line("allow-types", types);
    line("tls-cert", c.tlsCert);
    line("tls-key", c.tlsKey);
    line("metrics-token", c.metricsToken);
    line("public-url", c.publicUrl);
    line("log-level", levelName(c.logLevel));
    return out;
}

auto fields(const hoist::Config& c) {
    return std::tie(c.listenHost, c.listenPort, c.dataDir, c.tokens, c.maxSize, c.sessionTtlSeconds,
                    c.sweepIntervalSeconds, c.storage, c.s3Endpoint, c.s3Bucket, c.s3Region,
                    c.s3Prefix, c.s3PathStyle, c.s3AccessKeyId, c.s3SecretAccessKey, c.finalizeUrl,
                    c.finalizeSecret, c.allowTypes, c.tlsCert, c.tlsKey, c.metricsToken,
                    c.publicUrl, c.logLevel, c.threads, c.readTimeoutSeconds);
}
} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    // Credentials from the environment would fill fields the file left empty.
    for (const char* name : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"})
        unsetenv(name);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const ScratchFile file;
    const std::string text(reinterpret_cast<const char*>(data), size);
    // tokens-file names another file to read (fuzz_tokens_file covers its contents).
    if (text.find("tokens-file") != std::string::npos)
        return 0;
    const auto parsed = hoist::parseCommandLine({"--config", file.write(text)});
    if (!parsed)
        return 0;
    const hoist::Config& config = parsed->config;
    FUZZ_CHECK(parsed->action == hoist::CommandLine::Action::Serve);
    FUZZ_CHECK(config.listenPort >= 0 && config.listenPort <= 65535 && !config.listenHost.empty());
    FUZZ_CHECK(config.maxSize > 0 && config.sessionTtlSeconds > 0 &&
               config.sweepIntervalSeconds > 0 && config.readTimeoutSeconds > 0);
    FUZZ_CHECK(config.threads >= 2 && config.threads <= 4096);
    FUZZ_CHECK(config.storage == "disk" || config.storage == "s3");
    for (const auto& [token, user] : config.tokens)
        FUZZ_CHECK(!token.empty() && !user.empty());

    const auto again = hoist::parseCommandLine({"--config", file.write(configText(config))});
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(fields(again->config) == fields(config));
    return 0;
}
