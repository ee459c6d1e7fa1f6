#pragma once

#include <mutex>
#include <optional>
#include <string>

namespace hoist {

enum class LogLevel { Debug, Info, Warn, Error };

std::optional<LogLevel> logLevelFromString(const std::string& text);

// Writes one line per event to stderr. Thread-safe; lines never interleave.
class Logger final {
  public:
    explicit Logger(LogLevel threshold = LogLevel::Info) : m_threshold(threshold) {}

    bool enabled(LogLevel level) const { return level >= m_threshold; }

    void log(LogLevel level, const std::string& message);
    void debug(const std::string& message) { log(LogLevel::Debug, message); }
    void info(const std::string& message) { log(LogLevel::Info, message); }
    void warn(const std::string& message) { log(LogLevel::Warn, message); }
    void error(const std::string& message) { log(LogLevel::Error, message); }

  private:
    LogLevel m_threshold;
    std::mutex m_mutex;
};

} // namespace hoist
