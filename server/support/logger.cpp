#include "logger.h"

#include "time_format.h"

#include <cstdio>

namespace hoist {

std::optional<LogLevel> logLevelFromString(const std::string& text) {
    if (text == "debug")
        return LogLevel::Debug;
    if (text == "info")
        return LogLevel::Info;
    if (text == "warn")
        return LogLevel::Warn;
    if (text == "error")
        return LogLevel::Error;
    return std::nullopt;
}

namespace {
const char* levelName(LogLevel level) {
    switch (level) {
    case LogLevel::Debug: return "debug";
    case LogLevel::Info: return "info";
    case LogLevel::Warn: return "warn";
    case LogLevel::Error: return "error";
    }
    return "info";
}
} // namespace

void Logger::log(LogLevel level, const std::string& message) {
    if (!enabled(level))
        return;
    const std::string line =
        formatRfc3339(nowSeconds()) + " " + levelName(level) + " " + message + "\n";
    std::lock_guard lock(m_mutex);
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
}

} // namespace hoist
