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
// Everything logged may carry outside input (paths, file names, headers): a raw CR or LF
// would forge a log line and an ESC or a C1 control (U+0080..U+009F, bytes C2 80..C2 9F
// in UTF-8) would reach an operator's terminal (docs/admin.md, "Security"), so they are
// written as \xNN. A backslash is escaped too, so that \x in the log is never literal.
std::string escapeControls(const std::string& message) {
    const auto byteAt = [&message](std::size_t i) {
        return static_cast<unsigned char>(message[i]);
    };
    const auto isControl = [&](std::size_t i) {
        const unsigned char byte = byteAt(i);
        if (byte < 0x20 || byte == 0x7f || byte == '\\')
            return true;
        return byte == 0xc2 && i + 1 < message.size() && byteAt(i + 1) >= 0x80 &&
               byteAt(i + 1) <= 0x9f;
    };
    std::string out;
    out.reserve(message.size());
    for (std::size_t i = 0; i < message.size(); ++i) {
        if (!isControl(i)) {
            out += message[i];
            continue;
        }
        const std::size_t width = byteAt(i) == 0xc2 ? 2 : 1;
        for (std::size_t j = i; j < i + width; ++j) {
            char escaped[5];
            std::snprintf(escaped, sizeof escaped, "\\x%02x", byteAt(j));
            out += escaped;
        }
        i += width - 1;
    }
    return out;
}

const char* levelName(LogLevel level) {
    switch (level) {
    case LogLevel::Debug:
        return "debug";
    case LogLevel::Info:
        return "info";
    case LogLevel::Warn:
        return "warn";
    case LogLevel::Error:
        return "error";
    }
    return "info";
}
} // namespace

void Logger::log(LogLevel level, const std::string& message) {
    if (!enabled(level))
        return;
    const std::string line =
        formatRfc3339(nowSeconds()) + " " + levelName(level) + " " + escapeControls(message) + "\n";
    std::lock_guard lock(m_mutex);
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
}

} // namespace hoist
